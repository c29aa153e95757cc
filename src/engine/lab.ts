// The lab: the one place that knows every subsystem. It plans ports and addresses, renders configs, runs the
// fabric, the supervisor, the probes and the clients, and carries out LabActions. It never imports React.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionOutcome, LabAction } from '../cluster/actions.js';
import { renderNotificationScript, renderRedisConf, renderSentinelConf } from '../cluster/config/render.js';
import { type ActionRecord, type HistoryOp, LabEmitter, type LabPhase } from '../cluster/events.js';
import { Fabric } from '../cluster/fabric/proxy.js';
import type { ServerBinary } from '../cluster/process/binaries.js';
import { canBind, type PortPlan, planPorts } from '../cluster/process/ports.js';
import { reapStaleRuns } from '../cluster/process/reaper.js';
import { createRunDir, newRunId, removeDir, runRoot, writeManifest } from '../cluster/process/run-dir.js';
import { Supervisor } from '../cluster/process/supervisor.js';
import {
  buildTopology,
  DEFAULT_SHAPE,
  type NetworkMode,
  NOTE_BASE_PORT,
  nodeById,
  privateAddress,
  redisCliLine,
  redisNodes,
  sentinelNodes,
  type Topology,
  type TopologyShape,
} from '../cluster/topology.js';
import { errorMessage, UserError } from '../errors.js';
import { type Binding, bindLab } from '../state/bind-lab.js';
import { createLabStore, initialLabState, type LabState, type LabStore } from '../state/store.js';
import { adminCommand } from './admin.js';
import { Clients } from './clients.js';
import { describeAction, faultSpecOf } from './equivalents.js';
import { NotificationTail } from './notifications.js';
import { Observer } from './observer.js';
import { isClusterReady } from './ready.js';

/** Two probe rounds a second: fresh enough to watch a failover, and the probes stay near 2% of a core. */
export const DEFAULT_PROBE_INTERVAL_MS = 500;

export interface LabOptions {
  shape?: TopologyShape;
  /** Preferred first port (the note's 6379 by default). */
  basePort?: number;
  /** Fail instead of moving when the preferred block is busy (an explicit --base-port). */
  strictPorts?: boolean;
  binary: ServerBinary;
  runRoot?: string;
  keep?: boolean;
  probeIntervalMs?: number;
  networkMode?: NetworkMode;
  /** Milliseconds between store flushes. */
  flushMs?: number;
}

export class Lab {
  readonly emitter = new LabEmitter();
  readonly store: LabStore;
  readonly topology: Topology;
  readonly runId: string;
  readonly runDir: string;
  readonly ports: PortPlan;
  private readonly binary: ServerBinary;
  private readonly keep: boolean;
  private readonly supervisor: Supervisor;
  private readonly binding: Binding;
  private fabric: Fabric | undefined;
  private observer: Observer | undefined;
  private clients: Clients | undefined;
  private notifications: NotificationTail | undefined;
  private seq = 0;
  private closed = false;
  /** Pre-seeded Sentinel myids by node id (events and votes name Sentinels by myid). */
  private sentinelIds: Record<string, string> = {};
  /** Observing someone else's cluster: never act on it. */
  private attached = false;
  private readonly probeIntervalMs: number;
  private readonly shape: TopologyShape;

  private constructor(args: {
    opts: LabOptions;
    topology: Topology;
    runId: string;
    runDir: string;
    ports: PortPlan;
    shape: TopologyShape;
  }) {
    this.topology = args.topology;
    this.runId = args.runId;
    this.runDir = args.runDir;
    this.ports = args.ports;
    this.shape = args.shape;
    this.binary = args.opts.binary;
    this.keep = args.opts.keep ?? false;
    this.probeIntervalMs = args.opts.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    const t = this.topology;
    const initial: LabState = {
      ...initialLabState(t, this.runId, (id) => redisCliLine(t, id)),
      portsMoved: args.ports.moved,
    };
    this.store = createLabStore(initial);
    this.binding = bindLab(this.emitter, this.store, { flushMs: args.opts.flushMs ?? 40 });
    this.supervisor = new Supervisor({
      binary: this.binary.path,
      emitter: this.emitter,
      onPidsChanged: () => this.saveManifest(),
    });
  }

  /** Reaps stale runs, plans ports and addresses, renders every config. Starts nothing yet. */
  static async create(opts: LabOptions): Promise<Lab> {
    const root = opts.runRoot ?? runRoot();
    reapStaleRuns(root);
    const shape = opts.shape ?? DEFAULT_SHAPE;
    const mode = opts.networkMode ?? (await detectNetworkMode());
    const preferred = opts.basePort ?? NOTE_BASE_PORT;
    const ipsFor = (base: number) => {
      const t = buildTopology(shape, base, mode);
      return t.hosts.flatMap((h) => [h.ip, h.publicIp]);
    };
    const ports = await planPorts(shape, preferred, ipsFor, { strict: opts.strictPorts });
    const topology = buildTopology(shape, ports.basePort, mode);
    const runId = newRunId();
    const runDir = createRunDir(root, runId);
    try {
      const lab = new Lab({ opts, topology, runId, runDir, ports, shape });
      lab.renderAll();
      lab.saveManifest();
      return lab;
    } catch (err) {
      // Nothing runs yet, but the run directory exists: without this a rendering error left it behind.
      removeDir(runDir);
      throw err;
    }
  }

  private nodeDir(id: string): string {
    return join(this.runDir, id);
  }

  /** Writes fresh configs for every node (also used by reset: fresh Sentinel ids and state). */
  private renderAll(): void {
    if (this.attached) return;
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
      const addr = privateAddress(t, n.id);
      this.supervisor.add({
        id: n.id,
        kind: n.kind,
        confPath,
        dir,
        logPath: join(dir, 'log.txt'),
        host: addr.host,
        port: addr.port,
        password: n.kind === 'redis' ? t.password : undefined,
      });
    }
  }

  private saveManifest(): void {
    if (this.closed || this.attached) return;
    try {
      writeManifest(this.runDir, {
        runId: this.runId,
        labPid: process.pid,
        startedAt: this.store.getState().startedAt,
        basePort: this.ports.basePort,
        nodes: this.supervisor.pids(),
        shape: this.shape,
        networkMode: this.topology.networkMode,
      });
    } catch {
      // the run dir is gone (shutdown raced us); nothing to record
    }
  }

  private phase(p: LabPhase): void {
    this.emitter.emit('phase', p);
  }

  /** Starts fabric, processes, probes and clients; resolves when the cluster is ready (see isClusterReady). */
  async start(opts: { timeoutMs?: number } = {}): Promise<{ readyMs: number }> {
    const t0 = Date.now();
    const t = this.topology;
    this.phase('starting');
    if (t.networkMode === 'hosts') {
      this.fabric = new Fabric({ hosts: t.hosts.map((h) => ({ id: h.id, ip: h.ip })) });
      this.fabric.on('fault-applied', (f) => this.emitter.emit('fault-applied', f));
      this.fabric.on('fault-healed', (f) => this.emitter.emit('fault-healed', f));
      for (const n of t.nodes) {
        const h = t.hosts.find((x) => x.id === n.host);
        if (!h) continue;
        await this.fabric.listen({
          nodeId: n.id,
          host: n.host,
          listenIp: h.publicIp,
          listenPort: n.port,
          targetIp: h.ip,
          targetPort: n.port,
          held: true,
        });
      }
    }
    const up = async (id: string) => {
      await this.supervisor.start(id);
      this.fabric?.release(id);
    };
    if (this.fabric) {
      // A dial to a node that is still starting waits in the fabric until the node answers (Fabric.hold says
      // why): every process can start at once.
      await Promise.all(t.nodes.map((n) => up(n.id)));
    } else {
      // Without the fabric a refused first dial is retried only a second later: master, replicas, Sentinels.
      const master = redisNodes(t).find((n) => n.initialRole === 'master');
      if (master) await up(master.id);
      await Promise.all(redisNodes(t).map((n) => up(n.id)));
      await Promise.all(sentinelNodes(t).map((n) => up(n.id)));
    }
    this.observer = new Observer({
      topology: t,
      emitter: this.emitter,
      intervalMs: this.probeIntervalMs,
      onSwitchMaster: () => this.clients?.masterChanged(),
      nextSeq: () => ++this.seq,
      resolveRunId: (runId) =>
        Object.entries(this.sentinelIds).find(([, hex]) => hex === runId)?.[0] ??
        Object.values(this.store.getState().sentinels).find((o) => o.myId === runId)?.id,
    });
    this.observer.start();
    this.notifications = new NotificationTail(
      sentinelNodes(t).map((s) => ({ sentinelId: s.id, path: join(this.nodeDir(s.id), 'notifications.log') })),
      this.emitter,
      () => ++this.seq,
    );
    this.notifications.start();
    this.clients = new Clients({ topology: t, emitter: this.emitter, nextSeq: () => ++this.seq });
    // A fine poll: readiness is the start-up time users see.
    await this.waitFor((s) => isClusterReady(s), opts.timeoutMs ?? 30_000, 'the cluster to become ready', 10);
    const readyMs = Date.now() - t0;
    this.store.setState({ readyMs });
    this.phase('ready');
    return { readyMs };
  }

  /**
   * Attaches to a running `up` of the lab (another process owns the cluster): observes only, never signals,
   * never reconfigures. Its store gets the same probes and Sentinel events.
   */
  static attach(opts: {
    binary: ServerBinary;
    runDir: string;
    manifest: import('../cluster/process/run-dir.js').RunManifest;
  }): Lab {
    const m = opts.manifest;
    const shape = m.shape ?? DEFAULT_SHAPE;
    const topology = buildTopology(shape, m.basePort, m.networkMode ?? 'hosts');
    const lab = new Lab({
      opts: { binary: opts.binary, keep: true },
      topology,
      runId: m.runId,
      runDir: opts.runDir,
      ports: { basePort: m.basePort },
      shape,
    });
    lab.attached = true;
    for (const n of topology.nodes) {
      const pid = m.nodes[n.id]?.pid;
      lab.emitter.emit('node-state', { id: n.id, state: pid ? 'running' : 'exited', pid, at: Date.now() });
    }
    lab.observer = new Observer({
      topology,
      emitter: lab.emitter,
      intervalMs: lab.probeIntervalMs,
      onSwitchMaster: () => {},
      nextSeq: () => ++lab.seq,
      resolveRunId: (runId) => Object.values(lab.store.getState().sentinels).find((o) => o.myId === runId)?.id,
    });
    lab.observer.start();
    lab.phase('ready');
    return lab;
  }

  /** Polls the store until `pred` holds; rejects after the timeout with what was awaited. */
  async waitFor(pred: (s: LabState) => boolean, timeoutMs: number, what = 'a condition', pollMs = 50): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      this.binding.flush();
      if (pred(this.store.getState())) return;
      if (Date.now() > end) throw new UserError(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
      if (this.closed) throw new UserError(`The lab stopped while waiting for ${what}.`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  private record(rec: Omit<ActionRecord, 'seq' | 'at'> & { seq?: number; at?: number }): ActionRecord {
    const full: ActionRecord = { seq: rec.seq ?? ++this.seq, at: rec.at ?? Date.now(), ...rec } as ActionRecord;
    this.emitter.emit('action', full);
    return full;
  }

  notice(level: 'info' | 'warning' | 'error', text: string, hint?: string): void {
    this.emitter.emit('notice', { seq: ++this.seq, at: Date.now(), level, text, hint });
  }

  /** Carries out one action; never throws: failures come back as {ok:false} and as a visible notice. */
  async perform(action: LabAction): Promise<ActionOutcome> {
    if (this.attached) return { ok: false, text: 'this view is attached to another lab process; act on it there' };
    const node = 'node' in action && typeof action.node === 'string' ? action.node : undefined;
    const d = describeAction(this.topology, action, {
      pid: node && nodeById(this.topology, node) ? this.supervisor.pid(node) : undefined,
      confPath: node && nodeById(this.topology, node) ? this.supervisor.spec(node).confPath : undefined,
    });
    const rec = this.record({ kind: action.kind, title: d.title, equivalent: d.equivalent, status: 'running' });
    try {
      const text = await this.execute(action);
      this.record({ ...rec, status: 'ok', result: text });
      return { ok: true, text };
    } catch (err) {
      const text = errorMessage(err);
      this.record({ ...rec, status: 'failed', result: text });
      this.notice('error', `${d.title}: ${text}`, err instanceof UserError ? err.hint : undefined);
      return { ok: false, text };
    }
  }

  private requireNode(id: string) {
    const n = nodeById(this.topology, id);
    if (!n)
      throw new UserError(`unknown node "${id}"`, {
        hint: `Nodes: ${this.topology.nodes.map((x) => x.id).join(', ')}`,
      });
    return n;
  }

  private requireFabric(): Fabric {
    if (!this.fabric) {
      throw new UserError('Network faults are unavailable: this machine has only 127.0.0.1 on loopback.', {
        hint: aliasHint(this.topology),
      });
    }
    return this.fabric;
  }

  private async execute(a: LabAction): Promise<string> {
    const t = this.topology;
    switch (a.kind) {
      case 'kill':
        this.requireNode(a.node);
        await this.supervisor.kill(a.node);
        return `${a.node} killed`;
      case 'stop':
        this.requireNode(a.node);
        await this.supervisor.stop(a.node);
        return `${a.node} stopped`;
      case 'freeze':
        this.requireNode(a.node);
        this.supervisor.freeze(a.node);
        return `${a.node} frozen`;
      case 'thaw':
        this.requireNode(a.node);
        this.supervisor.thaw(a.node);
        return `${a.node} running again`;
      case 'restart':
        this.requireNode(a.node);
        await this.supervisor.restart(a.node);
        this.observer?.pollNow(a.node);
        return `${a.node} restarted`;
      case 'partition':
      case 'isolate':
      case 'cut':
      case 'latency':
      case 'bandwidth': {
        const spec = faultSpecOf(a);
        if (!spec) throw new UserError(`not a fault: ${a.kind}`);
        const f = this.requireFabric().apply(spec);
        this.history({ process: 'nemesis', type: 'info', f: 'fault', value: f.description });
        return `${f.id}: ${f.description}`;
      }
      case 'heal': {
        const f = this.requireFabric().heal(a.fault);
        this.history({ process: 'nemesis', type: 'info', f: 'heal', value: f.description });
        return `healed ${f.id}`;
      }
      case 'heal-all': {
        const healed = this.fabric?.healAll() ?? [];
        for (const f of healed) this.history({ process: 'nemesis', type: 'info', f: 'heal', value: f.description });
        return healed.length ? `healed ${healed.length} fault(s)` : 'no active faults';
      }
      case 'write':
      case 'read':
        return this.requireClients().command(a);
      case 'workload-start':
        return this.requireClients().startWorkload(a.client, a.ratePerSec);
      case 'workload-stop':
        return this.requireClients().stopWorkload((timeoutMs) => this.finalRead(timeoutMs));
      case 'failover': {
        const s = a.sentinel ?? sentinelNodes(t)[0]?.id;
        if (!s) throw new UserError('there is no Sentinel');
        this.requireNode(s);
        const r = await adminCommand(privateAddress(t, s), undefined, ['SENTINEL', 'FAILOVER', t.sentinel.masterName]);
        return String(r);
      }
      case 'min-replicas': {
        const targets = a.node ? [this.requireNode(a.node).id] : redisNodes(t).map((n) => n.id);
        const lag = a.maxLagSec ?? t.replication.minReplicasMaxLagSec;
        const results = await Promise.allSettled(
          targets.map(async (id) => {
            await adminCommand(privateAddress(t, id), t.password, [
              'CONFIG',
              'SET',
              'min-replicas-to-write',
              a.toWrite,
            ]);
            await adminCommand(privateAddress(t, id), t.password, ['CONFIG', 'SET', 'min-replicas-max-lag', lag]);
            await adminCommand(privateAddress(t, id), t.password, ['CONFIG', 'REWRITE']);
          }),
        );
        const failed = targets.filter((_, i) => results[i]?.status === 'rejected');
        for (const id of targets) this.observer?.pollNow(id);
        return failed.length
          ? `set on ${targets.length - failed.length} node(s); unreachable: ${failed.join(', ')}`
          : `set on ${targets.join(', ')}`;
      }
      case 'masterauth': {
        const n = this.requireNode(a.node);
        if (n.kind !== 'redis') throw new UserError(`${a.node} is a Sentinel; masterauth belongs to Redis nodes`);
        await adminCommand(privateAddress(t, n.id), t.password, [
          'CONFIG',
          'SET',
          'masterauth',
          a.enabled ? t.password : '',
        ]);
        await adminCommand(privateAddress(t, n.id), t.password, ['CONFIG', 'REWRITE']).catch(() => undefined);
        this.observer?.pollNow(n.id);
        return `masterauth ${a.enabled ? 'set' : 'removed'} on ${n.id}`;
      }
      case 'sentinel-set': {
        const results = await Promise.allSettled(
          sentinelNodes(t).map((s) =>
            adminCommand(privateAddress(t, s.id), undefined, [
              'SENTINEL',
              'SET',
              t.sentinel.masterName,
              a.option,
              a.value,
            ]),
          ),
        );
        const ok = results.filter((r) => r.status === 'fulfilled').length;
        return `${a.option} = ${a.value} on ${ok} of ${results.length} Sentinels`;
      }
      case 'reset':
        await this.reset();
        return 'cluster reset';
    }
  }

  private requireClients(): Clients {
    if (!this.clients) throw new UserError('the cluster is not started yet');
    return this.clients;
  }

  private history(op: Omit<HistoryOp, 'seq' | 'at'>): void {
    const full: HistoryOp = { seq: ++this.seq, at: Date.now(), ...op };
    this.emitter.emit('history-op', full);
    this.clients?.note(full);
  }

  /** Waits for convergence, then reads the ledger set on the one true master. */
  private async finalRead(timeoutMs: number): Promise<{ node: string; members: string[] }> {
    const { selectConverged, selectTrueMaster } = await import('../state/selectors.js');
    await this.waitFor(
      (s) => selectConverged(s).ok,
      timeoutMs,
      'the cluster to converge (one master, every Sentinel agreeing)',
    );
    const master = selectTrueMaster(this.store.getState());
    if (!master) throw new UserError('no single master to read from');
    const members = (await adminCommand(privateAddress(this.topology, master), this.topology.password, [
      'SMEMBERS',
      'rsl:ledger',
    ])) as string[];
    return { node: master, members };
  }

  /** Writes the run's history (JSON Lines) and a short Markdown report into `dir`. */
  async exportRun(dir: string): Promise<{ jsonl: string; markdown: string }> {
    const s = this.store.getState();
    const verdict = s.workload.verdict;
    if (!verdict) {
      throw new UserError('There is no ledger verdict to export yet.', {
        hint: 'Start a write workload, break something, heal it, then stop the workload: the verdict is what gets exported.',
      });
    }
    const { writeRunExport } = await import('../ledger/export.js');
    const t = this.topology;
    const faults = s.history
      .filter((h) => h.f === 'fault')
      .map((h) => ({
        at: h.at,
        description: h.value ?? 'fault',
        healedAt: s.history.find((x) => x.f === 'heal' && x.value === h.value && x.at >= h.at)?.at,
      }));
    const nodeFaults = s.actions
      .filter((a) => a.status === 'ok' && /^(kill|stop|freeze|thaw|restart) /.test(a.title))
      .map((a) => ({ at: a.at, description: a.title }));
    return writeRunExport(dir, {
      title: `redis-sentinel-lab run ${this.runId}`,
      topologySummary: `${redisNodes(t).length} Redis · ${sentinelNodes(t).length} Sentinels, quorum ${t.sentinel.quorum}, down-after ${t.sentinel.downAfterMs} ms · min-replicas-to-write ${t.replication.minReplicasToWrite}, max-lag ${t.replication.minReplicasMaxLagSec} s`,
      faults: [...faults, ...nodeFaults].sort((a, b) => a.at - b.at),
      sentinelEvents: s.events.map((e) => ({
        at: e.at,
        sentinelId: e.sentinelId,
        channel: e.channel,
        payload: e.payload,
      })),
      verdict,
      counts: s.workload.counts,
      startedAt: s.workload.startedAt ?? s.startedAt,
      history: this.clients?.history() ?? s.history,
      baseName: `redis-sentinel-lab-${this.runId}`,
    });
  }

  /** Fresh configs and fresh Sentinel state: stop everything, heal faults, render again, start again. */
  async reset(): Promise<void> {
    this.observer?.stop();
    this.notifications?.stop();
    await this.clients?.close();
    this.fabric?.healAll();
    await this.supervisor.killAll();
    // Fold the old cluster's last facts in now, so none of them lands after the state below is cleared.
    this.binding.flush();
    for (const n of this.topology.nodes) removeDir(this.nodeDir(n.id));
    this.supervisor.clear();
    this.renderAll();
    const fabric = this.fabric;
    this.fabric = undefined;
    await fabric?.close();
    this.store.setState({ redis: {}, sentinels: {}, lagHistory: {}, failovers: [], faults: [] });
    await this.start();
  }

  /** Stops everything; idempotent. Leaves no process, listener or run directory (unless keep). */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.attached) {
      this.observer?.stop();
      this.binding.dispose();
      return;
    }
    this.phase('stopping');
    this.observer?.stop();
    this.notifications?.stop();
    await this.clients?.close().catch(() => undefined);
    await this.supervisor.killAll();
    await this.fabric?.close();
    this.phase('stopped');
    this.binding.dispose();
    if (!this.keep) removeDir(this.runDir);
  }

  /** For process 'exit' handlers: synchronous best effort. */
  shutdownSync(): void {
    if (this.attached) return;
    this.supervisor.killAllSync();
    if (!this.keep) removeDir(this.runDir);
  }

  aliveProcesses(): number {
    return this.supervisor.aliveCount();
  }

  nodePid(id: string): number | undefined {
    return this.supervisor.pid(id);
  }

  get shapeUsed(): TopologyShape {
    return this.shape;
  }
}

export async function detectNetworkMode(): Promise<NetworkMode> {
  const ok = (await canBind('127.0.1.1', 0)) && (await canBind('127.0.2.1', 0));
  return ok ? 'hosts' : 'single-ip';
}

export function aliasHint(t: Topology): string {
  const ips: string[] = [];
  for (let i = 1; i <= Math.max(t.hosts.length, 5); i++) ips.push(`127.0.1.${i}`, `127.0.2.${i}`);
  return [
    'Each lab host needs its own loopback address. On macOS add them once (needs sudo, lasts until reboot):',
    ...ips.map((ip) => `  sudo ifconfig lo0 alias ${ip} up`),
    'Then start the lab again. Everything else works without them.',
  ].join('\n');
}
