// The lab: orchestration around one Deployment (deployments/deployment.ts). It observes the deployment's nodes,
// drives the application clients, binds the engine's facts to the store, and carries out actions from the catalog
// (src/actions/) through the capabilities the deployment offers. It knows nothing of processes, configs, run
// directories or loopback addresses: those belong to the deployment. It never imports React.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionEnv } from '../actions/action.js';
import { type ActionOutcome, actionDef, isNodeAction, type LabAction } from '../actions/catalog.js';
import { type ActionRecord, type HistoryOp, LabEmitter, type LabPhase } from '../cluster/events.js';
import { MissedEvents } from '../cluster/observe/sentinel-log.js';
import type { RunManifest } from '../cluster/process/run-dir.js';
import { type NodeSpec, nodeById, redisCliLine, redisNodes, sentinelNodes } from '../cluster/topology.js';
import { adminCommand } from '../deployments/admin.js';
import { AttachedDeployment } from '../deployments/attached.js';
import {
  type Capabilities,
  type Capability,
  type Deployment,
  type MissingCapabilities,
  missingCapabilities,
  whyMissing,
} from '../deployments/deployment.js';
import { LocalDeployment, type LocalDeploymentOptions } from '../deployments/local/local-deployment.js';
import { errorMessage, UserError } from '../errors.js';
import type { HistoryLine } from '../ledger/export.js';
import { type Binding, bindLab, type Fold, type FoldChannel } from '../state/bind-lab.js';
import { isClusterReady, missingForReady, readinessGaps } from '../state/ready.js';
import { selectConverged, selectMastership } from '../state/selectors.js';
import { initialLabState, type LabState, type LabStore } from '../state/store.js';
import { Clients } from './clients.js';
import { Observer } from './observer.js';
import { RunHistory } from './run-history.js';

export { aliasHint, detectNetworkMode } from '../deployments/loopback.js';

/** What an action pressed while the cluster starts gets back. */
export const STILL_STARTING = 'the cluster is still starting; try again once it is ready';

/** Two probe rounds a second: fresh enough to watch a failover, and the probes stay near 2% of a core. */
export const DEFAULT_PROBE_INTERVAL_MS = 500;

export interface LabRunOptions {
  probeIntervalMs?: number;
  /** Milliseconds between store flushes. */
  flushMs?: number;
}

/** A local lab: the deployment and the lab's own options. */
export type LabOptions = Omit<LocalDeploymentOptions, 'events'> & LabRunOptions;

/** The lab over its own local cluster. */
export type LocalLab = Lab<LocalDeployment>;

export class Lab<D extends Deployment = Deployment> {
  readonly emitter: LabEmitter;
  readonly store: LabStore;
  readonly deployment: D;
  private readonly binding: Binding;
  private readonly probeIntervalMs: number;
  private observer: Observer | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private clientsRunning: Clients | undefined;
  private seq = 0;
  private closed = false;
  /** A start (or the start of a reset) is under way: actions wait for the cluster to be ready (see perform). */
  private starting = false;
  private readonly env: ActionEnv;
  /** What each Sentinel logged before the lab could subscribe to it (from the logs a local deployment reports). */
  private readonly missed = new MissedEvents();
  /** The run's history and workload verdicts for the export (see run-history.ts). */
  private readonly runHistory: RunHistory;

  private constructor(deployment: D, emitter: LabEmitter, opts: LabRunOptions) {
    this.deployment = deployment;
    this.emitter = emitter;
    this.probeIntervalMs = opts.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    const t = deployment.topology;
    const initial: LabState = {
      ...initialLabState(t, deployment.id, (id) => redisCliLine(t, id)),
      portsMoved: deployment.portsMoved,
    };
    this.binding = bindLab(emitter, initial, { flushMs: opts.flushMs ?? 40 });
    this.store = this.binding.store;
    this.env = this.actionEnv();
    this.runHistory = new RunHistory({ emitter, dir: deployment.workDir, nextSeq: () => ++this.seq });
    const sentinels = new Set(sentinelNodes(t).map((n) => n.id));
    emitter.on('node-state', (e) => {
      if (e.state === 'starting' && sentinels.has(e.id)) this.missed.started(e.id, e.at);
    });
    emitter.on('node-log', (e) => {
      if (!sentinels.has(e.id)) return;
      const late = this.missed.line(e.id, e.line);
      if (late.length) this.observer?.logged(e.id, late);
    });
  }

  /**
   * Opens a lab on the deployment `make` builds. `make` gets the event bus the deployment reports its facts on
   * (process states, logs, network faults), so they reach this lab's store.
   */
  static async open<D extends Deployment>(
    make: (events: LabEmitter) => D | Promise<D>,
    opts: LabRunOptions = {},
  ): Promise<Lab<D>> {
    const emitter = new LabEmitter();
    return new Lab(await make(emitter), emitter, opts);
  }

  /**
   * Convenience for the lab's own cluster (deployments/local): reaps stale runs, plans ports and addresses, writes
   * every config. Starts nothing yet.
   */
  static create(opts: LabOptions): Promise<LocalLab> {
    const { probeIntervalMs, flushMs, ...local } = opts;
    return Lab.open((events) => LocalDeployment.create({ ...local, events }), { probeIntervalMs, flushMs });
  }

  /**
   * Attaches to a running `up` of the lab (another process owns the cluster): observes only, never signals,
   * never reconfigures. Its store gets the same probes and Sentinel events.
   */
  static async attach(opts: {
    runDir: string;
    manifest: RunManifest;
    probeIntervalMs?: number;
  }): Promise<Lab<AttachedDeployment>> {
    const lab = await Lab.open((events) => new AttachedDeployment({ events, ...opts }), opts);
    await lab.observe();
    return lab;
  }

  get topology() {
    return this.deployment.topology;
  }

  get runId(): string {
    return this.deployment.id;
  }

  /** Capabilities the deployment lacks, with the reasons (the UI dims their keys). */
  get missing(): MissingCapabilities {
    return missingCapabilities(this.deployment);
  }

  /** Plugs a fold for state a higher layer keeps in the store (the lesson runner) into the store's one writer. */
  use<I>(fold: Fold<I>): FoldChannel<I> {
    return this.binding.use(fold);
  }

  private phase(p: LabPhase): void {
    this.emitter.emit('phase', p);
  }

  /** Starts the deployment's processes, then observes them; resolves when the cluster is ready (see isClusterReady). */
  async start(opts: { timeoutMs?: number } = {}): Promise<{ readyMs: number }> {
    const t0 = Date.now();
    this.phase('starting');
    this.starting = true;
    try {
      await this.deployment.start();
      this.startWatching();
      // A fine poll: readiness is the start-up time users see. Ready includes every Sentinel's event stream, so a
      // lesson step (entered once the cluster is ready) sees every event from its start.
      const unsubscribed = () => this.observer?.unsubscribed() ?? [];
      await this.waitFor(
        (s) => isClusterReady(s) && unsubscribed().length === 0,
        opts.timeoutMs ?? 30_000,
        'the cluster to become ready',
        10,
      ).catch((err: unknown) => {
        // Which conditions never came.
        const gaps = readinessGaps(this.store.getState());
        for (const id of unsubscribed()) {
          gaps.push({ kind: 'sentinel', node: id, text: `the lab is not subscribed to ${id}'s events` });
        }
        const missing = missingForReady(gaps);
        if (this.closed || missing === undefined) throw err;
        throw new UserError(`${errorMessage(err)} ${missing}`, { cause: err });
      });
    } finally {
      this.starting = false;
    }
    const readyMs = Date.now() - t0;
    this.emitter.emit('started', { readyMs });
    this.phase('ready');
    // Whoever awaited start sees the store say so.
    this.binding.flush();
    return { readyMs };
  }

  /** Observes a deployment as it is, without waiting for any state of it (an attached or foreign cluster). */
  async observe(): Promise<void> {
    await this.deployment.start();
    this.startWatching();
    this.phase('ready');
    this.binding.flush();
  }

  private startWatching(): void {
    const d = this.deployment;
    this.observer = new Observer({
      topology: d.topology,
      addresses: d.addresses,
      emitter: this.emitter,
      intervalMs: this.probeIntervalMs,
      onSwitchMaster: () => this.clientsRunning?.masterChanged(),
      nextSeq: () => ++this.seq,
      resolveRunId: (runId) =>
        d.resolveRunId?.(runId) ?? Object.values(this.store.getState().sentinels).find((o) => o.myId === runId)?.id,
      missed: this.missed,
      monitors: (id) => d.sentinelMasters?.(id),
    });
    this.observer.start();
    // What only time decides (a failover that never reaches ODOWN) needs a clock even when nothing is published.
    this.ticker = setInterval(() => this.emitter.emit('tick', { at: Date.now() }), 1000);
    this.ticker.unref();
    d.capabilities.notifications?.start((sentinelId, line) =>
      this.emitter.emit('notification', { seq: ++this.seq, sentinelId, at: Date.now(), line }),
    );
    const traffic = d.capabilities.traffic;
    if (traffic) {
      this.clientsRunning = new Clients({
        topology: d.topology,
        addresses: d.addresses,
        traffic,
        emitter: this.emitter,
        nextSeq: () => ++this.seq,
        historyDir: d.workDir,
      });
    }
  }

  private async stopWatching(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.observer?.stop();
    this.deployment.capabilities.notifications?.stop();
    await this.clientsRunning?.close().catch(() => undefined);
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
    const full: ActionRecord = { ...rec, seq: rec.seq ?? ++this.seq, at: rec.at ?? Date.now() };
    this.emitter.emit('action', full);
    return full;
  }

  /** A fact about the lab itself for the actions pane (ports moved, the cluster did not start, a lesson problem). */
  notice(level: 'info' | 'warning' | 'error', text: string, hint?: string): void {
    this.emitter.emit('notice', { seq: ++this.seq, at: Date.now(), level, text, hint });
  }

  /**
   * Carries out one action; never throws. A failure comes back as {ok:false} and stays visible as the action's own
   * record (with the hint, if any): one failed action is one row. An action the deployment cannot do is refused
   * with the reason, and recorded nowhere (nothing was attempted). So is every action while the cluster starts: a
   * node killed or a key written then would only stop the start, or count for no lesson step (a step starts, and
   * judges what happens, once the cluster is ready).
   */
  async perform(action: LabAction): Promise<ActionOutcome> {
    if (this.starting) return { ok: false, text: STILL_STARTING };
    const d = this.deployment;
    let described: { def: ReturnType<typeof actionDef>; a: LabAction; title: string; equivalent: string };
    try {
      const def = actionDef(action.kind);
      const a = def.normalize(action);
      const runtime = d.capabilities.runtime;
      const facts = {
        pid: (id: string) => runtime?.pid(id),
        configPath: (id: string) => runtime?.configPath(id),
      };
      described = { def, a, title: def.title(a, d.topology), equivalent: def.equivalent(a, d.topology, facts) };
    } catch (err) {
      return { ok: false, text: errorMessage(err) };
    }
    const { def, a, title, equivalent } = described;
    const missing = def.requires ? whyMissing(d, def.requires) : undefined;
    if (missing) return { ok: false, text: missing.reason };
    const rec = this.record({ kind: a.kind, title, equivalent, status: 'running' });
    try {
      const text = await def.execute(a, this.env);
      this.record({ ...rec, status: 'ok', result: text });
      return { ok: true, text };
    } catch (err) {
      const text = errorMessage(err);
      const hint = err instanceof UserError ? err.hint : undefined;
      this.record({ ...rec, status: 'failed', result: text, ...(hint ? { hint } : {}) });
      return { ok: false, text };
    }
  }

  /** What actions carry themselves out with (see actions/action.ts). */
  private actionEnv(): ActionEnv {
    const d = this.deployment;
    const t = d.topology;
    return {
      topology: t,
      use: <C extends Capability>(c: C): NonNullable<Capabilities[C]> => {
        const cap = d.capabilities[c];
        if (cap !== undefined) return cap as NonNullable<Capabilities[C]>;
        const why = whyMissing(d, c);
        throw new UserError(why?.reason ?? `${c} is unavailable`, { hint: why?.hint });
      },
      node: (id: string): NodeSpec => {
        const n = nodeById(t, id);
        if (!n) throw new UserError(`unknown node "${id}"`, { hint: `Nodes: ${t.nodes.map((x) => x.id).join(', ')}` });
        return n;
      },
      pollNow: (id) => this.observer?.pollNow(id),
      clients: () => {
        if (!this.clientsRunning) throw new UserError('the cluster is not started yet');
        return this.clientsRunning;
      },
      nemesis: (f, value) => this.history({ process: 'nemesis', type: 'info', f, value }),
      finalRead: (timeoutMs) => this.finalRead(timeoutMs),
      resetCluster: () => this.reset(),
    };
  }

  private history(op: Omit<HistoryOp, 'seq' | 'at'>): void {
    const full: HistoryOp = { seq: ++this.seq, at: Date.now(), ...op };
    this.emitter.emit('history-op', full);
    this.clientsRunning?.note(full);
  }

  /** Waits for convergence, then reads the ledger set on the one master. */
  private async finalRead(timeoutMs: number): Promise<{ node: string; members: string[] }> {
    await this.waitFor(
      (s) => selectConverged(s).ok,
      timeoutMs,
      'the cluster to converge (one master, every Sentinel agreeing)',
    );
    const master = selectMastership(this.store.getState()).master;
    if (!master) throw new UserError('no single master to read from');
    const members = (await adminCommand(this.deployment.addresses.admin(master), this.topology.password, [
      'SMEMBERS',
      'rsl:ledger',
    ])) as string[];
    return { node: master, members };
  }

  /**
   * Writes the run's whole history (JSON Lines) and a short Markdown report into `dir`: faults, cluster resets,
   * Sentinel events and failover timelines always (every cluster's, across resets); a ledger section per workload
   * (its verdict, or why it has none). The history merges, by seq, every workload's file and the run's own record
   * (run-history.ts), streamed from disk. The files are named after the run and never replace an existing file.
   */
  async exportRun(dir: string): Promise<{ jsonl: string; markdown: string }> {
    const { mergeHistory, pairFaultLines, publishExport, renderReport } = await import('../ledger/export.js');
    const { formatTimeline, timelineTitle } = await import('../cluster/observe/failover-timeline.js');
    const t = this.topology;
    // Everything appended so far goes to disk first: the running workload's file and the run's own.
    await this.clientsRunning?.historySource();
    try {
      await this.runHistory.flush();
    } catch (err) {
      throw new UserError(`the run's history file ${this.runHistory.file?.path} is incomplete: ${errorMessage(err)}`);
    }
    const s = this.store.getState();
    const work = this.deployment.workDir;
    const runFile = this.runHistory.file;
    const workloadFiles = work
      ? (await readdir(work))
          .filter((n) => /^workload-.+\.jsonl$/.test(n))
          .sort()
          .map((n) => ({ file: join(work, n), keep: (l: { process: string }) => l.process === 'workload' }))
      : [];
    const memory = this.runHistory.memory();
    const sources = {
      files: [...workloadFiles, ...(runFile ? [{ file: runFile.path }] : [])],
      lines: memory.lines,
    };
    // The few lines the report needs are kept while the history streams past.
    const faultLines: HistoryOp[] = [];
    const nodeActions = new Map<number, { at: number; seq: number; description: string }>();
    const nodeFaults: Array<{ at: number; seq: number; description: string }> = [];
    const finalReads = new Map<number, number>();
    const seen = (l: HistoryLine) => {
      if (l.f === 'fault' || l.f === 'heal') faultLines.push(l);
      else if (l.f === 'final-read') finalReads.set(l.at, l.seq);
      else if (l.f === 'action' && 'action' in l && l.action && isNodeAction(l.action)) {
        if (l.type === 'invoke') nodeActions.set(l.seq, { at: l.at, seq: l.seq, description: l.value ?? l.action });
        else if (l.type === 'ok' && l.opId !== undefined) {
          const invoked = nodeActions.get(l.opId);
          if (invoked) nodeFaults.push(invoked);
          nodeActions.delete(l.opId);
        }
      }
    };
    const base = `redis-sentinel-lab-${this.runId}${this.deployment.kind === 'local' ? '' : `-${fileStamp(s.startedAt)}`}`;
    return publishExport(dir, base, async (tmp) => {
      await mergeHistory(tmp, sources, seen);
      const faults = [...pairFaultLines(faultLines), ...nodeFaults].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
      // Every cluster's failovers: each reset keeps those of the cluster before it.
      const resetAts = this.runHistory.resets();
      const generations = [...s.resets.map((r) => r.failovers ?? []), s.failovers];
      // The store keeps the latest resets (LIMITS.resets); the run's record has them all, at the moment each began.
      const skipped = Math.max(0, resetAts.length - s.resets.length);
      const resetAt = (g: number) => resetAts[g + skipped]?.at ?? s.resets[g]?.at;
      const failovers = generations.flatMap((fs, g) =>
        fs.map((f) => ({
          at: f.startedAt,
          title: timelineTitle(f),
          lines: formatTimeline(f),
          ...(generations.length > 1 ? { cluster: clusterName(g, generations.length, resetAt(g), s.startedAt) } : {}),
        })),
      );
      const workloads = this.runHistory.workloads().map((w, i, all) => ({
        ...w,
        ...(w.verdict && finalReads.has(w.verdict.at) ? { finalReadSeq: finalReads.get(w.verdict.at) } : {}),
        ...(!w.verdict && !w.note
          ? {
              note:
                w.running && i === all.length - 1
                  ? 'The workload is still running: stopping it reads the final set and checks every write.'
                  : 'It was stopped, and its final check had not finished when the run was exported.',
            }
          : {}),
      }));
      return renderReport({
        title: `redis-sentinel-lab run ${this.runId}`,
        topologySummary: `${redisNodes(t).length} Redis · ${sentinelNodes(t).length} Sentinels, quorum ${t.sentinel.quorum}, down-after ${t.sentinel.downAfterMs} ms · min-replicas-to-write ${t.replication.minReplicasToWrite}, max-lag ${t.replication.minReplicasMaxLagSec} s`,
        faults,
        resets: resetAts,
        sentinelEvents: s.events.map((e) => ({
          at: e.at,
          seq: e.seq,
          sentinelId: e.sentinelId,
          channel: e.channel,
          payload: e.payload,
        })),
        failovers,
        workloads,
        // Relative times count from the run's start, as the screen's do; each workload's start is a line of its own.
        startedAt: s.startedAt,
      });
    });
  }

  /** Fresh configs and fresh Sentinel state: stop watching, let the deployment start over, start again. */
  async reset(): Promise<void> {
    const resettable = this.deployment.capabilities.reset;
    if (!resettable) {
      const why = whyMissing(this.deployment, 'reset');
      throw new UserError(why?.reason ?? 'this deployment cannot be reset', { hint: why?.hint });
    }
    await this.stopWatching();
    this.clientsRunning = undefined;
    await resettable.reset();
    // Everything observed of the old cluster is folded in before this, and cleared by it.
    this.emitter.emit('cluster-reset');
    await this.start();
  }

  /** Stops watching, then lets the deployment stop what it runs; idempotent. Leaves no process or listener. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.phase('stopping');
    await this.stopWatching();
    await this.deployment.shutdown();
    this.phase('stopped');
    this.binding.dispose();
  }

  /** For process 'exit' handlers: synchronous best effort. */
  shutdownSync(): void {
    this.deployment.shutdownSync();
  }

  /** Processes of the deployment alive now (0 when it runs none). */
  aliveProcesses(): number {
    return this.deployment.capabilities.runtime?.aliveCount() ?? 0;
  }

  nodePid(id: string): number | undefined {
    return this.deployment.capabilities.runtime?.pid(id);
  }
}

/** `20261203T064932Z`: a time in a file name. */
function fileStamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}

/** Which cluster of the run a failover happened on: `cluster 1 of 3, before the reset at +40.1 s`. */
function clusterName(g: number, of: number, resetAt: number | undefined, startedAt: number): string {
  const when =
    resetAt === undefined ? 'the current one' : `before the reset at +${((resetAt - startedAt) / 1000).toFixed(1)} s`;
  return `cluster ${g + 1} of ${of}, ${when}`;
}
