// The network fabric: TCP listeners on each node's public address that forward to its private address,
// telling hosts apart by loopback source IP so faults can partition, delay or throttle host pairs.
//
// Like a real host, a node whose process is gone refuses connections (ECONNREFUSED: its listeners close until the
// process answers again), unless a `drop` cut hides the host (a pulled cable: the connection just hangs). Gateway
// listeners (`asHost`) let a client from outside the lab count as one host: everything it sends through host-3's
// gateway is partitioned and delayed with host-3.

import { EventEmitter } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { InternalError, UserError } from '../../errors.js';
import { type ConnectionInfo, ProxiedConnection } from './connection.js';
import type { Link } from './flow.js';
import {
  type ActiveFault,
  describeFault,
  effectiveRules,
  type FaultSpec,
  OUTSIDE_HOST,
  planFault,
  sameFault,
} from './plan.js';

export type { ConnectionInfo } from './connection.js';

export type FabricHost = { id: string; ip: string };

export type ListenerSpec = {
  nodeId: string;
  /** Host the node lives on: the destination host of every connection this listener accepts. */
  host: string;
  listenIp: string;
  listenPort: number;
  targetIp: string;
  targetPort: number;
  /**
   * A gateway listener: every connection it accepts counts as coming from this host (and connects upstream from
   * the host's address), whatever its source address.
   */
  asHost?: string;
  /** Start with the node held (see Fabric.hold): for a listener opened before its node is started. */
  held?: boolean;
};

/** How often a dead node's private address is tried, to open its listeners again once it answers. */
export const REVIVE_POLL_MS = 100;

export type FabricEvents = {
  'fault-applied': [fault: ActiveFault];
  'fault-healed': [fault: ActiveFault];
  /** A host's listeners moved: published `portOffset` above their own ports (0: back at their own ports). */
  remapped: [change: { host: string; portOffset: number }];
};

export class Fabric extends EventEmitter<FabricEvents> {
  private readonly hostIds: string[];
  private readonly hostByIp = new Map<string, string>();
  private readonly ipByHost = new Map<string, string>();
  /** Every listener asked for, by `ip:port`, with its server while it listens. */
  private readonly specs = new Map<string, { spec: ListenerSpec; base: number; server?: Server }>();
  /** Hosts published at a port offset (the lab's NAT), by host id. */
  private readonly offsets = new Map<string, number>();
  /** Nodes whose process does not accept connections now, with the timer that tries them again. */
  private readonly down = new Map<string, NodeJS.Timeout | undefined>();
  private readonly now: () => number;
  private readonly clock = (): number => performance.now();
  private readonly links = new Map<string, Link>();
  private readonly servers = new Set<Server>();
  private readonly conns = new Set<ProxiedConnection>();
  /** Nodes whose process is starting: connections to them are accepted and wait, see hold(). */
  private readonly heldNodes = new Set<string>();
  private faults: readonly ActiveFault[] = [];
  private nextFaultId = 1;
  private nextConnId = 1;
  private closing: Promise<void> | null = null;

  private readonly adoptCallers: boolean;

  /**
   * `now` stamps `appliedAt` (wall clock by default); pacing always uses a monotonic clock. `adoptCallers: false`
   * reads callers through plain 'data' events (the path taken where a Node cannot re-wrap accepted sockets).
   */
  constructor(opts: { hosts: readonly FabricHost[]; now?: () => number; adoptCallers?: boolean }) {
    super();
    this.now = opts.now ?? Date.now;
    this.adoptCallers = opts.adoptCallers ?? true;
    this.hostIds = [];
    for (const host of opts.hosts) {
      if (host.id === OUTSIDE_HOST) throw new InternalError(`host id "${OUTSIDE_HOST}" is reserved`);
      if (this.hostIds.includes(host.id)) throw new InternalError(`duplicate host id "${host.id}"`);
      if (this.hostByIp.has(host.ip))
        throw new InternalError(`hosts ${this.hostByIp.get(host.ip)} and ${host.id} share IP ${host.ip}`);
      this.hostIds.push(host.id);
      this.hostByIp.set(host.ip, host.id);
      this.ipByHost.set(host.id, host.ip);
    }
  }

  /** Starts forwarding listenIp:listenPort to targetIp:targetPort; port 0 picks a free port. */
  async listen(spec: ListenerSpec): Promise<{ port: number }> {
    if (this.closing) throw new InternalError('fabric is closed');
    if (!this.hostIds.includes(spec.host)) {
      throw new UserError(`host: unknown host "${spec.host}" for node ${spec.nodeId}`);
    }
    if (spec.asHost !== undefined && !this.hostIds.includes(spec.asHost)) {
      throw new UserError(`asHost: unknown host "${spec.asHost}" for a gateway of ${spec.nodeId}`);
    }
    if (spec.held) this.hold(spec.nodeId);
    // Behind the lab's NAT (remapHost) a node's public listener opens at its port plus the host's offset.
    const offset = spec.listenPort === 0 || spec.asHost !== undefined ? 0 : (this.offsets.get(spec.host) ?? 0);
    const server = await this.open({ ...spec, listenPort: spec.listenPort + offset });
    const port = (server.address() as AddressInfo).port;
    const fixed = { ...spec, listenPort: port };
    this.specs.set(`${spec.listenIp}:${port}`, { spec: fixed, base: spec.listenPort, server });
    // A node already known dead refuses from the start.
    if (this.down.has(spec.nodeId) && !this.holdsFor(spec.nodeId)) this.closeListener(`${spec.listenIp}:${port}`);
    return { port };
  }

  /** The node's process is gone: its addresses refuse connections (unless a drop cut hides its host). */
  targetDown(nodeId: string): void {
    if (this.closing || this.down.has(nodeId)) return;
    this.down.set(nodeId, undefined);
    this.syncListeners(nodeId);
    this.pollRevival(nodeId);
  }

  /** The node's process accepts connections again: its addresses listen again. */
  targetUp(nodeId: string): void {
    if (!this.down.has(nodeId)) return;
    const timer = this.down.get(nodeId);
    if (timer) clearTimeout(timer);
    this.down.delete(nodeId);
    this.syncListeners(nodeId);
  }

  /** Whether the node's process is known not to accept connections. */
  isDown(nodeId: string): boolean {
    return this.down.has(nodeId);
  }

  /** Whether a listener of the node answers on `ip:port` now. */
  listening(ip: string, port: number): boolean {
    return this.specs.get(`${ip}:${port}`)?.server !== undefined;
  }

  /** A dead node's listeners stay open while a drop cut leads into its host: there, a connection hangs. */
  private holdsFor(nodeId: string): boolean {
    const host = [...this.specs.values()].find((l) => l.spec.nodeId === nodeId)?.spec.host;
    if (host === undefined) return false;
    return this.faults.some((f) =>
      f.rules.some((r) => r.to === host && r.effect.kind === 'cut' && r.effect.mode === 'drop'),
    );
  }

  /** Opens or closes the node's listeners to match whether it is down (and whether a drop cut holds them). */
  private syncListeners(nodeId: string): void {
    if (this.closing) return;
    const refuse = this.down.has(nodeId) && !this.holdsFor(nodeId);
    for (const [key, l] of this.specs) {
      if (l.spec.nodeId !== nodeId) continue;
      if (refuse && l.server) this.closeListener(key);
      else if (!refuse && !l.server) void this.reopen(key);
    }
  }

  private closeListener(key: string): void {
    const l = this.specs.get(key);
    if (!l?.server) return;
    const server = l.server;
    l.server = undefined;
    this.servers.delete(server);
    server.close();
  }

  private async reopen(key: string): Promise<void> {
    const l = this.specs.get(key);
    if (!l || l.server) return;
    try {
      const server = await this.open(l.spec);
      // Closed again (or the fabric) while it was opening: leave it closed.
      if (this.closing || l.server || (this.down.has(l.spec.nodeId) && !this.holdsFor(l.spec.nodeId))) {
        server.close();
        this.servers.delete(server);
        return;
      }
      l.server = server;
    } catch {
      // The address was taken meanwhile: the node stays unreachable there, as if the host were gone.
    }
  }

  /** Tries the dead node's private address until it accepts, then opens its listeners again. */
  private pollRevival(nodeId: string): void {
    const spec = [...this.specs.values()].find((l) => l.spec.nodeId === nodeId)?.spec;
    if (!spec || this.closing) return;
    const timer = setTimeout(() => {
      if (!this.down.has(nodeId) || this.closing) return;
      const probe = connect({ host: spec.targetIp, port: spec.targetPort });
      probe.once('connect', () => {
        probe.destroy();
        this.targetUp(nodeId);
      });
      probe.once('error', () => {
        probe.destroy();
        if (this.down.has(nodeId)) this.pollRevival(nodeId);
      });
    }, REVIVE_POLL_MS);
    timer.unref();
    this.down.set(nodeId, timer);
  }

  /**
   * Publishes every node of `host` at its own port plus `portOffset` (the lab's NAT, like `docker run -p 6581:6381`),
   * or back at its own port with 0. Nothing listens at the old port afterwards, so a caller that still uses it is
   * refused, and the connections that came in through it are closed (as when a container is recreated with new
   * port mappings). All new listeners are opened before any old one closes: a busy port changes nothing. Gateways
   * (asHost) and port-0 listeners (tests) stay where they are.
   */
  async remapHost(host: string, portOffset: number): Promise<void> {
    if (this.closing) throw new InternalError('fabric is closed');
    if (!this.hostIds.includes(host)) throw new UserError(`host: unknown host "${host}"`);
    if (!Number.isSafeInteger(portOffset) || portOffset < 0) throw new InternalError('portOffset must be >= 0');
    const moving = [...this.specs.entries()].filter(
      ([, l]) =>
        l.spec.host === host &&
        l.spec.asHost === undefined &&
        l.base !== 0 &&
        l.spec.listenPort !== l.base + portOffset,
    );
    const opened: Array<{ key: string; server?: Server; port: number }> = [];
    try {
      for (const [key, l] of moving) {
        const port = l.base + portOffset;
        // A listener closed because its node is down moves closed; syncListeners opens it when the node is back.
        opened.push({ key, port, ...(l.server ? { server: await this.open({ ...l.spec, listenPort: port }) } : {}) });
      }
    } catch (err) {
      for (const o of opened) {
        if (!o.server) continue;
        o.server.close();
        this.servers.delete(o.server);
      }
      throw err;
    }
    if (portOffset === 0) this.offsets.delete(host);
    else this.offsets.set(host, portOffset);
    const nodes = new Set(moving.map(([, l]) => l.spec.nodeId));
    for (const conn of [...this.conns]) if (nodes.has(conn.nodeId)) conn.destroy();
    for (const o of opened) {
      const l = this.specs.get(o.key);
      if (!l) continue;
      this.closeListener(o.key);
      this.specs.delete(o.key);
      const spec = { ...l.spec, listenPort: o.port };
      this.specs.set(`${spec.listenIp}:${o.port}`, { spec, base: l.base, ...(o.server ? { server: o.server } : {}) });
    }
    this.emit('remapped', { host, portOffset });
  }

  /** Hosts published at a port offset, with the offset. */
  remapped(): Record<string, number> {
    return Object.fromEntries(this.offsets);
  }

  private open(spec: ListenerSpec): Promise<Server> {
    // Paused: the connection re-wraps the socket to read it through a reused buffer (ProxiedConnection).
    const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (socket) =>
      this.accept(socket, spec),
    );
    const where = `${spec.listenIp}:${spec.listenPort}`;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        server.close();
        const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.message;
        reject(
          new UserError(`cannot listen on ${where} for ${spec.nodeId}: ${why}`, {
            hint: 'another process (or an old lab) holds that address; stop it or pick other ports',
            cause: err,
          }),
        );
      };
      server.once('error', onError);
      server.listen({ host: spec.listenIp, port: spec.listenPort }, () => {
        server.off('error', onError);
        // Accept-time errors (EMFILE...) must not crash the lab; the caller just sees no answer.
        server.on('error', () => {});
        if (this.closing) {
          server.close();
          reject(new InternalError('fabric is closed'));
          return;
        }
        this.servers.add(server);
        resolve(server);
      });
    });
  }

  /**
   * Holds new connections to `nodeId` (accepted, bytes kept, upstream not opened) until release(): for a node
   * whose process is starting. Without it a peer that dials a Sentinel a few ms before it listens is refused, and
   * Sentinel retries a refused link only once per second (sentinelReconnectInstance in Redis's sentinel.c) while
   * the PING it counts from has been pending since the link was created: the peer is +sdown after
   * down-after-milliseconds and -sdown a moment later, on a perfectly healthy start. Like a SYN retransmitted
   * until the server listens, the dial simply succeeds a few ms late.
   */
  hold(nodeId: string): void {
    this.heldNodes.add(nodeId);
  }

  /** The node answers now: held connections to it open their upstream (faults still apply). */
  release(nodeId: string): void {
    if (!this.heldNodes.delete(nodeId)) return;
    for (const conn of [...this.conns]) if (conn.nodeId === nodeId) conn.reevaluate();
  }

  /** Activates a fault for new and existing connections; refuses one that is already active. */
  apply(spec: FaultSpec): ActiveFault {
    const rules = planFault(spec, this.hostIds);
    const twin = this.faults.find((f) => sameFault(f.spec, spec));
    if (twin) {
      throw new UserError(`that fault is already active as ${twin.id}: ${twin.description}`, {
        hint: `heal ${twin.id} first`,
      });
    }
    const fault: ActiveFault = {
      id: `f${this.nextFaultId++}`,
      spec: structuredClone(spec),
      rules,
      appliedAt: this.now(),
      description: describeFault(spec),
    };
    this.faults = [...this.faults, fault];
    this.recompute();
    this.emit('fault-applied', fault);
    return fault;
  }

  heal(id: string): ActiveFault {
    const fault = this.faults.find((f) => f.id === id);
    if (!fault) {
      const ids = this.faults.map((f) => f.id);
      throw new UserError(`no active fault "${id}"`, {
        hint: ids.length ? `active faults: ${ids.join(', ')}` : 'no faults are active',
      });
    }
    this.faults = this.faults.filter((f) => f !== fault);
    this.recompute();
    this.emit('fault-healed', fault);
    return fault;
  }

  healAll(): ActiveFault[] {
    const healed = [...this.faults];
    if (healed.length === 0) return healed;
    this.faults = [];
    this.recompute();
    for (const fault of healed) this.emit('fault-healed', fault);
    return healed;
  }

  active(): readonly ActiveFault[] {
    return this.faults;
  }

  connections(): ConnectionInfo[] {
    return [...this.conns].map((c) => c.info());
  }

  /** Closes every listener and connection; safe to call twice. */
  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.down.values()) if (timer) clearTimeout(timer);
    this.down.clear();
    for (const l of this.specs.values()) l.server = undefined;
    for (const conn of [...this.conns]) conn.destroy();
    const closed = [...this.servers].map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    this.servers.clear();
    await Promise.all(closed);
  }

  private accept(socket: Socket, spec: ListenerSpec): void {
    socket.on('error', ignore);
    const ip = normalizeIp(socket.remoteAddress);
    if (this.closing || ip === undefined) {
      socket.destroy();
      return;
    }
    // Through a gateway the caller is that host, whatever its source address.
    const knownHost = spec.asHost ?? this.hostByIp.get(ip);
    const fromHost = knownHost ?? OUTSIDE_HOST;
    const sourceIp = knownHost === undefined ? undefined : this.ipByHost.get(knownHost);
    const upLink = this.link(fromHost, spec.host);
    if (upLink.effect.cut === 'reject') {
      socket.resetAndDestroy();
      return;
    }
    const conn = new ProxiedConnection({
      id: this.nextConnId++,
      nodeId: spec.nodeId,
      fromHost,
      toHost: spec.host,
      caller: socket,
      adoptCaller: this.adoptCallers,
      upLink,
      downLink: this.link(spec.host, fromHost),
      // Keep the caller's host IP as source so the node still sees who really called (CLIENT LIST).
      target: { ip: spec.targetIp, port: spec.targetPort, localAddress: sourceIp },
      clock: this.clock,
      isHeld: () => this.heldNodes.has(spec.nodeId),
      onDone: (c) => this.conns.delete(c),
      // The node's process refused: it is gone. Its addresses refuse too from now on, until it answers again.
      onRefused: () => this.targetDown(spec.nodeId),
    });
    this.conns.add(conn);
    conn.start();
  }

  private link(from: string, to: string): Link {
    const key = `${from}\n${to}`;
    let link = this.links.get(key);
    if (!link) {
      const effect = effectiveRules(this.faults, from, to);
      link = { from, to, effect, hasRules: hasRules(effect), pacer: { nextFree: 0 } };
      this.links.set(key, link);
    }
    return link;
  }

  private recompute(): void {
    // A drop cut appearing or going changes whether a dead node's listeners hang or refuse.
    for (const nodeId of this.down.keys()) this.syncListeners(nodeId);
    for (const link of this.links.values()) {
      const effect = effectiveRules(this.faults, link.from, link.to);
      if (effect.throttleBytesPerSec !== link.effect.throttleBytesPerSec) link.pacer.nextFree = 0;
      link.effect = effect;
      link.hasRules = hasRules(effect);
    }
    for (const conn of [...this.conns]) conn.reevaluate();
  }
}

function hasRules(effect: { cut?: unknown; delay?: unknown; throttleBytesPerSec?: unknown }): boolean {
  return effect.cut !== undefined || effect.delay !== undefined || effect.throttleBytesPerSec !== undefined;
}

function normalizeIp(ip: string | undefined): string | undefined {
  return ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function ignore(): void {}
