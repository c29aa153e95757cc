// Cold start as a user meets it: wall time from launching `node dist/cli.js up --json` to its ready line, and
// every +sdown/-sdown the Sentinels logged in the first seconds (read from their own logs, which also hold what
// was published before anyone could subscribe). The same-run baseline: the same number of bare redis-server
// processes spawned at once until each answers PING (the floor for any start of this cluster).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ColdStartRun {
  /** Launch -> the `{"event":"ready"}` line on stdout. */
  wallMs: number;
  /** The lab's own `readyMs` (from Lab.start to ready, inside the process). */
  readyMs: number;
  /** `<sentinel> +sdown|-sdown <what>` lines logged within the window. */
  sdown: string[];
}

export interface ColdStartResult {
  runs: ColdStartRun[];
  windowMs: number;
}

interface ReadyLine {
  event: 'ready';
  readyMs: number;
  runDir: string;
  nodes: Array<{ id: string }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One `up --json` start: ready line, then the rest of the window, then SIGTERM and the Sentinels' logs. */
async function oneStart(o: { node: string; entry: string; basePort: number; windowMs: number }): Promise<ColdStartRun> {
  const root = mkdtempSync(join(tmpdir(), 'rsl-bench-cold-'));
  let child: ChildProcess | undefined;
  try {
    const t0 = performance.now();
    child = spawn(o.node, [o.entry, 'up', '--json', '--keep', '--base-port', String(o.basePort)], {
      env: { ...process.env, RSL_RUN_ROOT: root, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = child;
    let out = '';
    let err = '';
    proc.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const ready = await new Promise<{ line: ReadyLine; at: number } | undefined>((resolve) => {
      proc.stdout?.on('data', (d: Buffer) => {
        const at = performance.now();
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes('"event":"ready"'));
        if (line) resolve({ line: JSON.parse(line) as ReadyLine, at });
      });
      void exited.then(() => resolve(undefined));
    });
    if (!ready) throw new Error(`up --json exited before its ready line: ${err.trim().slice(-600)}`);
    const wallMs = ready.at - t0;
    await sleep(Math.max(0, t0 + o.windowMs - performance.now()));
    proc.kill('SIGTERM');
    if ((await exited) !== 0) throw new Error(`up --json did not stop cleanly: ${err.trim().slice(-600)}`);
    const sdown: string[] = [];
    for (const n of ready.line.nodes) {
      if (!n.id.startsWith('sentinel')) continue;
      const log = join(ready.line.runDir, n.id, 'log.txt');
      if (!existsSync(log)) continue;
      for (const l of readFileSync(log, 'utf8').split('\n')) {
        const m = / # ([+-]sdown) (.*)$/.exec(l);
        if (m) sdown.push(`${n.id} ${m[1]} ${m[2]}`);
      }
    }
    return { wallMs, readyMs: ready.line.readyMs, sdown };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  }
}

export async function benchColdStartCli(o: {
  entry: string;
  runs: number;
  basePort: number;
  /** Watch each start this long from launch (the old noise came ~1.1-1.3 s after launch). */
  windowMs?: number;
  node?: string;
  log?: (s: string) => void;
}): Promise<ColdStartResult> {
  const windowMs = o.windowMs ?? 2500;
  const runs: ColdStartRun[] = [];
  for (let i = 0; i < o.runs; i++) {
    const r = await oneStart({ node: o.node ?? process.execPath, entry: o.entry, basePort: o.basePort, windowMs });
    runs.push(r);
    o.log?.(
      `  start ${i + 1}/${o.runs}: ${Math.round(r.wallMs)} ms to ready (readyMs ${r.readyMs}), ${r.sdown.length} sdown lines`,
    );
  }
  return { runs, windowMs };
}

function answersPing(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    const done = (v: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(false), 300);
    s.on('error', () => done(false));
    s.on('connect', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** `count` bare redis-server processes spawned at once; ms until every one answers PING. */
export async function benchBareProcesses(o: {
  count: number;
  runs: number;
  basePort: number;
  binary: string;
}): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-bare-'));
    const procs: ChildProcess[] = [];
    try {
      const t0 = performance.now();
      for (let i = 0; i < o.count; i++) {
        const port = o.basePort + i;
        // biome-ignore format: one flag per pair reads better
        const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
          '--dir', dir, '--logfile', ''];
        procs.push(spawn(o.binary, args, { stdio: 'ignore' }));
      }
      for (const p of procs) p.on('error', () => {});
      const pending = new Set(procs.map((_, i) => o.basePort + i));
      const deadline = t0 + 15_000;
      while (pending.size) {
        for (const port of [...pending]) if (await answersPing(port, '127.0.0.1')) pending.delete(port);
        if (pending.size && performance.now() > deadline) throw new Error('bare redis-server processes did not start');
        if (pending.size) await sleep(2);
      }
      out.push(performance.now() - t0);
    } finally {
      await Promise.all(
        procs.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.exitCode !== null || p.signalCode !== null) return resolve();
              p.once('exit', () => resolve());
              p.kill('SIGKILL');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}
