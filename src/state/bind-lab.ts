// The only code that turns engine events into store updates. Facts are queued and flushed together at a
// bounded rate, so the UI re-renders at most a few times a second however busy the cluster is.
import { isDisruptive } from '../actions/catalog.js';
import type { LabEmitter, LabEvents, SentinelEvent } from '../cluster/events.js';
import { appendToGroups } from '../cluster/observe/event-groups.js';
import { updateTimelines } from '../cluster/observe/failover-timeline.js';
import { computeLags } from '../cluster/observe/lag.js';
import { countOps } from '../ledger/counts.js';
import { appendBounded, emptyCounts, type LabState, type LabStore, LIMITS } from './store.js';

type Queued = { [K in keyof LabEvents]: { kind: K; args: LabEvents[K] } }[keyof LabEvents];

export interface Binding {
  /** Applies everything queued now (tests and shutdown call it). */
  flush(): void;
  dispose(): void;
}

const GROUP_WINDOW_MS = 1500;

export function bindLab(emitter: LabEmitter, store: LabStore, opts: { flushMs?: number } = {}): Binding {
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flushMs = opts.flushMs ?? 100;
  const listeners: Array<[keyof LabEvents, (...a: never[]) => void]> = [];

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      flush();
    }, flushMs);
    timer.unref?.();
  };

  function on<K extends keyof LabEvents>(kind: K): void {
    const fn = (...args: LabEvents[K]) => {
      queue.push({ kind, args } as Queued);
      schedule();
    };
    emitter.on(kind, fn as never);
    listeners.push([kind, fn as never]);
  }
  for (const k of [
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
  ] as const)
    on(k);

  function flush(): void {
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    store.setState((s) => reduceBatch(s, batch));
  }

  return {
    flush,
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
}

const emptyGathered = (): Gathered => ({ events: [], logs: new Map(), probed: false });

/** Pure: folds a batch of engine facts into the next state. Exported for tests. */
export function reduceBatch(s: LabState, batch: readonly Queued[]): LabState {
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
        patch({ redis: {}, sentinels: {}, lagHistory: {}, failovers: [], faults: [] });
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
      case 'client-result':
        patch({ clientResults: appendBounded(next.clientResults, [q.args[0]], LIMITS.clientResults) });
        break;
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
    }
  }
  return foldGathered(next, gathered);
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
  if (g.events.length) {
    const settings = next.topology.sentinel;
    let failovers = next.failovers;
    const lastFault = lastFaultOf(next);
    for (const e of g.events) {
      failovers = updateTimelines(failovers, e, {
        downAfterMs: settings.downAfterMs,
        failoverTimeoutMs: settings.failoverTimeoutMs,
        lastFault,
      });
    }
    next = {
      ...next,
      events: appendBounded(next.events, g.events, LIMITS.events),
      eventGroups: appendToGroups(next.eventGroups, g.events, { windowMs: GROUP_WINDOW_MS, limit: LIMITS.eventGroups }),
      failovers,
    };
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
