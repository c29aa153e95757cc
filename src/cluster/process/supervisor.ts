// Supervisor: starts, stops, kills, freezes, thaws and restarts the lab's redis-server and Sentinel processes.
// Each node keeps its own config file (Redis and Sentinel rewrite it) and an append-only log that survives restarts.
import { createWriteStream, type WriteStream } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { ProcessError } from '../../errors.js';
import type { LabEmitter, ProcessState } from '../events.js';
import { forceKill } from './proc.js';
import { waitReady } from './readiness.js';

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

interface Running {
  spec: NodeProcessSpec;
  state: ProcessState;
  pid?: number;
  sp?: ResultPromise<{ stdin: 'ignore'; buffer: false; all: true; reject: false; detached: true }>;
  exited?: Promise<void>;
  expectExit: boolean;
  tail: string[];
  log?: WriteStream;
  restarts: number;
}

const TAIL = 200;

export class Supervisor {
  private readonly nodes = new Map<string, Running>();
  private readonly binary: string;
  private readonly emitter: LabEmitter;
  private readonly onPids: () => void;
  private readonly readyTimeoutMs: number;

  constructor(opts: { binary: string; emitter: LabEmitter; onPidsChanged?: () => void; readyTimeoutMs?: number }) {
    this.binary = opts.binary;
    this.emitter = opts.emitter;
    this.onPids = opts.onPidsChanged ?? (() => {});
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  }

  add(spec: NodeProcessSpec): void {
    this.nodes.set(spec.id, { spec, state: 'stopped', expectExit: false, tail: [], restarts: 0 });
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

  /** Spawns the node and resolves once it answers PING (not LOADING); rejects with its log tail if it dies first. */
  async start(id: string): Promise<void> {
    const n = this.get(id);
    if (n.state === 'running' || n.state === 'starting' || n.state === 'frozen') return;
    if (n.pid !== undefined) n.restarts++;
    n.expectExit = false;
    n.log ??= createWriteStream(n.spec.logPath, { flags: 'a', mode: 0o600 });
    n.log.on('error', () => {});
    const args = n.spec.kind === 'sentinel' ? [n.spec.confPath, '--sentinel'] : [n.spec.confPath];
    // Own session: a Ctrl+Z or terminal signal to the lab must not stop every Sentinel (they would enter TILT).
    const sp = execa(this.binary, args, {
      cwd: n.spec.dir,
      stdin: 'ignore',
      buffer: false,
      all: true,
      reject: false,
      detached: true,
      cleanup: false,
      killSignal: 'SIGKILL',
    });
    n.sp = sp;
    n.pid = sp.pid;
    this.setState(n, 'starting');
    this.onPids();
    let gone = false;
    void (async () => {
      try {
        for await (const line of sp.iterable({ from: 'all' })) this.line(n, line);
      } catch {
        // iteration ends with the process; its exit is handled below
      }
    })();
    n.exited = sp.then((r) => {
      gone = true;
      if (n.sp !== sp) return;
      const expected = n.expectExit;
      const reason = r.signal ? `killed (${r.signal})` : `exited with code ${r.exitCode ?? '?'}`;
      this.setState(n, expected && n.state === 'stopping' ? 'stopped' : 'exited', reason);
      this.emitter.emit('node-exited', {
        id,
        at: Date.now(),
        code: r.exitCode ?? null,
        signal: r.signal ?? null,
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
      if (n.pid) forceKill(n.pid);
      await n.exited;
    }
    // let the log loop drain the last lines (why it died)
    await new Promise((r) => setImmediate(r));
    throw new ProcessError(
      ready === 'gone'
        ? `${id} exited during startup (${n.spec.kind === 'sentinel' ? 'Sentinel' : 'redis-server'} ${n.spec.confPath})`
        : `${id} did not answer PING within ${this.readyTimeoutMs} ms`,
      { nodeId: id, logTail: n.tail.slice(-20) },
    );
  }

  /** SIGKILL (after SIGCONT, or a frozen process would survive). */
  async kill(id: string): Promise<void> {
    const n = this.get(id);
    if (!n.pid || n.state === 'exited' || n.state === 'stopped') return;
    n.expectExit = true;
    forceKill(n.pid);
    await n.exited;
  }

  /** Graceful stop: SIGTERM makes Redis run SHUTDOWN; escalates to SIGKILL after `graceMs`. */
  async stop(id: string, graceMs = 5000): Promise<void> {
    const n = this.get(id);
    if (!n.pid || n.state === 'exited' || n.state === 'stopped') return;
    n.expectExit = true;
    this.setState(n, 'stopping');
    const pid = n.pid;
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => forceKill(pid), graceMs);
    await n.exited;
    clearTimeout(timer);
  }

  freeze(id: string): void {
    const n = this.get(id);
    if (!n.pid || n.state !== 'running')
      throw new ProcessError(`${id} is not running (it is ${n.state})`, { nodeId: id });
    process.kill(n.pid, 'SIGSTOP');
    this.setState(n, 'frozen', 'SIGSTOP');
  }

  thaw(id: string): void {
    const n = this.get(id);
    if (!n.pid || n.state !== 'frozen')
      throw new ProcessError(`${id} is not frozen (it is ${n.state})`, { nodeId: id });
    process.kill(n.pid, 'SIGCONT');
    this.setState(n, 'running', 'SIGCONT');
  }

  /** Restart with the same config file (which Redis or Sentinel may have rewritten). */
  async restart(id: string): Promise<void> {
    const n = this.get(id);
    if (n.state === 'running' || n.state === 'frozen' || n.state === 'starting') await this.stop(id);
    await this.start(id);
  }

  /** Stops everything at once: SIGCONT + SIGKILL to every child, then waits for their exits. */
  async killAll(): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const n of this.nodes.values()) {
      if (n.pid && n.state !== 'exited' && n.state !== 'stopped') {
        n.expectExit = true;
        forceKill(n.pid);
        if (n.exited) waits.push(n.exited);
      }
    }
    await Promise.all(waits);
    for (const n of this.nodes.values()) {
      n.log?.end();
      n.log = undefined;
    }
  }

  /** Forgets every node (after killAll), so a reset can add them again with fresh configs. */
  clear(): void {
    this.nodes.clear();
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killAllSync(): void {
    for (const n of this.nodes.values()) if (n.pid && n.state !== 'exited' && n.state !== 'stopped') forceKill(n.pid);
  }
}
