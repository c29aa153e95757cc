// Supervisor: starts, stops, kills, freezes, thaws and restarts the lab's redis-server and Sentinel processes.
// Each node keeps its own config file (Redis and Sentinel rewrite it) and an append-only log that survives restarts.
//
// A node is awaited by its exit, never by its output pipe: the pipes close only when every holder is gone, and a
// wrapper script that does not `exec` redis-server (or anything it started) keeps them open after it died. Each
// node runs in its own process group (detached), and every signal goes to the whole group, so a stop or kill also
// reaches a wrapper's children. Every wait has a deadline.
//
// Spawning uses node:child_process directly, not execa (used elsewhere): this is the start's hot path, and for
// eight processes execa's option handling and stdio plumbing cost ~3x the main-thread CPU of a plain spawn with
// two line-split pipes (README "Performance").
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { ProcessError } from '../../errors.js';
import type { LabEmitter, ProcessState } from '../events.js';
import { groupAlive, type ProcessRunState, processRunState } from './proc.js';
import { waitReady } from './readiness.js';
import { proveNodeFiles } from './run-dir.js';

export interface NodeProcessSpec {
  id: string;
  kind: 'redis' | 'sentinel';
  confPath: string;
  dir: string;
  logPath: string;
  /** Private address used for the readiness PING. */
  host: string;
  port: number;
  password?: string;
}

interface Child {
  cp: ChildProcess;
  /** Settles once the process exited and both of its pipes closed (or it failed to spawn). */
  closed: Promise<void>;
}

/** Calls `onLine` for each line of `stream` (without its line ending), the last one even without a newline. */
function eachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  });
  const flush = () => {
    if (rest) onLine(rest);
    rest = '';
  };
  stream.once('end', flush);
  stream.once('close', flush);
  // A pipe destroyed from our side (after the drain deadline) or an EPIPE ends the lines, nothing else.
  stream.on('error', () => {});
}

interface Running {
  spec: NodeProcessSpec;
  state: ProcessState;
  pid?: number;
  sp?: Child;
  /** Settles once the process has exited and its output was drained (or the drain deadline passed). */
  exited?: Promise<void>;
  expectExit: boolean;
  tail: string[];
  log?: WriteStream;
  restarts: number;
  /** When a graceful stop escalates to SIGKILL (epoch ms). */
  stopDeadline: number;
}

const TAIL = 200;
/** After a process exits, how long its last output may take to arrive before the pipes are closed from our side. */
export const DRAIN_MS = 500;
/** After SIGKILL, how long to wait for the exit (a process in uninterruptible sleep cannot die at once). */
export const EXIT_DEADLINE_MS = 5000;
/** The longest a kill waits: the process's exit, then the rest of its group's, then its last output. */
const KILL_WAIT_MS = 2 * EXIT_DEADLINE_MS + DRAIN_MS;

/** Resolves true when `p` settles first, false after `ms` (the timer never outlives the race). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `done` until it holds (true) or `ms` pass (false). */
async function until(done: () => boolean, ms: number, intervalMs = 20): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Signals the node's whole process group (the child leads it: detached); false when nothing was there to signal.
 * After the child exited its pid stays reserved while any member of its group lives (it is their group id), so
 * signalling the group then still reaches what it left behind (as execa's killDescendants does).
 */
function signal(sp: Child | undefined, sig: NodeJS.Signals): boolean {
  const pid = sp?.cp.pid;
  if (!sp || pid === undefined) return false;
  try {
    return process.kill(-pid, sig);
  } catch {
    try {
      return sp.cp.kill(sig);
    } catch {
      return false;
    }
  }
}

/** SIGCONT first: a SIGSTOPped process would otherwise keep its port until someone continues it. */
function forceKillGroup(sp: Child | undefined): void {
  signal(sp, 'SIGCONT');
  signal(sp, 'SIGKILL');
}

export class Supervisor {
  private readonly nodes = new Map<string, Running>();
  private readonly binary: string;
  private readonly emitter: LabEmitter;
  private readonly onPids: () => void;
  private readonly readyTimeoutMs: number;
  private readonly stateWatchMs: number;
  private stateTimer: NodeJS.Timeout | undefined;
  /** Per node: the run state that disagreed with ours at the last look (a change must be seen twice). */
  private readonly suspect = new Map<string, ProcessRunState>();

  constructor(opts: {
    binary: string;
    emitter: LabEmitter;
    onPidsChanged?: () => void;
    readyTimeoutMs?: number;
    /** How often the process table is read to notice a node stopped or continued from outside (0: never). */
    stateWatchMs?: number;
  }) {
    this.binary = opts.binary;
    this.emitter = opts.emitter;
    this.onPids = opts.onPidsChanged ?? (() => {});
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
    this.stateWatchMs = opts.stateWatchMs ?? 500;
  }

  /**
   * A node frozen or thawed from outside the lab (`kill -STOP`/`kill -CONT` in a shell) is noticed here: the process
   * table says it is stopped (state T in /proc/<pid>/stat) while we think it runs, or the reverse. A change counts
   * once it is seen on two looks in a row, so the lab's own freeze (SIGSTOP, then 'frozen') never races it. An exit
   * needs no looking: a child's exit is reported by its 'exit' event, with the signal or code.
   */
  private watchStates(): void {
    if (this.stateTimer || this.stateWatchMs <= 0) return;
    this.stateTimer = setInterval(() => this.lookAtStates(), this.stateWatchMs);
    this.stateTimer.unref();
  }

  private lookAtStates(): void {
    for (const n of this.nodes.values()) {
      if (!n.pid || (n.state !== 'running' && n.state !== 'frozen')) {
        this.suspect.delete(n.spec.id);
        continue;
      }
      const seen = processRunState(n.pid);
      const disagrees = (seen === 'stopped' && n.state === 'running') || (seen === 'running' && n.state === 'frozen');
      if (!disagrees) {
        this.suspect.delete(n.spec.id);
        continue;
      }
      if (this.suspect.get(n.spec.id) !== seen) {
        this.suspect.set(n.spec.id, seen);
        continue;
      }
      this.suspect.delete(n.spec.id);
      if (seen === 'stopped') this.setState(n, 'frozen', 'stopped from outside the lab (SIGSTOP)');
      else this.setState(n, 'running', 'continued from outside the lab (SIGCONT)');
    }
  }

  add(spec: NodeProcessSpec): void {
    this.nodes.set(spec.id, { spec, state: 'stopped', expectExit: false, tail: [], restarts: 0, stopDeadline: 0 });
  }

  private get(id: string): Running {
    const n = this.nodes.get(id);
    if (!n) throw new ProcessError(`unknown node ${id}`);
    return n;
  }

  ids(): string[] {
    return [...this.nodes.keys()];
  }
  state(id: string): ProcessState {
    return this.get(id).state;
  }
  pid(id: string): number | undefined {
    const n = this.get(id);
    return n.state === 'stopped' || n.state === 'exited' ? undefined : n.pid;
  }
  pids(): Record<string, { pid: number; conf: string }> {
    const out: Record<string, { pid: number; conf: string }> = {};
    for (const [id, n] of this.nodes)
      if (n.pid && n.state !== 'exited' && n.state !== 'stopped') out[id] = { pid: n.pid, conf: n.spec.confPath };
    return out;
  }
  spec(id: string): NodeProcessSpec {
    return this.get(id).spec;
  }
  logTail(id: string, lines = 20): string[] {
    return this.get(id).tail.slice(-lines);
  }
  /** Listeners on each node's log stream, by event (a test proves restarts do not add any). */
  logListenerCounts(id: string): Record<string, number> {
    const log = this.get(id).log;
    const out: Record<string, number> = {};
    if (log) for (const e of log.eventNames()) out[String(e)] = log.listenerCount(e);
    return out;
  }
  /** Number of processes currently alive (running or frozen). */
  aliveCount(): number {
    let c = 0;
    for (const n of this.nodes.values())
      if (n.state === 'running' || n.state === 'frozen' || n.state === 'starting' || n.state === 'stopping') c++;
    return c;
  }

  private setState(n: Running, state: ProcessState, reason?: string): void {
    n.state = state;
    this.emitter.emit('node-state', { id: n.spec.id, state, pid: n.pid, at: Date.now(), reason });
  }

  private line(n: Running, line: string): void {
    n.tail.push(line);
    if (n.tail.length > TAIL) n.tail.splice(0, n.tail.length - TAIL);
    n.log?.write(`${line}\n`);
    this.emitter.emit('node-log', { id: n.spec.id, at: Date.now(), line });
  }

  private openLog(n: Running): void {
    if (n.log) return;
    n.log = createWriteStream(n.spec.logPath, { flags: 'a', mode: 0o600 });
    // Once per stream, not per start: one listener added on every restart tripped MaxListenersExceededWarning.
    n.log.on('error', () => {});
  }

  /** Spawns the node and resolves once it answers PING (not LOADING); rejects with its log tail if it dies first. */
  async start(id: string): Promise<void> {
    const n = this.get(id);
    if (n.state === 'running' || n.state === 'starting' || n.state === 'frozen') return;
    // Before every start, restarts included: the node directory and its config are still ours (a UserError if not).
    proveNodeFiles(n.spec.confPath, n.spec.dir);
    if (n.pid !== undefined) n.restarts++;
    n.expectExit = false;
    this.openLog(n);
    const args = n.spec.kind === 'sentinel' ? [n.spec.confPath, '--sentinel'] : [n.spec.confPath];
    // Own session and process group: a Ctrl+Z or terminal signal to the lab must not stop every Sentinel (they
    // would enter TILT), and a signal to the group reaches whatever the binary started.
    const cp = spawn(this.binary, args, { cwd: n.spec.dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // 'error' is also how a failed signal is reported; only one without a pid is the spawn's own failure.
    const spawnFailed = new Promise<void>((resolve) =>
      cp.on('error', (err) => {
        if (cp.pid !== undefined) return;
        this.line(n, `[lab] could not start ${this.binary}: ${err.message}`);
        resolve();
      }),
    );
    const sp: Child = {
      cp,
      closed: Promise.race([new Promise<void>((resolve) => cp.once('close', () => resolve())), spawnFailed]),
    };
    n.sp = sp;
    n.pid = cp.pid;
    this.watchStates();
    this.setState(n, 'starting');
    this.onPids();
    let gone = false;
    // Lines end with the process (or when its pipes are closed after the drain deadline).
    eachLine(cp.stdout, (line) => this.line(n, line));
    eachLine(cp.stderr, (line) => this.line(n, line));
    const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      cp.once('exit', (code, sig) => resolve({ code, signal: sig }));
      // A spawn failure (ENOENT, EACCES) emits 'error' and no 'exit'.
      void spawnFailed.then(() => resolve({ code: null, signal: null }));
    });
    n.exited = exit.then(async (r) => {
      gone = true;
      // The node is gone when its whole process group is: a wrapper's redis-server, a Sentinel's notification
      // script. After a crash or a kill, what is left is killed now (it would hold the port and the pipe); during
      // a graceful stop it may finish its SHUTDOWN until the stop's grace timer SIGKILLs the group.
      const graceful = n.expectExit && n.state === 'stopping';
      if (!graceful) forceKillGroup(sp);
      const pgid = cp.pid;
      if (pgid !== undefined) {
        const wait = (graceful ? Math.max(0, n.stopDeadline - Date.now()) : 0) + EXIT_DEADLINE_MS;
        if (!(await until(() => !groupAlive(pgid), wait))) {
          forceKillGroup(sp);
          this.line(n, `[lab] process group ${pgid} still had members ${wait} ms after the node exited`);
        }
      }
      // Its last lines (why it died) are in the pipe; read them, but never wait on a pipe someone else holds.
      if (!(await within(sp.closed, DRAIN_MS))) {
        cp.stdout?.destroy();
        cp.stderr?.destroy();
      }
      await new Promise((res) => setImmediate(res));
      if (n.sp !== sp) return;
      const expected = n.expectExit;
      const reason = r.signal ? `killed (${r.signal})` : `exited with code ${r.code ?? '?'}`;
      this.setState(n, expected && n.state === 'stopping' ? 'stopped' : 'exited', reason);
      this.emitter.emit('node-exited', {
        id,
        at: Date.now(),
        code: r.code,
        signal: r.signal,
        expected,
        logTail: n.tail.slice(-20),
      });
      this.onPids();
    });
    const ready = await waitReady(
      { host: n.spec.host, port: n.spec.port, password: n.spec.password, timeoutMs: this.readyTimeoutMs },
      () => gone,
    );
    if (ready === 'ready') {
      if ((n.state as ProcessState) === 'starting') this.setState(n, 'running');
      return;
    }
    if (ready === 'timeout') {
      n.expectExit = true;
      forceKillGroup(sp);
    }
    // 'gone': the exit is already known; this waits (bounded) for its last log lines.
    await this.awaitExit(n, KILL_WAIT_MS);
    throw new ProcessError(
      ready === 'gone'
        ? `${id} exited during startup (${n.spec.kind === 'sentinel' ? 'Sentinel' : 'redis-server'} ${n.spec.confPath})`
        : `${id} did not answer PING within ${this.readyTimeoutMs} ms`,
      { nodeId: id, logTail: n.tail.slice(-20) },
    );
  }

  /** Waits for the node's exit, at most `ms`; says so in its log when the deadline passes. */
  private async awaitExit(n: Running, ms: number): Promise<void> {
    if (!n.exited) return;
    if (await within(n.exited, ms)) return;
    this.line(n, `[lab] pid ${n.pid} had not exited ${ms} ms after it was signalled; giving up waiting for it`);
  }

  /** SIGKILL to the node's process group (after SIGCONT, or a frozen process would survive). */
  async kill(id: string): Promise<void> {
    const n = this.get(id);
    if (!n.pid || n.state === 'exited' || n.state === 'stopped') return;
    n.expectExit = true;
    forceKillGroup(n.sp);
    await this.awaitExit(n, KILL_WAIT_MS);
  }

  /** Graceful stop: SIGTERM makes Redis run SHUTDOWN; escalates to SIGKILL after `graceMs`. */
  async stop(id: string, graceMs = 5000): Promise<void> {
    const n = this.get(id);
    if (!n.pid || n.state === 'exited' || n.state === 'stopped') return;
    n.expectExit = true;
    this.setState(n, 'stopping');
    const sp = n.sp;
    n.stopDeadline = Date.now() + graceMs;
    signal(sp, 'SIGCONT');
    signal(sp, 'SIGTERM');
    const timer = setTimeout(() => forceKillGroup(sp), graceMs);
    try {
      await this.awaitExit(n, graceMs + KILL_WAIT_MS);
    } finally {
      clearTimeout(timer);
    }
  }

  freeze(id: string): void {
    const n = this.get(id);
    if (!n.pid || n.state !== 'running')
      throw new ProcessError(`${id} is not running (it is ${n.state})`, { nodeId: id });
    signal(n.sp, 'SIGSTOP');
    this.setState(n, 'frozen', 'SIGSTOP');
  }

  thaw(id: string): void {
    const n = this.get(id);
    if (!n.pid || n.state !== 'frozen')
      throw new ProcessError(`${id} is not frozen (it is ${n.state})`, { nodeId: id });
    signal(n.sp, 'SIGCONT');
    this.setState(n, 'running', 'SIGCONT');
  }

  /** Restart with the same config file (which Redis or Sentinel may have rewritten). */
  async restart(id: string): Promise<void> {
    const n = this.get(id);
    if (n.state === 'running' || n.state === 'frozen' || n.state === 'starting') await this.stop(id);
    await this.start(id);
  }

  /** Stops everything at once: SIGCONT + SIGKILL to every group, then waits (bounded) for their exits. */
  async killAll(): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const n of this.nodes.values()) {
      if (n.pid && n.state !== 'exited' && n.state !== 'stopped') {
        n.expectExit = true;
        forceKillGroup(n.sp);
        waits.push(this.awaitExit(n, KILL_WAIT_MS));
      }
    }
    await Promise.all(waits);
    for (const n of this.nodes.values()) {
      n.log?.end();
      n.log = undefined;
    }
    if (this.stateTimer) clearInterval(this.stateTimer);
    this.stateTimer = undefined;
  }

  /** Forgets every node (after killAll), so a reset can add them again with fresh configs. */
  clear(): void {
    this.nodes.clear();
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killAllSync(): void {
    if (this.stateTimer) clearInterval(this.stateTimer);
    this.stateTimer = undefined;
    for (const n of this.nodes.values())
      if (n.pid && n.state !== 'exited' && n.state !== 'stopped') forceKillGroup(n.sp);
  }
}
