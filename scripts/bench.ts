// `npm run bench`: the benchmarks the issues name, against real processes, in one run; one table (or --json).
// Every figure of issue #15 stands beside a baseline measured in the same run: cold start beside bare
// redis-server processes, the TUI beside the headless engine, the fabric beside haproxy (or the direct connection
// when haproxy is not installed), soak RSS beside its own level after the warm-up.
//
//   npm run bench [-- --json] [--quick] [--only cold,tui,fabric,soak,failover,events,workload,hop,attach]
//                 [--soak-minutes N] [--no-build]
// `--only ceiling` (never part of the default run) measures the fabric rotation with more sides, as context for the
// fabric row: the fastest forwarding Node can do (scripts/bench/ceiling-proxy.mjs) and a native forwarder in C
// (scripts/bench/native-forwarder.c, built with `cc`), each with one and two threads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchWorkload } from '../src/cluster/clients/bench.js';
import { LabEmitter } from '../src/cluster/events.js';
import { resolveServerBinary } from '../src/cluster/process/binaries.js';
import { Supervisor } from '../src/cluster/process/supervisor.js';
import { benchAttach } from './bench/attach.js';
import { benchBareProcesses, benchColdStartCli } from './bench/cold-start.js';
import { benchEngineIdle } from './bench/engine-idle.js';
import { benchFabric } from './bench/fabric-hop.js';
import { benchFabricVsHaproxy } from './bench/fabric-vs-haproxy.js';
import { benchEventToStore, benchFailover } from './bench/lab-bench.js';
import { benchSoakRss } from './bench/soak-rss.js';
import { median, percentile } from './bench/stats.js';
import { freeLabBase } from './bench/tui.js';
import { benchWorkloadMemory } from './bench/workload-memory.js';

interface Row {
  figure: string;
  median: number;
  /** p95, or the spread (min–max) of repeated measurements. */
  spread?: string;
  unit: string;
  target: string;
  pass?: boolean;
  baseline?: string;
  ratio?: string;
  n: number;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const json = argv.includes('--json');
const quick = argv.includes('--quick');
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = arg('--only')?.split(',');
const want = (name: string) => !only || only.includes(name);
const ceiling = only?.includes('ceiling') ?? false;
const soakMinutes = Number(arg('--soak-minutes') ?? 0);
const log = (s: string) => process.stderr.write(`${s}\n`);
const fmt = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? '' : Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
const range = (xs: readonly number[], digits = 0) =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

async function throwawayRedis(binary: string, port: number): Promise<{ port: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rsl-bench-redis-'));
  const conf = join(dir, 'redis.conf');
  writeFileSync(
    conf,
    `port ${port}\nbind 127.0.0.1\nrequirepass redis\nsave ""\nappendonly no\ndir "${dir}"\nlogfile ""\n`,
  );
  const sup = new Supervisor({ binary, emitter: new LabEmitter() });
  sup.add({
    id: 'bench',
    kind: 'redis',
    confPath: conf,
    dir,
    logPath: join(dir, 'log.txt'),
    host: '127.0.0.1',
    port,
    password: 'redis',
  });
  try {
    await sup.start('bench');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    stop: async () => {
      await sup.killAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
  const rows: Row[] = [];
  const notes: string[] = [];
  log(`bench: ${binary.flavor} ${binary.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? '?'}`);
  const entry = join(REPO, 'dist', 'cli.js');
  if ((want('cold') || want('tui') || want('attach')) && !argv.includes('--no-build')) {
    // The production build is the bundle `npm run build` makes after its typecheck (scripts/bundle.mjs).
    log('bench: production build (scripts/bundle.mjs)…');
    execFileSync(process.execPath, [join(REPO, 'scripts/bundle.mjs')], { cwd: REPO, stdio: 'inherit' });
  }

  if (want('cold')) {
    const runs = quick ? 5 : 9;
    log(`bench: cold start, ${runs} × node dist/cli.js up --json…`);
    const base = await freeLabBase();
    const cold = await benchColdStartCli({ entry, runs, basePort: base, windowMs: 3000, log });
    const walls = cold.runs.map((r) => r.wallMs);
    const noisy = cold.runs.filter((r) => r.sdown.length > 0);
    const bare = await benchBareProcesses({ count: 8, runs, basePort: base, binary: binary.path });
    rows.push({
      figure: 'cold start: launch `up --json` -> ready line (production build)',
      median: median(walls),
      spread: `p95 ${fmt(percentile(walls, 95))}`,
      unit: 'ms',
      target: 'median <= 300, p95 <= 500',
      pass: median(walls) <= 300 && percentile(walls, 95) <= 500,
      baseline: `8 bare redis-server to PING: median ${fmt(median(bare))} ms`,
      ratio: (median(walls) / median(bare)).toFixed(2),
      n: runs,
    });
    rows.push({
      figure: `starts with +sdown/-sdown in the first ${cold.windowMs / 1000} s`,
      median: noisy.length,
      unit: 'starts',
      target: '0',
      pass: noisy.length === 0,
      n: runs,
    });
    for (const r of noisy) notes.push(`noisy start: ${r.sdown.join(' | ')}`);
  }

  if (want('tui')) {
    try {
      const { benchTui } = await import('./bench/tui.js');
      const idleMs = quick ? 15_000 : 30_000;
      const settleMs = 20_000;
      log('bench: headless engine idle (up --json)…');
      const engine = await benchEngineIdle({ entry, basePort: await freeLabBase(), idleMs, settleMs });
      log('bench: TUI idle CPU/RSS and key latency (tmux, 160x45, production build)…');
      const tui = await benchTui({
        idleMs,
        settleMs,
        presses: quick ? 10 : 20,
        columns: 160,
        rows: 45,
        entry,
        env: { NODE_ENV: 'production' },
        killNode: 'redis-4',
      });
      rows.push({
        figure: `TUI process CPU, cluster idle (160x45, production build; ${idleMs / 1000} s from ${settleMs / 1000} s after ready)`,
        median: tui.cpuPercent,
        unit: '% of one core',
        target: '<= 2 %',
        pass: tui.cpuPercent <= 2,
        baseline: `engine alone (up --json) ${fmt(engine.cpuPercent)} %`,
        ratio: (tui.cpuPercent / engine.cpuPercent).toFixed(2),
        n: 1,
      });
      rows.push({
        figure: 'TUI process RSS, cluster idle (median of 1 s samples)',
        median: tui.rssMb,
        spread: `max ${fmt(tui.rssMaxMb)}; ${fmt(tui.rssStartupPeakMb)} before the window`,
        unit: 'MB',
        target: '<= 120 MB',
        pass: tui.rssMb <= 120,
        baseline: `engine alone ${fmt(engine.rssMb)} MB (max ${fmt(engine.rssMaxMb)})`,
        ratio: (tui.rssMb / engine.rssMb).toFixed(2),
        n: 1,
      });
      rows.push({
        figure: 'key press -> visible change (via tmux)',
        median: tui.keyToVisibleMsMedian,
        spread: `p95 ${fmt(tui.keyToVisibleMsP95)}`,
        unit: 'ms',
        target: '<= 100 ms',
        pass: tui.keyToVisibleMsMedian <= 100,
        n: tui.presses,
      });
      if (tui.externalKillToVisibleMs !== undefined) {
        rows.push({
          figure: 'kill -9 of a replica from outside -> its row shows it exited',
          median: tui.externalKillToVisibleMs,
          unit: 'ms',
          target: '<= 500 ms',
          pass: tui.externalKillToVisibleMs <= 500,
          n: 1,
        });
      }
      rows.push({
        figure: 'terminal output while idle',
        median: tui.idleBytesPerSec,
        spread: `${tui.framesWhileIdle} frames`,
        unit: 'bytes/s',
        target: 'no full redraw',
        pass: tui.fullRedrawsWhileIdle === 0,
        n: 1,
      });
      if (tui.changedRowsWhileIdle.length) notes.push(`rows the idle TUI redrew: ${tui.changedRowsWhileIdle.length}`);
    } catch (err) {
      log(`bench: TUI benchmark unavailable: ${(err as Error).message}`);
      notes.push(`TUI figures not measured: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  if (want('fabric') || ceiling) {
    log('bench: fabric vs haproxy (redis-benchmark SET, 20 clients, interleaved)…');
    const reps = quick ? 3 : 7;
    const fvh = await benchFabricVsHaproxy({ repetitions: reps, log, ceiling });
    if (!fvh.haproxy.available) notes.push(`fabric compared with the direct connection only: ${fvh.haproxy.why}`);
    if (!fvh.haproxy.available && ceiling) notes.push('ceiling rows need haproxy to compare with: not reported');
    if (fvh.native && !fvh.native.available) notes.push(`native forwarder rows not reported: ${fvh.native.why}`);
    for (const r of fvh.results) {
      const f = r.sides.fabric;
      const h = r.sides.haproxy;
      const d = r.sides.direct;
      if (!f || !d) continue;
      const label = r.pipeline === 1 ? 'unpipelined' : `pipeline ${r.pipeline}`;
      if (h && r.ratios) {
        rows.push({
          figure: `redis-benchmark SET -c ${fvh.clients}, ${label}: fabric vs haproxy ${fvh.haproxy.available ? fvh.haproxy.version : ''}`,
          median: f.median,
          spread: range(f.rps),
          unit: 'requests/s',
          target: '>= 1.0 × haproxy',
          pass: r.ratios.median >= 1,
          baseline: `haproxy ${fmt(h.median)} (${range(h.rps)}); direct ${fmt(d.median)}`,
          ratio: `${r.ratios.median.toFixed(2)} (${range(r.ratios.perRep, 2)})`,
          n: reps,
        });
        const sticks = [
          {
            kind: 'ceiling',
            what: "Node's fastest forwarding",
            how: 'C++ StreamPipe',
            target: 'the best a Node data plane can do',
          },
          { kind: 'native', what: 'a native forwarder', how: 'C, epoll', target: 'what native code outside Node does' },
        ] as const;
        for (const stick of sticks) {
          for (const threads of [1, 2] as const) {
            const c = r.sides[`${stick.kind}-${threads}`];
            if (!c) continue;
            const perRep = c.rps.map((x, i) => x / (h.rps[i] ?? Number.NaN));
            rows.push({
              figure: `${label}: ${stick.what} (${stick.how}, ${threads} thread${threads > 1 ? 's' : ''}) vs haproxy`,
              median: c.median,
              spread: range(c.rps),
              unit: 'requests/s',
              target: `context: ${stick.target}`,
              baseline: `haproxy ${fmt(h.median)}; fabric ${fmt(f.median)}`,
              ratio: `${median(perRep).toFixed(2)} (${range(perRep, 2)})`,
              n: reps,
            });
          }
        }
      } else {
        rows.push({
          figure: `redis-benchmark SET -c ${fvh.clients}, ${label}: fabric vs direct (no haproxy)`,
          median: f.median,
          spread: range(f.rps),
          unit: 'requests/s',
          target: 'haproxy not installed',
          baseline: `direct ${fmt(d.median)} (${range(d.rps)})`,
          ratio: `${r.vsDirect.median.toFixed(2)} (${range(r.vsDirect.perRep, 2)})`,
          n: reps,
        });
      }
    }
  }

  if (want('hop')) {
    log('bench: added latency per fabric hop…');
    const hop = await benchFabric({ durationMs: quick ? 2000 : 4000 });
    rows.push({
      figure: 'added median latency per fabric hop',
      median: hop.addedP50Ms,
      unit: 'ms',
      target: '<= 0.2 ms',
      pass: hop.addedP50Ms <= 0.2,
      baseline: `direct p50 ${hop.direct.p50Ms.toFixed(3)} ms`,
      n: 1,
    });
  }

  if (want('soak')) {
    if (soakMinutes > 0) {
      log(`bench: soak with a workload, ${soakMinutes} min (RSS after every round)…`);
      const s = await benchSoakRss({ minutes: soakMinutes, log });
      rows.push({
        figure: `RSS growth during a ${soakMinutes}-minute soak with a workload, after the warm-up`,
        median: s.growthMb,
        spread: `${s.mbPerMin} MB/min`,
        unit: 'MB',
        target: '<= 10 MB after the first 5 min',
        pass: s.growthMb <= 10,
        baseline: `RSS ${s.baselineMb} MB at ${Math.round(s.warmupMs / 60_000)} min`,
        n: s.rounds,
      });
      if (!s.soakOk) notes.push('the soak itself reported a failed check (see npm run soak)');
    } else {
      notes.push('soak RSS growth not measured: pass --soak-minutes 30 (the issue measures 30 minutes)');
    }
  }

  if (want('failover')) {
    log('bench: failover timing…');
    const fo = await benchFailover(binary, await freeLabBase(), quick ? 2 : 3);
    const sw = fo.samples.map((s) => s.firstSwitchMs);
    rows.push({
      figure: 'kill master -> first +switch-master',
      median: median(sw),
      spread: `p95 ${fmt(percentile(sw, 95))}`,
      unit: 'ms',
      target: '≈ down-after + 1.3 s',
      baseline: `down-after ${fo.downAfterMs} ms`,
      ratio: (median(sw) / fo.downAfterMs).toFixed(2),
      n: sw.length,
    });
  }

  if (want('events')) {
    log('bench: event-to-store latency…');
    const ev = await benchEventToStore(binary, await freeLabBase(), quick ? 20 : 60);
    rows.push({
      figure: 'Sentinel publish -> store updated',
      median: median(ev),
      spread: `p99 ${fmt(percentile(ev, 99))}`,
      unit: 'ms',
      target: '<= 50 ms',
      pass: median(ev) <= 50 && percentile(ev, 99) <= 50,
      n: ev.length,
    });
    // The same, each event after a quiet moment: the store folds it at once rather than at its batch rate.
    const spaced = await benchEventToStore(binary, await freeLabBase(), quick ? 10 : 30, 200);
    rows.push({
      figure: 'Sentinel publish -> store updated, 200 ms apart',
      median: median(spaced),
      spread: `p99 ${fmt(percentile(spaced, 99))}`,
      unit: 'ms',
      target: '<= 50 ms',
      pass: median(spaced) <= 50 && percentile(spaced, 99) <= 50,
      baseline: `back to back ${fmt(median(ev))} ms`,
      n: spaced.length,
    });
  }

  if (want('workload')) {
    log('bench: workload and ledger overhead…');
    const r = await throwawayRedis(binary.path, (await freeLabBase()) + 50);
    try {
      const w = await benchWorkload({ port: r.port, password: 'redis', durationMs: quick ? 2000 : 4000 });
      rows.push({
        figure: 'ledger recording cost (same loop without recording = baseline)',
        median: w.overheadRatio * 100,
        unit: '% slower',
        target: '<= 15 %',
        pass: w.overheadRatio <= 0.15,
        baseline: `plain ${w.plainOpsPerSec} writes/s`,
        ratio: (w.recordingOpsPerSec / w.plainOpsPerSec).toFixed(2),
        n: w.rounds,
      });
      log('bench: workload memory (history to a file vs kept in memory, a fresh process each)…');
      const mem = await benchWorkloadMemory({
        port: r.port,
        password: 'redis',
        ratePerSec: 1000,
        durationMs: quick ? 30_000 : 60_000,
        warmupMs: quick ? 10_000 : 15_000,
      });
      rows.push({
        figure: `workload RSS growth at ${mem.file.ratePerSec} writes/s after warm-up, read after a full GC (history to a file)`,
        median: mem.file.slopeMbPerMin,
        unit: 'MB/min',
        // The ledger's table keeps 11 bytes a write (0.63 MB/min at this rate); a 60 s window adds allocator noise.
        target: '<= 2 MB/min',
        pass: mem.file.slopeMbPerMin <= 2,
        baseline: `history in memory ${mem.memory.slopeMbPerMin} MB/min (${mem.memory.bytesPerWrite} B/write; file: ${mem.file.bytesPerWrite} B/write)`,
        ratio: mem.memory.slopeMbPerMin === 0 ? '' : (mem.file.slopeMbPerMin / mem.memory.slopeMbPerMin).toFixed(2),
        n: 1,
      });
    } finally {
      await r.stop();
    }
  }

  if (want('attach')) {
    log('bench: attach to a deployment the lab did not start (1 master, 4 replicas, 3 Sentinels), and inspect it…');
    const att = await benchAttach({ rounds: quick ? 3 : 7, entry, log });
    rows.push({
      figure: 'attach -> first complete view (1 master, 4 replicas, 3 Sentinels the lab did not start)',
      median: median(att.viewMs),
      spread: `p95 ${fmt(percentile(att.viewMs, 95))}`,
      unit: 'ms',
      target: '<= 500 ms',
      pass: median(att.viewMs) <= 500,
      baseline: `discovery alone ${fmt(median(att.discoveryMs))} ms`,
      ratio: (median(att.viewMs) / median(att.discoveryMs)).toFixed(2),
      n: att.viewMs.length,
    });
    rows.push({
      figure: 'inspect wall time, Node start included (node dist/cli.js inspect --sentinel …)',
      median: median(att.inspectMs),
      spread: `p95 ${fmt(percentile(att.inspectMs, 95))}`,
      unit: 'ms',
      target: '<= 2000 ms',
      pass: median(att.inspectMs) <= 2000,
      baseline: `node dist/cli.js --version ${fmt(median(att.versionMs))} ms`,
      ratio: (median(att.inspectMs) / median(att.versionMs)).toFixed(2),
      n: att.inspectMs.length,
    });
  }

  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    redis: `${binary.flavor} ${binary.version}`,
    node: process.version,
    loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100),
  };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, rows, notes }, null, 2)}\n`);
    return;
  }
  const header = ['figure', 'median', 'p95 / spread', 'unit', 'target', 'met', 'baseline (same run)', 'ratio', 'n'];
  const body = rows.map((r) => [
    r.figure,
    fmt(r.median),
    r.spread ?? '',
    r.unit,
    r.target,
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
    r.baseline ?? '',
    r.ratio ?? '',
    String(r.n),
  ]);
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const b of body) process.stdout.write(`| ${b.join(' | ')} |\n`);
  process.stdout.write(
    `\nMachine: ${machine.cores} cores (${machine.cpu ?? '?'}), ${machine.redis}, Node ${machine.node}, load average ${machine.loadavg.join(' ')} at the end.\n`,
  );
  for (const n of notes) process.stdout.write(`- ${n}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
