// The store's one writer: it creates the lab store and is the only code that changes it. Engine facts (cluster/
// events.ts) are queued and folded together at a bounded rate, so the UI re-renders at most a few times a second
// however busy the cluster is. Most facts (probes, log lines, clock ticks) wait up to `flushMs` to share a batch;
// the facts a person waits to see (a Sentinel event, a process that died, a fault, an action's record) start a batch
// at once, unless another such batch started less than `flushMs` ago (a burst): then when that much has passed.
// State a higher layer owns (the lesson runner) plugs in as a Fold: a pure reducer whose inputs are folded in order
// with the facts, and which runs again after every batch.
import { createStore } from 'zustand/vanilla';
import { isDisruptive } from '../actions/catalog.js';
import type { LabEmitter, LabEvents, SentinelEvent } from '../cluster/events.js';
import { appendToGroups } from '../cluster/observe/event-groups.js';
import { settleTimelines, type TimelineContext, updateTimelines } from '../cluster/observe/failover-timeline.js';
import { computeLags } from '../cluster/observe/lag.js';
import { sentinelNodes } from '../cluster/topology.js';
import { countOps } from '../ledger/counts.js';
import { recordClientResult } from './client-runs.js';
import { selectSettings } from './selectors.js';
import { appendBounded, emptyCounts, type LabState, type LabStore, LIMITS } from './store.js';

/** A pure reducer for state a higher layer keeps in the store (LabState slots, see store.ts). */
export interface Fold<I> {
  /** Folds one of its own inputs. */
  input(s: LabState, input: I, now: number): LabState;
  /** Runs after every batch, on the state with every fact of the batch folded in. */
  afterBatch?(s: LabState, now: number): LabState;
}

/** Sends a fold its inputs; `remove` unplugs it (its state stays as it was). */
export interface FoldChannel<I> {
  /** Folds `input` now, after every fact queued before it; the store shows the result when this returns. */
  send(input: I): void;
  remove(): void;
}

type EngineFact = { [K in keyof LabEvents]: { kind: K; args: LabEvents[K] } }[keyof LabEvents];
type FoldInput = { kind: 'fold-input'; fold: Fold<unknown>; input: unknown };
type Queued = EngineFact | FoldInput;

export interface Binding {
  /** The lab store, read-only: nothing but this binding can change it. */
  readonly store: LabStore;
  /** Applies everything queued now (tests and shutdown call it). */
  flush(): void;
  /** Plugs in a fold for state a higher layer owns. */
  use<I>(fold: Fold<I>): FoldChannel<I>;
  /** Stops listening; folds what is queued. */
  dispose(): void;
}

const GROUP_WINDOW_MS = 1500;

/** The engine facts the store folds, i.e. every LabEvents channel. */
const FACTS: ReadonlyArray<keyof LabEvents> = [
  'phase',
  'started',
  'cluster-reset',
  'node-state',
  'node-exited',
  'node-log',
  'redis-probed',
  'sentinel-probed',
  'sentinel-event',
  'fault-applied',
  'fault-healed',
  'action',
  'notice',
  'history-op',
  'client-result',
  'workload',
  'notification',
  'tick',
  'heartbeat',
  'nat-changed',
  'client-target',
];

/** Facts folded at the first moment the rate bound allows instead of after a full `flushMs`. */
const PROMPT: ReadonlySet<keyof LabEvents> = new Set<keyof LabEvents>([
  'sentinel-event',
  'notification',
  'node-state',
  'node-exited',
  'fault-applied',
  'fault-healed',
  'action',
  'notice',
]);

export function bindLab(
  emitter: LabEmitter,
  initial: LabState,
  opts: { flushMs?: number; now?: () => number; monotonic?: () => number } = {},
): Binding {
  const api = createStore<LabState>()(() => initial);
  // The store handed out has no setter at all: writing is this module's alone.
  const store: LabStore = Object.freeze({
    getState: api.getState,
    getInitialState: api.getInitialState,
    subscribe: api.subscribe,
  });
  const now = opts.now ?? Date.now;
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing = false;
  const folds: Array<Fold<unknown>> = [];
  const flushMs = opts.flushMs ?? 100;
  const listeners: Array<[keyof LabEvents, (...a: never[]) => void]> = [];

  // Two rate bounds, each at most one batch per `flushMs`: batches started by a prompt fact, and batches started by
  // the others (a timer `flushMs` after the first of them). Monotonic clock.
  const mono = opts.monotonic ?? (() => performance.now());
  let lastPromptAt = Number.NEGATIVE_INFINITY;
  let dueAt = Number.POSITIVE_INFINITY;
  let promptTimer = false;
  const arm = (delayMs: number, prompt: boolean) => {
    if (timer) clearTimeout(timer);
    dueAt = mono() + delayMs;
    promptTimer = prompt;
    timer = setTimeout(() => {
      timer = undefined;
      dueAt = Number.POSITIVE_INFINITY;
      // A flush someone called meanwhile may have folded it all already: then no batch starts here.
      if (promptTimer && queue.length > 0) lastPromptAt = mono();
      flush();
    }, delayMs);
    timer.unref?.();
  };
  const schedule = (prompt: boolean) => {
    if (prompt) {
      const t = mono();
      const earliest = Math.max(0, lastPromptAt + flushMs - t);
      if (!timer || dueAt > t + earliest) arm(earliest, true);
      return;
    }
    if (!timer) arm(flushMs, false);
  };

  for (const kind of FACTS) {
    const prompt = PROMPT.has(kind);
    const fn = (...args: unknown[]) => {
      queue.push({ kind, args } as EngineFact);
      schedule(prompt);
    };
    emitter.on(kind, fn as never);
    listeners.push([kind, fn as never]);
  }

  function flush(): void {
    // A subscriber that sends a fold input while the store notifies is folded by this same loop.
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length) {
        const batch = queue;
        queue = [];
        api.setState((s) => reduceBatch(s, batch, { now: now(), folds }), true);
      }
    } finally {
      flushing = false;
    }
  }

  return {
    store,
    flush,
    use<I>(fold: Fold<I>): FoldChannel<I> {
      const f = fold as Fold<unknown>;
      folds.push(f);
      return {
        send(input: I) {
          queue.push({ kind: 'fold-input', fold: f, input });
          flush();
        },
        remove() {
          const i = folds.indexOf(f);
          if (i >= 0) folds.splice(i, 1);
        },
      };
    },
    dispose() {
      if (timer) clearTimeout(timer);
      for (const [k, fn] of listeners) emitter.off(k, fn as never);
      flush();
    },
  };
}

/** Facts folded together at the end of a batch (or before a reset): events, log lines, whether any probe answered. */
interface Gathered {
  events: SentinelEvent[];
  logs: Map<string, string[]>;
  probed: boolean;
  /** The latest clock tick in the batch. */
  tickAt?: number;
}

const emptyGathered = (): Gathered => ({ events: [], logs: new Map(), probed: false });

/** Pure (given pure folds): folds a batch of engine facts and fold inputs into the next state. Exported for tests. */
export function reduceBatch(
  s: LabState,
  batch: readonly Queued[],
  ctx: { now: number; folds?: ReadonlyArray<Fold<unknown>> } = { now: Date.now() },
): LabState {
  let next: LabState = s;
  const patch = (p: Partial<LabState>) => {
    next = { ...next, ...p };
  };
  let gathered = emptyGathered();
  for (const q of batch) {
    switch (q.kind) {
      case 'phase':
        patch({ phase: q.args[0] });
        break;
      case 'started':
        patch({ readyMs: q.args[0].readyMs });
        break;
      case 'cluster-reset':
        // What was gathered of the old cluster is folded first, so none of it lands after the clearing.
        next = foldGathered(next, gathered);
        gathered = emptyGathered();
        patch({
          redis: {},
          sentinels: {},
          lagHistory: {},
          failovers: [],
          faults: [],
          nat: {},
          clientTargets: {},
          // The reset closed the clients: no workload or heartbeat runs on the new cluster until one is started.
          workload: { ...next.workload, running: false },
          heartbeat: { running: false },
          resets: appendBounded(
            next.resets,
            [
              {
                at: ctx.now,
                afterSeq: next.events.at(-1)?.seq ?? 0,
                // The old cluster's failovers leave the view, and stay in the run's export.
                ...(next.failovers.length ? { failovers: next.failovers } : {}),
              },
            ],
            LIMITS.resets,
          ),
        });
        break;
      case 'node-state': {
        const e = q.args[0];
        const p = next.processes[e.id];
        if (!p) break;
        const restarts = e.state === 'starting' && p.pid !== undefined && e.pid !== p.pid ? p.restarts + 1 : p.restarts;
        patch({ processes: { ...next.processes, [e.id]: { ...p, state: e.state, pid: e.pid ?? p.pid, restarts } } });
        break;
      }
      case 'node-exited': {
        const e = q.args[0];
        const p = next.processes[e.id];
        if (p) patch({ processes: { ...next.processes, [e.id]: { ...p, lastExit: e } } });
        break;
      }
      case 'node-log': {
        const e = q.args[0];
        const l = gathered.logs.get(e.id) ?? [];
        l.push(e.line);
        gathered.logs.set(e.id, l);
        break;
      }
      case 'redis-probed': {
        const o = q.args[0];
        patch({ redis: { ...next.redis, [o.id]: o } });
        gathered.probed = true;
        break;
      }
      case 'sentinel-probed': {
        const o = q.args[0];
        patch({ sentinels: { ...next.sentinels, [o.id]: o } });
        break;
      }
      case 'sentinel-event':
        gathered.events.push(q.args[0]);
        break;
      case 'fault-applied':
        patch({ faults: [...next.faults.filter((f) => f.id !== q.args[0].id), q.args[0]] });
        break;
      case 'fault-healed':
        patch({ faults: next.faults.filter((f) => f.id !== q.args[0].id) });
        break;
      case 'action': {
        const a = q.args[0];
        const rest = next.actions.filter((x) => x.seq !== a.seq);
        patch({ actions: appendBounded(rest, [a], LIMITS.actions) });
        break;
      }
      case 'notice':
        patch({ notices: appendBounded(next.notices, [q.args[0]], LIMITS.notices) });
        break;
      case 'history-op': {
        const op = q.args[0];
        const w = next.workload;
        patch({
          history: appendBounded(next.history, [op], LIMITS.history),
          workload: op.process === 'workload' ? { ...w, counts: countOps(w.counts, op) } : w,
        });
        break;
      }
      case 'client-result': {
        const r = q.args[0];
        patch({
          clientResults: appendBounded(next.clientResults, [r], LIMITS.clientResults),
          clientRuns: { ...next.clientRuns, [r.client]: recordClientResult(next.clientRuns[r.client], r) },
        });
        break;
      }
      case 'workload': {
        const w = q.args[0];
        const starting = w.running && !next.workload.running;
        patch({
          workload: {
            ...next.workload,
            ...w,
            counts: starting ? emptyCounts() : next.workload.counts,
            verdict: starting ? undefined : (w.verdict ?? next.workload.verdict),
            error: starting ? undefined : w.error,
          },
        });
        break;
      }
      case 'notification':
        patch({ notifications: appendBounded(next.notifications, [q.args[0]], LIMITS.notifications) });
        break;
      case 'tick':
        gathered.tickAt = q.args[0].at;
        break;
      case 'heartbeat':
        patch({ heartbeat: { ...q.args[0] } });
        break;
      case 'nat-changed': {
        const { host, portOffset } = q.args[0];
        const { [host]: _was, ...rest } = next.nat;
        patch({ nat: portOffset === 0 ? rest : { ...rest, [host]: portOffset } });
        break;
      }
      case 'client-target': {
        const { client, target } = q.args[0];
        patch({ clientTargets: { ...next.clientTargets, [client]: target } });
        break;
      }
      case 'fold-input':
        // A fold sees every fact queued before its input.
        next = foldGathered(next, gathered);
        gathered = emptyGathered();
        next = q.fold.input(next, q.input, ctx.now);
        break;
    }
  }
  next = foldGathered(next, gathered);
  for (const f of ctx.folds ?? []) if (f.afterBatch) next = f.afterBatch(next, ctx.now);
  return next;
}

/** Log lines into each node's tail; Sentinel events into the log, groups and failover timelines; lag samples. */
function foldGathered(s: LabState, g: Gathered): LabState {
  let next = s;
  if (g.logs.size) {
    const processes = { ...next.processes };
    for (const [id, lines] of g.logs) {
      const p = processes[id];
      if (p) processes[id] = { ...p, logTail: appendBounded(p.logTail, lines, LIMITS.logLines) };
    }
    next = { ...next, processes };
  }
  if (g.events.length || g.tickAt !== undefined) {
    const ctx = timelineContext(next);
    let failovers = next.failovers;
    for (const e of g.events) failovers = updateTimelines(failovers, e, ctx);
    const last = g.events[g.events.length - 1];
    const now = Math.max(g.tickAt ?? 0, last?.at ?? 0);
    failovers = settleTimelines(failovers, now, ctx);
    // A lab left running for days keeps its latest timelines only (the export and lesson checks use recent ones).
    if (failovers.length > LIMITS.failovers) failovers = failovers.slice(-LIMITS.failovers);
    if (g.events.length) {
      next = {
        ...next,
        events: appendBounded(next.events, g.events, LIMITS.events),
        eventGroups: appendToGroups(next.eventGroups, g.events, {
          windowMs: GROUP_WINDOW_MS,
          limit: LIMITS.eventGroups,
          // Nothing of a fresh cluster joins an event from before its reset.
          closedUpToSeq: next.resets.at(-1)?.afterSeq ?? 0,
        }),
        failovers,
      };
    } else if (failovers !== next.failovers) {
      next = { ...next, failovers };
    }
  }
  if (g.probed) {
    const lagHistory = { ...next.lagHistory };
    for (const lag of computeLags(next.topology, next.redis)) {
      lagHistory[lag.replicaId] = appendBounded(lagHistory[lag.replicaId] ?? [], [lag.lagBytes], LIMITS.lagSamples);
    }
    next = { ...next, lagHistory };
  }
  return next;
}

/** What failover timelines need from the state: the settings in force now (re-read every probe round), the last
 * fault, and the roles the probes see. */
function timelineContext(s: LabState): TimelineContext {
  const settings = selectSettings(s);
  return {
    downAfterMs: settings.downAfterMs,
    failoverTimeoutMs: settings.failoverTimeoutMs,
    quorum: settings.quorum,
    parallelSyncs: settings.parallelSyncs,
    sentinels: sentinelNodes(s.topology).length,
    lastFault: lastFaultOf(s),
    observedRole: (id) => {
      const o = s.redis[id];
      return o?.reachable ? o.replication?.role : undefined;
    },
  };
}

/** The most recent fault the lab injected (a kill, freeze, stop or network fault), for failover timelines. */
function lastFaultOf(s: LabState): { at: number; description: string } | undefined {
  for (let i = s.actions.length - 1; i >= 0; i--) {
    const a = s.actions[i];
    if (a && a.status !== 'failed' && isDisruptive(a.kind)) {
      return { at: a.at, description: a.title };
    }
  }
  return undefined;
}
