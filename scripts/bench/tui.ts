// The real app in a real terminal: tmux (its own -L socket) runs `node --import tsx src/cli.ts --sandbox`, and
// this module drives it from outside — screen captures, key presses, the TUI process's /proc figures and the
// bytes it writes to the terminal. The e2e test and `benchTui` (CPU, RSS, key → visible latency, idle output)
// share it. Linux only (/proc); needs tmux.
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPortFree } from '../../src/cluster/process/ports.js';
import { processesInside } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { listRunDirs } from '../../src/cluster/process/run-dir.js';
import { buildTopology, candidateBasePorts, DEFAULT_SHAPE, topologyPorts } from '../../src/cluster/topology.js';
import { median, percentile } from './stats.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO, 'src', 'cli.ts');

/** Printed by the pane's shell after the app exits: its exit code and whether the tty is back in cooked mode. */
export const EXIT_MARK = 'RSL-E2E-EXITED';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A base port whose whole block is free on every address the default lab binds (the check the lab itself makes),
 * below Linux's ephemeral range (the lab's own links take source ports there) and away from the blocks the lab
 * moves to by default.
 */
export async function freeLabBase(): Promise<number> {
  const avoid = candidateBasePorts();
  for (let i = 0; i < 400; i++) {
    const base = 20_000 + ((process.pid * 131 + i * 257) % 12_500);
    if (avoid.some((c) => Math.abs(c - base) < 120)) continue;
    const t = buildTopology(DEFAULT_SHAPE, base, 'hosts');
    const ips = t.hosts.flatMap((h) => [h.ip, h.publicIp]);
    let ok = true;
    for (const p of topologyPorts(DEFAULT_SHAPE, base)) {
      if (!(await isPortFree(p, ips))) {
        ok = false;
        break;
      }
    }
    if (ok) return base;
  }
  throw new Error('no free port block for the TUI run');
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** Parent pid of every process, from /proc/<pid>/stat (the comm field may hold spaces and parentheses). */
function parentPids(): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(Number(e), ppid);
    } catch {
      // gone
    }
  }
  return out;
}

function descendants(pid: number): number[] {
  const parents = parentPids();
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift() as number;
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        queue.push(child);
      }
    }
  }
  return out;
}

function processCwdOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function exeName(pid: number): string {
  try {
    return readlinkSync(`/proc/${pid}/exe`).split('/').pop() ?? '';
  } catch {
    return '';
  }
}

/** utime + stime of a process in seconds. */
export function cpuSeconds(pid: number, ticksPerSec = clockTicks()): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the comm field: state(0) ppid(1) … utime(11) stime(12).
  return (Number(f[11]) + Number(f[12])) / ticksPerSec;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

export interface TuiRunOptions {
  columns?: number;
  rows?: number;
  basePort?: number;
  /** Extra environment for the app (e.g. NODE_ENV). */
  env?: Record<string, string>;
  /** Extra arguments after `[--sandbox] --base-port N`. */
  args?: string[];
  /** Open the sandbox (default); false leaves the choice to `args` (e.g. `--lesson tour`). */
  sandbox?: boolean;
  /** The app's entry point: default src/cli.ts (run through tsx); a built dist/cli.js runs under plain node. */
  entry?: string;
  /** Lesson progress the app finds at its start (written as progress.json into its config directory). */
  progress?: unknown;
}

/**
 * One run of the real app in its own tmux server. `stop()` always leaves nothing behind: it quits the app if it
 * still runs, kills the tmux server, reaps any lab process left in the run root and removes the temp dirs.
 */
export class TuiRun {
  readonly socket: string;
  readonly root: string;
  readonly runRoot: string;
  readonly configDir: string;
  readonly columns: number;
  readonly rows: number;
  readonly entry: string;
  /** The app's working directory (where `e` writes its export), inside the temp root so every teardown removes it. */
  readonly cwd: string;
  basePort = 0;
  /** tmux's socket file (it stays after kill-server); known once the server runs. */
  private socketPath: string | undefined;
  private stopped = false;

  private constructor(opts: TuiRunOptions) {
    this.columns = opts.columns ?? 160;
    this.rows = opts.rows ?? 45;
    this.root = mkdtempSync(join(tmpdir(), 'rsl-tui-'));
    this.runRoot = join(this.root, 'runs');
    this.configDir = join(this.root, 'config');
    this.socket = `rsl-tui-${process.pid}-${Date.now().toString(36)}`;
    this.entry = opts.entry ?? CLI;
    // Not the repository: the app writes its export (e) into its working directory.
    this.cwd = join(this.root, 'cwd');
    mkdirSync(this.cwd, { recursive: true });
  }

  static async start(opts: TuiRunOptions = {}): Promise<TuiRun> {
    if (process.platform !== 'linux') throw new Error('the TUI run needs Linux (/proc)');
    if (!hasTmux()) {
      throw new Error(
        'tmux is not installed: the real-terminal TUI test needs it (apt-get install tmux / brew install tmux)',
      );
    }
    const run = new TuiRun(opts);
    try {
      run.basePort = opts.basePort ?? (await freeLabBase());
      // tsx reads tsconfig.json (react-jsx) from the working directory unless told where it is.
      const tsconfig = run.entry.endsWith('.ts') ? { TSX_TSCONFIG_PATH: join(REPO, 'tsconfig.json') } : {};
      const env = { RSL_RUN_ROOT: run.runRoot, RSL_CONFIG_DIR: run.configDir, ...tsconfig, ...opts.env };
      // Colours on (NO_COLOR unset) so the real escape sequences are written and measured.
      const assignments = ['-u NO_COLOR', ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`)].join(' ');
      // tsx by its resolved URL: a bare `--import tsx` resolves from the working directory, which may be a temp dir.
      const loader = run.entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
      const mode = opts.sandbox === false ? [] : ['--sandbox'];
      const app = [process.execPath, ...loader, run.entry, ...mode, '--base-port', String(run.basePort)]
        .concat(opts.args ?? [])
        .map(shellQuote)
        .join(' ');
      // After the app: a marker with its exit code and the tty's line discipline (icanon/echo are back when the
      // app restored cooked mode). The shell then idles, so the pane (cursor, screen mode) can still be inspected.
      const script = `cd ${shellQuote(run.cwd)} && env ${assignments} ${app}; rc=$?; printf '\\n${EXIT_MARK} rc=%s tty=%s\\n' "$rc" "$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ,)"; exec sleep 3600`;
      if (opts.progress !== undefined) {
        mkdirSync(run.configDir, { recursive: true, mode: 0o700 });
        writeFileSync(join(run.configDir, 'progress.json'), JSON.stringify(opts.progress));
      }
      run.tmux(['new-session', '-d', '-s', 's', '-x', String(run.columns), '-y', String(run.rows), script]);
      run.tmux(['set-option', '-t', 's', 'remain-on-exit', 'on']);
      run.tmux(['set-option', '-t', 's', 'history-limit', '0']);
      run.socketPath = run.tmux(['display-message', '-p', '#{socket_path}']).trim() || undefined;
      run.watchdog();
    } catch (err) {
      await run.stop();
      throw err;
    }
    return run;
  }

  /**
   * If this process dies without stop() (a test runner's timeout kills the file, a crash), the app must not run on in
   * tmux: a detached watcher waits for this process to go, then ends the tmux server (the app gets SIGHUP and stops
   * its cluster like on Ctrl+C), removes tmux's socket file, waits for the app to be gone and removes the temp root.
   * (`[-]-base-port`: a pattern that does not match the watcher's own command line.)
   */
  private watchdog(): void {
    const tmux = `tmux -L ${shellQuote(this.socket)} -f /dev/null`;
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
      `${tmux} kill-server 2>/dev/null`,
      ...(this.socketPath ? [`rm -f ${shellQuote(this.socketPath)}`] : []),
      `i=0; while [ $i -lt 120 ] && pgrep -f -- ${shellQuote(`[-]-base-port ${this.basePort}( |$)`)} >/dev/null; do sleep 0.5; i=$((i+1)); done`,
      `rm -rf ${shellQuote(this.root)}`,
    ].join('; ');
    spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
  }

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** The visible screen as text. */
  capture(): string {
    return this.tmux(['capture-pane', '-p', '-t', 's']);
  }

  /** The visible screen with its escape sequences (colours), i.e. about what a full redraw writes. */
  captureRaw(): string {
    return this.tmux(['capture-pane', '-p', '-e', '-t', 's']);
  }

  /** Keys in tmux's names: 'x', 'q', 'Escape', 'Down', '?'. Literal text with `literal`. */
  send(key: string, literal = false): void {
    this.tmux(['send-keys', '-t', 's', ...(literal ? ['-l'] : []), key]);
  }

  format(f: string): string {
    return this.tmux(['display-message', '-p', '-t', 's', f]).trim();
  }

  paneDead(): boolean {
    return this.format('#{pane_dead}') === '1';
  }

  /** The node process running the app (the pane's shell's descendant whose command line names the CLI). */
  appPid(): number | undefined {
    const pane = Number(this.format('#{pane_pid}'));
    if (!pane) return undefined;
    return descendants(pane).find((p) => cmdline(p).includes(this.entry) && /^node/.test(exeName(p)));
  }

  async waitFor(ok: (screen: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      try {
        screen = this.capture();
      } catch {
        screen = '(no pane)';
      }
      if (ok(screen)) return screen;
      if (screen.includes(EXIT_MARK)) throw new Error(`the app exited while waiting for ${what}; screen:\n${screen}`);
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; screen:\n${screen}`);
      await sleep(50);
    }
  }

  /** The app has exited: the shell printed the marker after it (or the pane itself is gone). */
  exited(screen = this.capture()): boolean {
    return new RegExp(`^${EXIT_MARK} rc=\\d+ tty=`, 'm').test(screen) || this.paneDead();
  }

  /** Waits until the app's command has exited; returns the screen then. */
  async waitExited(timeoutMs: number): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (this.exited(screen)) return screen;
      if (Date.now() > end) throw new Error(`the app did not exit within ${timeoutMs} ms; screen:\n${screen}`);
      await sleep(100);
    }
  }

  /** Pipes everything the app writes to the terminal into a file from now on (tmux pipe-pane). */
  pipeOutput(): { file: string; bytes: () => number; stop: () => void } {
    const file = join(this.root, 'pane-output.bin');
    writeFileSync(file, '');
    this.tmux(['pipe-pane', '-o', '-t', 's', `cat >> ${shellQuote(file)}`]);
    return {
      file,
      bytes: () => statSync(file).size,
      stop: () => {
        try {
          this.tmux(['pipe-pane', '-t', 's']);
        } catch {
          // the server may be gone
        }
      },
    };
  }

  /** Processes still running inside the run root, and run directories left in it. */
  leftovers(): { processes: number[]; runDirs: string[] } {
    return { processes: processesInside(this.runRoot), runDirs: listRunDirs(this.runRoot) };
  }

  /** Quits (q) if still running, then tears everything down. Safe to call twice. */
  async stop(opts: { keepRoot?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (!this.exited()) {
        this.send('q');
        await this.waitExited(20_000).catch(() => {});
      }
    } catch {
      // no server
    }
    try {
      this.tmux(['kill-server']);
    } catch {
      // already gone
    }
    // tmux leaves its socket file behind; it is ours (own -L name), so remove it.
    if (this.socketPath) rmSync(this.socketPath, { force: true });
    try {
      reapStaleRuns(this.runRoot, { includeLive: true });
    } catch {
      // nothing to reap
    }
    if (!opts.keepRoot) rmSync(this.root, { recursive: true, force: true });
  }
}

export const READY = (s: string) => s.includes('● ready') && s.includes('[M] redis-1');
const HELP_TITLE = 'Esc or ? closes';

export interface TuiBenchResult {
  /** utime+stime of the TUI process over the idle window, % of one core. */
  cpuPercent: number;
  /** Median of VmRSS sampled once a second during the idle window. */
  rssMb: number;
  /** Largest VmRSS seen during the idle window. */
  rssMaxMb: number;
  /** Largest VmRSS seen from ready until the idle window (start-up work, and garbage V8 has not returned yet). */
  rssStartupPeakMb: number;
  /** The idle window starts this long after ready (see TuiBenchOptions.settleMs). */
  settleMs: number;
  /** `?` → the help overlay's title on screen, polled with capture-pane every ~5 ms (includes tmux's own latency). */
  keyToVisibleMsMedian: number;
  keyToVisibleMsP95: number;
  /** Esc → the overlay gone (includes Ink's ~20 ms wait for a lone ESC). */
  keyToHiddenMsMedian: number;
  keyToHiddenMsP95: number;
  /** Bursts of output while idle (a burst ≈ one Ink frame). */
  framesWhileIdle: number;
  idleBytes: number;
  idleBytesPerSec: number;
  /** The largest idle burst, and the size of a full screen with its colours: a full redraw writes about that. */
  maxIdleBurstBytes: number;
  fullScreenBytes: number;
  fullRedrawsWhileIdle: number;
  /** Screen rows that changed during the idle window (as last seen), so "what changed" is reported, not guessed. */
  changedRowsWhileIdle: string[];
  idleMs: number;
  presses: number;
  /**
   * `kill -9` of a replica from outside the app (as a user's shell would), until its row on screen says it
   * exited: the view's freshness with the probes at their idle cadence. Undefined when not measured.
   */
  externalKillToVisibleMs?: number;
  readyMs: number;
  columns: number;
  rows: number;
  notes: string[];
}

export interface TuiBenchOptions {
  idleMs: number;
  /**
   * Ready -> start of the idle window. The first seconds after ready are not idle: Sentinels discover each other and
   * the replicas, the lag history fills, and V8 returns start-up garbage only when its memory reducer runs.
   */
  settleMs: number;
  presses: number;
  columns?: number;
  rows?: number;
  env?: Record<string, string>;
  /** See TuiRunOptions.entry. */
  entry?: string;
  /** After the key presses, kill this replica from outside and time the screen (see externalKillToVisibleMs). */
  killNode?: string;
}

/** Measures the real TUI (see TuiBenchResult). Leaves nothing behind, also on failure. */
export async function benchTui(opts: TuiBenchOptions): Promise<TuiBenchResult> {
  const t0 = Date.now();
  const run = await TuiRun.start({ columns: opts.columns, rows: opts.rows, env: opts.env, entry: opts.entry });
  try {
    await run.waitFor(READY, 60_000, 'the cluster to be ready');
    const readyMs = Date.now() - t0;
    const pid = run.appPid();
    if (!pid) throw new Error('could not find the TUI process under the tmux pane');
    // Start-up work settles before the idle window (see settleMs); the resident peak meanwhile is reported too.
    let rssStartupPeak = rssMb(pid);
    const settleEnd = performance.now() + opts.settleMs;
    while (performance.now() < settleEnd) {
      await sleep(Math.min(1000, Math.max(0, settleEnd - performance.now())));
      rssStartupPeak = Math.max(rssStartupPeak, rssMb(pid));
    }

    const pipe = run.pipeOutput();
    const fullScreenBytes = Buffer.byteLength(run.captureRaw());
    const rowsBefore = run.capture().split('\n');
    const changed = new Map<number, string>();
    const cpu0 = cpuSeconds(pid);
    const w0 = performance.now();
    const b0 = pipe.bytes();
    const rssSamples = [rssMb(pid)];
    let frames = 0;
    let fullRedraws = 0;
    let maxBurst = 0;
    let burst = 0;
    let lastSize = b0;
    let lastCapture = 0;
    while (performance.now() - w0 < opts.idleMs) {
      await sleep(20);
      const size = pipe.bytes();
      if (size > lastSize) {
        if (burst === 0) frames++;
        burst += size - lastSize;
        maxBurst = Math.max(maxBurst, burst);
      } else {
        if (burst >= fullScreenBytes / 2) fullRedraws++;
        burst = 0;
      }
      lastSize = size;
      if (performance.now() - lastCapture > 1000) {
        lastCapture = performance.now();
        rssSamples.push(rssMb(pid));
        const now = run.capture().split('\n');
        now.forEach((line, i) => {
          if (line !== rowsBefore[i]) changed.set(i, line);
        });
      }
    }
    const wall = (performance.now() - w0) / 1000;
    const cpuPercent = ((cpuSeconds(pid) - cpu0) / wall) * 100;
    const idleBytes = pipe.bytes() - b0;
    pipe.stop();

    const shown: number[] = [];
    const hidden: number[] = [];
    for (let i = 0; i < opts.presses; i++) {
      shown.push(await timeKey(run, '?', (s) => s.includes(HELP_TITLE)));
      await sleep(150);
      hidden.push(await timeKey(run, 'Escape', (s) => !s.includes(HELP_TITLE)));
      // About a person's pace between keys; closer presses would also measure Ink's frame throttle (maxFps).
      await sleep(150);
    }
    let externalKillToVisibleMs: number | undefined;
    if (opts.killNode) {
      const node = opts.killNode;
      const victim = processesInside(run.runRoot).find((p) => /\/([^/]+)$/.exec(processCwdOf(p) ?? '')?.[1] === node);
      if (victim === undefined) throw new Error(`no process of ${node} under ${run.runRoot}`);
      // Quiet again first, so the kill lands on the idle cadence.
      await sleep(3000);
      const rowShowsExited = (screen: string) =>
        screen.split('\n').some((l) => l.includes(` ${node} `) && /exited|SIGKILL/.test(l));
      const t = performance.now();
      process.kill(victim, 'SIGKILL');
      for (;;) {
        if (rowShowsExited(run.capture())) break;
        if (performance.now() - t > 10_000) throw new Error(`${node} not shown exited within 10 s of kill -9`);
        await sleep(5);
      }
      externalKillToVisibleMs = performance.now() - t;
    }
    const notes = [
      'Key latency is measured from outside: tmux send-keys, then capture-pane every ~5 ms; each capture spawns tmux (a few ms), so the figures include tmux and process-spawn latency on top of the app.',
      'Esc latency includes Ink holding a lone ESC ~20 ms in case an escape sequence follows, and redrawing every pane.',
      'Idle output: each burst is one Ink frame; incremental rendering rewrites only the changed rows (from the first changed column). changedRowsWhileIdle lists those rows.',
      `CPU and RSS are of the one node process that runs both the TUI and the lab engine (probes, fabric, store); the app ran from ${run.entry.endsWith('.ts') ? 'source through tsx (its loader thread adds memory)' : run.entry}${opts.env?.NODE_ENV ? ` with NODE_ENV=${opts.env.NODE_ENV}` : ''}.`,
    ];
    const result: TuiBenchResult = {
      cpuPercent: round(cpuPercent),
      rssMb: round(median(rssSamples)),
      rssMaxMb: round(Math.max(...rssSamples)),
      rssStartupPeakMb: round(rssStartupPeak),
      settleMs: opts.settleMs,
      keyToVisibleMsMedian: round(median(shown)),
      keyToVisibleMsP95: round(percentile(shown, 95)),
      keyToHiddenMsMedian: round(median(hidden)),
      keyToHiddenMsP95: round(percentile(hidden, 95)),
      framesWhileIdle: frames,
      idleBytes,
      idleBytesPerSec: round(idleBytes / wall),
      maxIdleBurstBytes: maxBurst,
      fullScreenBytes,
      fullRedrawsWhileIdle: fullRedraws + (burst >= fullScreenBytes / 2 ? 1 : 0),
      changedRowsWhileIdle: [...changed.entries()].sort((a, b) => a[0] - b[0]).map(([i, l]) => `${i}: ${l.trimEnd()}`),
      idleMs: opts.idleMs,
      presses: opts.presses,
      externalKillToVisibleMs: externalKillToVisibleMs === undefined ? undefined : round(externalKillToVisibleMs),
      readyMs,
      columns: run.columns,
      rows: run.rows,
      notes,
    };
    return result;
  } finally {
    await run.stop();
  }
}

async function timeKey(run: TuiRun, key: string, done: (screen: string) => boolean): Promise<number> {
  const t = performance.now();
  run.send(key);
  for (;;) {
    if (done(run.capture())) return performance.now() - t;
    if (performance.now() - t > 5000) throw new Error(`no visible change within 5 s after ${key}`);
    await sleep(5);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
