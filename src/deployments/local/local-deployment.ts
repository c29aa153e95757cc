// The local deployment: the lab's own redis-server and Sentinel processes on loopback addresses, behind its TCP
// fabric. It plans ports and addresses, writes every config into a private run directory (with a manifest that lets
// a later start reap what a killed lab left behind), runs the processes (Supervisor), the fabric (network faults)
// and the notification-script tail, and changes settings on its own nodes only. It offers every capability, except
// network faults on a machine with a single loopback address.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  renderNotificationScript,
  renderRedisConf,
  renderSentinelConf,
  withSentinelPassword,
} from '../../cluster/config/render.js';
import type { LabEmitter } from '../../cluster/events.js';
import type { FaultSpec } from '../../cluster/fabric/plan.js';
import { Fabric } from '../../cluster/fabric/proxy.js';
import { parseReplicationInfo } from '../../cluster/observe/parse-info.js';
import type { ServerBinary } from '../../cluster/process/binaries.js';
import { type PortPlan, planPorts } from '../../cluster/process/ports.js';
import { reapStaleRuns } from '../../cluster/process/reaper.js';
import { createRunDir, newRunId, removeDir, runRoot, writeManifest } from '../../cluster/process/run-dir.js';
import { Supervisor } from '../../cluster/process/supervisor.js';
import {
  buildTopology,
  DEFAULT_SHAPE,
  type NetworkMode,
  NOTE_BASE_PORT,
  nodeById,
  redisNodes,
  sentinelNodes,
  type Topology,
  type TopologyShape,
} from '../../cluster/topology.js';
import { UserError } from '../../errors.js';
import { adminCommand } from '../admin.js';
import type {
  Addresses,
  Capabilities,
  Deployment,
  Failover,
  MissingCapabilities,
  NetworkFaults,
  NodeRuntime,
  Pausable,
  Reconfigure,
} from '../deployment.js';
import { aliasHint, detectNetworkMode, gatewayIp, loopbackAddresses } from '../loopback.js';
import { NotificationTail } from './notifications.js';

/** How long the Sentinels of a start wait for the master to list every replica (see untilMasterListsReplicas). */
const REPLICAS_LISTED_DEADLINE_MS = 3000;
const REPLICAS_LISTED_POLL_MS = 20;

export interface LocalDeploymentOptions {
  /** Where process facts (node-state, node-exited, node-log) and fault facts are reported. */
  events: LabEmitter;
  binary: ServerBinary;
  shape?: TopologyShape;
  /** Preferred first port (the note's 6379 by default). */
  basePort?: number;
  /** Fail instead of moving when the preferred block is busy (an explicit --base-port). */
  strictPorts?: boolean;
  runRoot?: string;
  /** Leave the run directory behind at shutdown (for inspection). */
  keep?: boolean;
  networkMode?: NetworkMode;
}

export class LocalDeployment implements Deployment {
  readonly kind = 'local';
  readonly id: string;
  readonly label: string;
  readonly topology: Topology;
  readonly addresses: Addresses;
  readonly capabilities: Capabilities;
  readonly missing: MissingCapabilities;
  readonly portsMoved?: PortPlan['moved'];
  readonly runDir: string;
  readonly ports: PortPlan;
  readonly shape: TopologyShape;
  private readonly events: LabEmitter;
  private readonly keep: boolean;
  private readonly createdAt = Date.now();
  private readonly supervisor: Supervisor;
  private fabric: Fabric | undefined;
  /** Pre-seeded Sentinel myids by node id (events and votes name Sentinels by myid). */
  private sentinelIds: Record<string, string> = {};
  private closed = false;
  private manifestQueued = false;
  /** Host id -> the gateway address an outside client can use to be on that host (only those that listen). */
  private gatewayByHost: Record<string, string> = {};
  private readonly onNodeState = (e: { id: string; state: string }) => {
    // A node that is gone refuses connections on its addresses, like a real host (the fabric reopens them once its
    // process answers again).
    if (e.state === 'exited' || e.state === 'stopped') this.fabric?.targetDown(e.id);
    else if (e.state === 'running') this.fabric?.targetUp(e.id);
  };

  private constructor(args: {
    opts: LocalDeploymentOptions;
    topology: Topology;
    runId: string;
    runDir: string;
    ports: PortPlan;
    shape: TopologyShape;
  }) {
    this.topology = args.topology;
    this.id = args.runId;
    this.label = `this lab's cluster (run ${args.runId})`;
    this.runDir = args.runDir;
    this.ports = args.ports;
    this.portsMoved = args.ports.moved;
    this.shape = args.shape;
    this.events = args.opts.events;
    this.keep = args.opts.keep ?? false;
    this.addresses = loopbackAddresses(args.topology);
    this.supervisor = new Supervisor({
      binary: args.opts.binary.path,
      emitter: this.events,
      onPidsChanged: () => this.scheduleManifest(),
    });
    const hosts = args.topology.networkMode === 'hosts';
    this.capabilities = {
      runtime: this.runtime(),
      pause: this.pausable(),
      network: hosts ? this.network() : undefined,
      reconfigure: this.reconfigure(),
      failover: this.failover(),
      traffic: {
        // A client on host-3 connects from host-3's address, so the fabric partitions it with host-3.
        sourceAddress: (host) => (hosts ? args.topology.hosts.find((h) => h.id === host)?.ip : undefined),
      },
      reset: { reset: () => this.reset() },
      notifications: new NotificationTail(
        sentinelNodes(args.topology).map((s) => ({
          sentinelId: s.id,
          path: join(this.nodeDir(s.id), 'notifications.log'),
        })),
      ),
    };
    this.missing = hosts
      ? {}
      : {
          network: {
            reason: 'Network faults are unavailable: this machine has only 127.0.0.1 on loopback.',
            hint: aliasHint(args.topology),
          },
        };
  }

  /** Reaps stale runs, plans ports and addresses, writes every config. Starts nothing yet. */
  static async create(opts: LocalDeploymentOptions): Promise<LocalDeployment> {
    const root = opts.runRoot ?? runRoot();
    reapStaleRuns(root);
    const shape = opts.shape ?? DEFAULT_SHAPE;
    const mode = opts.networkMode ?? (await detectNetworkMode());
    const preferred = opts.basePort ?? NOTE_BASE_PORT;
    const ipsFor = (base: number) => buildTopology(shape, base, mode).hosts.flatMap((h) => [h.ip, h.publicIp]);
    const ports = await planPorts(shape, preferred, ipsFor, { strict: opts.strictPorts });
    const topology: Topology = {
      ...buildTopology(shape, ports.basePort, mode),
      cli: opts.binary.cli ?? 'redis-cli',
      server: opts.binary.flavor === 'valkey' ? 'valkey-server' : 'redis-server',
    };
    const runId = newRunId();
    const runDir = createRunDir(root, runId, { keep: opts.keep });
    try {
      const d = new LocalDeployment({ opts, topology, runId, runDir, ports, shape });
      d.writeConfigs();
      d.saveManifest();
      return d;
    } catch (err) {
      // Nothing runs yet, but the run directory exists: without this a rendering error left it behind.
      removeDir(runDir);
      throw err;
    }
  }

  /** The run directory (proven owner-only by createRunDir): the workload's history file goes there. */
  get workDir(): string {
    return this.runDir;
  }

  private nodeDir(id: string): string {
    return join(this.runDir, id);
  }

  /** Writes fresh configs for every node (also used by reset: fresh Sentinel ids and state). */
  private writeConfigs(): void {
    const t = this.topology;
    const sentinelIds: Record<string, string> = {};
    for (const s of sentinelNodes(t)) sentinelIds[s.id] = randomBytes(20).toString('hex');
    this.sentinelIds = sentinelIds;
    for (const n of t.nodes) {
      const dir = this.nodeDir(n.id);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const confPath = join(dir, n.kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf');
      let text: string;
      if (n.kind === 'sentinel') {
        const script = join(dir, 'notify.sh');
        writeFileSync(script, renderNotificationScript(join(dir, 'notifications.log')), { mode: 0o700 });
        chmodSync(script, 0o700);
        text = renderSentinelConf(t, n.id, { dir, notificationScript: script, sentinelIds });
      } else {
        text = renderRedisConf(t, n.id, { dir });
      }
      writeFileSync(confPath, text, { mode: 0o600 });
      const addr = this.addresses.admin(n.id);
      this.supervisor.add({
        id: n.id,
        kind: n.kind,
        confPath,
        dir,
        logPath: join(dir, 'log.txt'),
        host: addr.host,
        port: addr.port,
        // A Sentinel's readiness PING needs its password too, when the Sentinels have one.
        password: n.kind === 'redis' ? t.password : t.sentinelAuth.password,
      });
    }
  }

  /**
   * Pids change in bursts (every node spawned in the same tick at start, every exit at shutdown): one manifest write
   * per burst, on the next turn of the event loop, instead of one per process (each a write and a rename).
   */
  private scheduleManifest(): void {
    if (this.manifestQueued) return;
    this.manifestQueued = true;
    setImmediate(() => {
      this.manifestQueued = false;
      this.saveManifest();
    });
  }

  private saveManifest(): void {
    if (this.closed) return;
    try {
      writeManifest(this.runDir, {
        runId: this.id,
        labPid: process.pid,
        startedAt: this.createdAt,
        basePort: this.ports.basePort,
        nodes: this.supervisor.pids(),
        shape: this.shape,
        networkMode: this.topology.networkMode,
        ...(this.topology.cli ? { cli: this.topology.cli } : {}),
        ...(this.topology.server ? { server: this.topology.server } : {}),
      });
    } catch {
      // the run dir is gone (shutdown raced us); nothing to record
    }
  }

  /** Starts the fabric (its listeners hold dials until their node answers), then every node; resolves when each answers PING. */
  async start(): Promise<void> {
    const t = this.topology;
    if (t.networkMode === 'hosts') {
      const fabric = new Fabric({ hosts: t.hosts.map((h) => ({ id: h.id, ip: h.ip })) });
      this.fabric = fabric;
      fabric.on('fault-applied', (f) => this.events.emit('fault-applied', f));
      fabric.on('fault-healed', (f) => this.events.emit('fault-healed', f));
      fabric.on('remapped', (c) => this.events.emit('nat-changed', c));
      for (const n of t.nodes) {
        const h = t.hosts.find((x) => x.id === n.host);
        if (!h) continue;
        await fabric.listen({
          nodeId: n.id,
          host: n.host,
          listenIp: h.publicIp,
          listenPort: n.port,
          targetIp: h.ip,
          targetPort: n.port,
          held: true,
        });
      }
      await this.openGateways(fabric);
      this.events.on('node-state', this.onNodeState);
    }
    const up = async (id: string) => {
      // Stopped while starting (Ctrl+C, or the reader of `watch | head -1` gone at the first line): start nothing
      // more, or a process spawned after shutdown's killAll would outlive the lab in a deleted run directory.
      if (this.closed) throw new UserError('the lab is stopping');
      await this.supervisor.start(id);
      this.fabric?.release(id);
    };
    const sentinelsFirstSeeOnlyTheMaster = !t.sentinel.preseedState;
    if (this.fabric && !sentinelsFirstSeeOnlyTheMaster) {
      // A dial to a node that is still starting waits in the fabric until the node answers (Fabric.hold says
      // why): every process can start at once.
      await Promise.all(t.nodes.map((n) => up(n.id)));
      return;
    }
    if (!this.fabric) {
      // Without the fabric a refused first dial is retried only a second later: the master first.
      const master = redisNodes(t).find((n) => n.initialRole === 'master');
      if (master) await up(master.id);
    }
    await Promise.all(redisNodes(t).map((n) => up(n.id)));
    if (sentinelsFirstSeeOnlyTheMaster) await this.untilMasterListsReplicas(REPLICAS_LISTED_DEADLINE_MS);
    await Promise.all(sentinelNodes(t).map((n) => up(n.id)));
  }

  /**
   * A Sentinel that starts knowing only the master finds the replicas in the master's `INFO`, which it reads when it
   * connects and then every 10 s. The note starts the master, then the replicas, then the Sentinels, so that first
   * `INFO` already lists every replica. Started all at once, a Sentinel connects before the replicas have asked the
   * master to sync and finds them only 10 s later. So, as in the note, the Sentinels wait until the master lists
   * every replica, or until `deadlineMs` (a replica that cannot sync must not stop the start: the Sentinels then
   * find it on their own clock).
   */
  private async untilMasterListsReplicas(deadlineMs: number): Promise<void> {
    const t = this.topology;
    const master = redisNodes(t).find((n) => n.initialRole === 'master');
    if (!master) return;
    const expected = redisNodes(t).length - 1;
    const end = Date.now() + deadlineMs;
    while (!this.closed && Date.now() < end) {
      try {
        const info = await adminCommand(this.addresses.admin(master.id), t.password, ['INFO', 'replication'], 500);
        if (parseReplicationInfo(String(info)).replicas.length >= expected) return;
      } catch {
        // not answering yet: try again until the deadline
      }
      await new Promise((resolve) => setTimeout(resolve, REPLICAS_LISTED_POLL_MS));
    }
  }

  /**
   * For each host, its gateway (gatewayIp) listens on every node's port: a connection there counts as host-i's. A
   * gateway whose address cannot be bound is left out (the others still work); `gateways()` lists those that listen.
   */
  private async openGateways(fabric: Fabric): Promise<void> {
    const t = this.topology;
    const open: Record<string, string> = {};
    for (const gw of t.hosts) {
      const ip = gatewayIp(t, gw.id);
      if (!ip) continue;
      try {
        for (const n of t.nodes) {
          const h = t.hosts.find((x) => x.id === n.host);
          if (!h) continue;
          await fabric.listen({
            nodeId: n.id,
            host: n.host,
            listenIp: ip,
            listenPort: n.port,
            targetIp: h.ip,
            targetPort: n.port,
            asHost: gw.id,
          });
        }
        open[gw.id] = ip;
      } catch {
        // That address is busy: no gateway for this host.
      }
    }
    this.gatewayByHost = open;
  }

  /** Host id -> the address an outside client connects to (on the nodes' own ports) to count as that host. */
  gateways(): Record<string, string> {
    return { ...this.gatewayByHost };
  }

  /** Every process killed, faults healed, configs written from scratch (fresh Sentinel ids); `start` runs it again. */
  async reset(): Promise<void> {
    this.fabric?.healAll();
    await this.supervisor.killAll();
    for (const n of this.topology.nodes) removeDir(this.nodeDir(n.id));
    this.supervisor.clear();
    this.writeConfigs();
    const fabric = this.fabric;
    this.fabric = undefined;
    this.events.off('node-state', this.onNodeState);
    await fabric?.close();
  }

  /** Stops every process and listener; removes the run directory (unless keep). Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.events.off('node-state', this.onNodeState);
    await this.supervisor.killAll();
    await this.fabric?.close();
    this.fabric = undefined;
    if (!this.keep) removeDir(this.runDir);
  }

  shutdownSync(): void {
    this.closed = true;
    this.supervisor.killAllSync();
    if (!this.keep) removeDir(this.runDir);
  }

  resolveRunId(runId: string): string | undefined {
    return Object.entries(this.sentinelIds).find(([, hex]) => hex === runId)?.[0];
  }

  private known(id: string): boolean {
    return nodeById(this.topology, id) !== undefined;
  }

  private runtime(): NodeRuntime {
    const s = () => this.supervisor;
    return {
      start: (id) => s().start(id),
      kill: (id) => s().kill(id),
      stop: (id) => s().stop(id),
      restart: (id) => s().restart(id),
      pid: (id) => (this.known(id) ? s().pid(id) : undefined),
      configPath: (id) => (this.known(id) ? s().spec(id).confPath : undefined),
      aliveCount: () => s().aliveCount(),
    };
  }

  private pausable(): Pausable {
    return {
      freeze: async (id) => this.supervisor.freeze(id),
      thaw: async (id) => this.supervisor.thaw(id),
    };
  }

  private network(): NetworkFaults {
    const fabric = (): Fabric => {
      if (!this.fabric) throw new UserError('the cluster is not started yet');
      return this.fabric;
    };
    return {
      apply: (spec: FaultSpec) => fabric().apply(spec),
      heal: (id) => fabric().heal(id),
      healAll: () => this.fabric?.healAll() ?? [],
      active: () => this.fabric?.active() ?? [],
      remap: (host, portOffset) => fabric().remapHost(host, portOffset),
      remapped: () => this.fabric?.remapped() ?? {},
    };
  }

  private reconfigure(): Reconfigure {
    const t = this.topology;
    const sentinelPw = t.sentinelAuth.password;
    const config = (node: string, argv: readonly (string | number)[]) =>
      adminCommand(this.addresses.admin(node), t.password, argv);
    return {
      configSet: async (node, settings, opts = {}) => {
        for (const [name, value] of settings) await config(node, ['CONFIG', 'SET', name, value]);
        const rewrite = config(node, ['CONFIG', 'REWRITE']);
        if (opts.rewrite === 'best-effort') await rewrite.catch(() => undefined);
        else await rewrite;
      },
      sentinelSet: async (option, value) => {
        const results = await Promise.allSettled(
          sentinelNodes(t).map((s) =>
            adminCommand(this.addresses.admin(s.id), sentinelPw, [
              'SENTINEL',
              'SET',
              t.sentinel.masterName,
              option,
              value,
            ]),
          ),
        );
        return { accepted: results.filter((r) => r.status === 'fulfilled').length, total: results.length };
      },
      sentinelReset: async (sentinel) =>
        Number(
          await adminCommand(this.addresses.admin(sentinel), sentinelPw, ['SENTINEL', 'RESET', t.sentinel.masterName]),
        ),
      sentinelConfigSet: async (sentinel, name, value) => {
        await adminCommand(this.addresses.admin(sentinel), sentinelPw, ['SENTINEL', 'CONFIG', 'SET', name, value]);
      },
      reconnectReplica: (node) => this.reconnectReplica(node),
      persistence: async (node, enabled) => {
        await config(node, ['CONFIG', 'SET', 'appendonly', enabled ? 'yes' : 'no']);
        await config(node, ['CONFIG', 'REWRITE']);
        if (enabled) await this.aofWritten(node);
      },
      sentinelPassword: async (sentinel, enabled) => {
        if (!sentinelPw) {
          throw new UserError('the Sentinels of this cluster have no password', {
            hint: 'a lesson topology with sentinelPassword gives them one',
          });
        }
        const s = this.supervisor;
        // A graceful stop: Sentinel saves its state (known replicas and Sentinels, epochs) before it exits.
        await s.stop(sentinel);
        const confPath = s.spec(sentinel).confPath;
        writeFileSync(
          confPath,
          withSentinelPassword(readFileSync(confPath, 'utf8'), enabled ? sentinelPw : undefined),
          {
            mode: 0o600,
          },
        );
        await s.start(sentinel);
      },
    };
  }

  /**
   * Drops a replica's link to its master so that it reconnects and introduces itself again (REPLCONF
   * listening-port). The link is a client only once a sync has finished: while the replica is still connecting or
   * loading (just after its master restarted, say) CLIENT KILL TYPE master drops nothing and answers 0, and the
   * handshake in flight may have announced the old port. So it waits (bounded) for a link to drop. A node that
   * replicates from nobody has nothing to drop; it introduces itself when it becomes a replica.
   */
  private async reconnectReplica(node: string, timeoutMs = 15_000): Promise<void> {
    const ask = (argv: string[]) => adminCommand(this.addresses.admin(node), this.topology.password, argv);
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (Number(await ask(['CLIENT', 'KILL', 'TYPE', 'master'])) > 0) return;
      if (/^role:master/m.test(String(await ask(['INFO', 'replication'])))) return;
      if (Date.now() > end) {
        throw new UserError(`${node} had no link to its master to drop for ${timeoutMs / 1000} s`, {
          hint: 'its master may be down or still sending it a full sync; try again once the link is up',
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Waits (bounded) until the rewrite that `appendonly yes` starts has put the whole dataset into the AOF. */
  private async aofWritten(node: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const info = String(
        await adminCommand(this.addresses.admin(node), this.topology.password, ['INFO', 'persistence']),
      );
      const field = (name: string) => new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1];
      if (
        field('aof_enabled') === '1' &&
        field('aof_rewrite_in_progress') === '0' &&
        field('aof_rewrite_scheduled') === '0'
      ) {
        return;
      }
      if (Date.now() > end)
        throw new UserError(`${node} did not finish writing its append-only file in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private failover(): Failover {
    const t = this.topology;
    return {
      failover: async (sentinel) =>
        String(
          await adminCommand(this.addresses.admin(sentinel), t.sentinelAuth.password, [
            'SENTINEL',
            'FAILOVER',
            t.sentinel.masterName,
          ]),
        ),
      ckquorum: async (sentinel) => {
        try {
          return String(
            await adminCommand(this.addresses.admin(sentinel), undefined, [
              'SENTINEL',
              'CKQUORUM',
              t.sentinel.masterName,
            ]),
          );
        } catch (err) {
          // NOQUORUM is the check's answer, not a failure to ask.
          const text = err instanceof Error ? err.message : String(err);
          if (/^NOQUORUM/.test(text)) return text;
          throw err;
        }
      },
      serverFailover: async (node, opts) => {
        const argv: Array<string | number> = ['FAILOVER'];
        if (opts.to) argv.push('TO', opts.to.host, opts.to.port);
        if (opts.to && opts.force) argv.push('FORCE');
        if (opts.timeoutMs !== undefined) argv.push('TIMEOUT', opts.timeoutMs);
        return String(await adminCommand(this.addresses.admin(node), t.password, argv));
      },
    };
  }
}
