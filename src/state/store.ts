// The shape of the lab store: one vanilla zustand store per lab, created and written only by state/bind-lab.ts
// (which hands out this read-only view); the TUI, the lessons and the headless commands read it through selectors.
import type { StoreApi } from 'zustand/vanilla';
import type {
  ActionRecord,
  ClientResultEvent,
  HistoryOp,
  LabPhase,
  NodeExit,
  Notice,
  ProcessState,
  SentinelEvent,
} from '../cluster/events.js';
import type { ActiveFault } from '../cluster/fabric/plan.js';
import type { EventGroup, FailoverTimeline, RedisObservation, SentinelObservation } from '../cluster/observe/types.js';
import type { ClientName, ClientSpec, Topology } from '../cluster/topology.js';
import type { LedgerCounts, LedgerVerdict } from '../ledger/types.js';
import { type ClientRuns, emptyClientRuns } from './client-runs.js';

export interface NodeProcess {
  id: string;
  kind: 'redis' | 'sentinel';
  state: ProcessState;
  pid?: number;
  /** Times the lab (re)started it after the first start. */
  restarts: number;
  lastExit?: NodeExit;
  /** Last lines of its log (survives restarts). */
  logTail: string[];
  /** `redis-cli …` line to copy. */
  cliLine: string;
}

export type ClientResult = ClientResultEvent;

export interface WorkloadState {
  running: boolean;
  client?: ClientName;
  ratePerSec?: number;
  startedAt?: number;
  counts: LedgerCounts;
  verdict?: LedgerVerdict;
  /** Why the final check could not run. */
  error?: string;
}

/**
 * State that layers above the store keep in it, declared by those layers (declaration merging), so the store
 * imports nothing from them: lessons/session.ts adds `lesson`, the loaded lesson's progress (undefined in sandbox).
 */
// biome-ignore lint/suspicious/noEmptyInterface: an extension point filled by declaration merging
export interface LabStateSlots {}

export interface LabState extends LabStateSlots {
  phase: LabPhase;
  runId: string;
  topology: Topology;
  /** Set when the note's port block was busy and the lab moved. */
  portsMoved?: { from: number; to: number; reason: string };
  startedAt: number;
  readyMs?: number;
  processes: Record<string, NodeProcess>;
  redis: Record<string, RedisObservation>;
  sentinels: Record<string, SentinelObservation>;
  /** Replica id -> recent lagBytes samples, oldest first (for sparklines). */
  lagHistory: Record<string, number[]>;
  /** Raw events, bounded, oldest first. */
  events: SentinelEvent[];
  eventGroups: EventGroup[];
  /**
   * Each reset of the cluster (fresh configs and Sentinel state), oldest first, bounded: when, and the seq of the last
   * event from before it. The event log outlives a reset; this is where the events pane draws the line.
   */
  resets: ClusterReset[];
  failovers: FailoverTimeline[];
  faults: ActiveFault[];
  actions: ActionRecord[];
  notices: Notice[];
  /** The latest client results (LIMITS.clientResults), oldest first. */
  clientResults: ClientResult[];
  /**
   * Each client's outage facts (failing since, last recovery, counts) from every result, not only the latest kept in
   * `clientResults`: recorded as each result arrives (client-runs.ts), so they never change once results drop out.
   */
  clientRuns: ClientRuns;
  /** Recent client/fault history (bounded); the workload keeps the whole history itself. */
  history: HistoryOp[];
  workload: WorkloadState;
  /** Lines recorded by the Sentinels' notification script (the lab's own), newest last. */
  notifications: Array<{ seq?: number; sentinelId: string; at: number; line: string }>;
  /** Both clients writing a heartbeat key on a timer. */
  heartbeat: { running: boolean; everyMs?: number; startedAt?: number };
  /** Hosts behind the lab's NAT: host id -> how far above their own ports their nodes are published. */
  nat: Record<string, number>;
  /** Clients pointed elsewhere than the topology says (the client-target action). */
  clientTargets: Partial<Record<ClientName, ClientSpec['target']>>;
}

export interface ClusterReset {
  at: number;
  /** The seq of the last event before the reset (0 when there was none); later events are of the fresh cluster. */
  afterSeq: number;
  /** The failovers of the cluster before this reset (the run's export reports every cluster's); absent: none kept. */
  failovers?: FailoverTimeline[];
}

/** The lab store as everyone but its writer sees it: read and subscribe, no setter. */
export type LabStore = Pick<StoreApi<LabState>, 'getState' | 'getInitialState' | 'subscribe'>;

export const LIMITS = {
  events: 1000,
  eventGroups: 300,
  resets: 50,
  actions: 200,
  notices: 50,
  clientResults: 100,
  history: 2000,
  logLines: 300,
  lagSamples: 60,
  notifications: 200,
  failovers: 100,
} as const;

export function emptyCounts(): LedgerCounts {
  return { invoked: 0, ok: 0, failed: 0, unknown: 0, errors: {} };
}

export function initialLabState(topology: Topology, runId = 'test', cliLine?: (id: string) => string): LabState {
  const processes: Record<string, NodeProcess> = {};
  for (const n of topology.nodes) {
    processes[n.id] = {
      id: n.id,
      kind: n.kind,
      state: 'starting',
      restarts: 0,
      logTail: [],
      cliLine: cliLine?.(n.id) ?? '',
    };
  }
  return {
    phase: 'starting',
    runId,
    topology,
    startedAt: Date.now(),
    processes,
    redis: {},
    sentinels: {},
    lagHistory: {},
    events: [],
    eventGroups: [],
    resets: [],
    failovers: [],
    faults: [],
    actions: [],
    notices: [],
    clientResults: [],
    clientRuns: emptyClientRuns(),
    history: [],
    workload: { running: false, counts: emptyCounts() },
    notifications: [],
    heartbeat: { running: false },
    nat: {},
    clientTargets: {},
  };
}

/** Appends and keeps the newest `limit` items (returns a new array). */
export function appendBounded<T>(list: readonly T[], items: readonly T[], limit: number): T[] {
  const next = list.concat(items);
  return next.length > limit ? next.slice(next.length - limit) : next;
}
