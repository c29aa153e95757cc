// One accepted caller socket paired with its upstream socket to the real node, as two one-way Flows.
// Owns the pair's lifecycle: delayed open behind a dropped link, resets, and quiet teardown on any error.

import { connect, Socket, type SocketConstructorOpts } from 'node:net';
import { Flow, type Link, type Reader } from './flow.js';

export type ConnectionInfo = {
  id: number;
  nodeId: string;
  fromHost: string;
  toHost: string;
  bytesUp: number;
  bytesDown: number;
  held: boolean;
};

export type ConnectionOptions = {
  id: number;
  nodeId: string;
  fromHost: string;
  toHost: string;
  /** The accepted socket, still paused (the listener uses pauseOnConnect). */
  caller: Socket;
  /** Read the caller through a reused buffer (default true); false keeps Node's per-read buffers. */
  adoptCaller?: boolean;
  /** Caller host -> target host. */
  upLink: Link;
  /** Target host -> caller host. */
  downLink: Link;
  target: { ip: string; port: number; localAddress: string | undefined };
  clock: () => number;
  /** True while the target node is starting (Fabric.hold): the upstream is not opened yet. */
  isHeld: () => boolean;
  onDone: (conn: ProxiedConnection) => void;
};

export class ProxiedConnection {
  readonly id: number;
  readonly nodeId: string;
  readonly fromHost: string;
  readonly toHost: string;
  private readonly opts: ConnectionOptions;
  private readonly caller: Socket;
  private upstream: Socket | null = null;
  private readonly up: Flow;
  private down: Flow | null = null;
  private callerClosed = false;
  private upstreamClosed = false;
  private done = false;

  constructor(opts: ConnectionOptions) {
    this.opts = opts;
    this.id = opts.id;
    this.nodeId = opts.nodeId;
    this.fromHost = opts.fromHost;
    this.toHost = opts.toHost;
    this.up = new Flow(opts.upLink, this, opts.clock);
    const adopted = opts.adoptCaller === false ? undefined : adoptWithReader(opts.caller, this.up.reader);
    this.caller = adopted ?? opts.caller;
    this.caller.on('error', this.onError);
    this.caller.on('close', this.onCallerClose);
    this.caller.on('end', this.onCallerEnd);
    this.up.source(this.caller, adopted !== undefined);
    if (!adopted) this.caller.resume();
  }

  /**
   * Opens upstream now, unless the caller -> target link drops (it waits like a lost SYN) or the target is still
   * starting (it waits for Fabric.release).
   */
  start(): void {
    this.reevaluate();
  }

  /** Re-reads both links after faults changed. */
  reevaluate(): void {
    if (this.done) return;
    const upCut = this.opts.upLink.effect.cut;
    if (this.upstream === null) {
      if (upCut === 'reject') this.reset();
      else if (upCut === undefined && !this.opts.isHeld()) this.open();
      return;
    }
    if (upCut === 'reject' || this.opts.downLink.effect.cut === 'reject') {
      this.reset();
      return;
    }
    this.up.refresh();
    this.down?.refresh();
  }

  info(): ConnectionInfo {
    return {
      id: this.id,
      nodeId: this.nodeId,
      fromHost: this.fromHost,
      toHost: this.toHost,
      bytesUp: this.up.bytes,
      bytesDown: this.down?.bytes ?? 0,
      held: this.upstream === null || this.up.held || (this.down?.held ?? false),
    };
  }

  /** Kills both sockets with RST, like a dead port. */
  reset(): void {
    if (this.done) return;
    resetSocket(this.caller);
    if (this.upstream) resetSocket(this.upstream);
    this.finish();
  }

  /** Closes both sockets without ceremony (fabric shutdown). */
  destroy(): void {
    this.finish();
  }

  private open(): void {
    const { ip, port, localAddress } = this.opts.target;
    const down = new Flow(this.opts.downLink, this, this.opts.clock);
    const upstream = connect({ host: ip, port, localAddress, allowHalfOpen: true, noDelay: true, onread: down.reader });
    this.upstream = upstream;
    upstream.on('error', this.onError);
    upstream.on('close', this.onUpstreamClose);
    this.down = down;
    down.source(upstream, true);
    down.attach(this.caller);
    this.up.attach(upstream);
  }

  // Any socket error (ECONNRESET, EPIPE, ECONNREFUSED upstream) resets the pair; the caller sees a dead port.
  private readonly onError = (): void => {
    this.reset();
  };

  // A caller that gives up before its connection was let through is forgotten quietly.
  private readonly onCallerEnd = (): void => {
    if (this.upstream === null) this.finish();
  };

  private readonly onCallerClose = (): void => {
    this.callerClosed = true;
    if (this.upstream === null) {
      this.finish();
      return;
    }
    this.down?.sinkClosed();
    this.up.srcClosed();
    this.maybeFinish();
  };

  private readonly onUpstreamClose = (): void => {
    this.upstreamClosed = true;
    this.up.sinkClosed();
    this.down?.srcClosed();
    this.maybeFinish();
  };

  private maybeFinish(): void {
    if (this.callerClosed && this.upstreamClosed) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.up.stop();
    this.down?.stop();
    this.caller.destroy();
    this.upstream?.destroy();
    this.opts.onDone(this);
  }
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  // resetAndDestroy on a still-connecting socket would linger until connected; plain destroy is enough.
  // After end() (a forwarded FIN) libuv may still hold the shutdown request until the socket is writable again;
  // then uv_tcp_close_reset refuses with EINVAL and Node (22) emits 'error' but never closes the handle: the fd
  // leaks and the process spins at 100% CPU in its exit cleanup (Environment::CleanupHandles) forever. Seen after
  // healing a dropped partition. A plain destroy always closes (the peer gets FIN, or RST if data is unread).
  if (socket.connecting || (socket.writableEnded && !socket.writableFinished)) socket.destroy();
  else socket.resetAndDestroy();
}

/**
 * net.Server has no `onread` option, so an accepted socket reads into a fresh buffer per chunk and pays the
 * stream machinery on every 'data' event (about half the fabric's user-space CPU per forwarded request).
 * Node's own Server builds its sockets with `new Socket({ handle })`; this does the same with the paused
 * socket's handle plus `onread`, then retires the original (with no handle its destroy only settles the
 * server's connection count). Returns undefined where this Node does not expose the handle; the caller then
 * reads 'data' events.
 */
function adoptWithReader(accepted: Socket, onread: Reader): Socket | undefined {
  const inner = accepted as unknown as { _handle?: { readStart?: unknown } | null };
  const handle = inner._handle;
  if (!handle || typeof handle.readStart !== 'function' || accepted.destroyed) return undefined;
  const opts: SocketConstructorOpts & { handle: unknown } = { handle, allowHalfOpen: true, onread };
  const adopted = new Socket(opts);
  inner._handle = null;
  accepted.on('error', () => {});
  accepted.destroy();
  return adopted;
}
