// The engine's typed facts. The engine emits these; `state/bind-lab.ts` is the only code that folds them into the store.
import { EventEmitter } from 'node:events';
import type { HistoryOp, LedgerVerdict } from '../ledger/types.js';
import type { ActiveFault } from './fabric/plan.js';
import type { RedisObservation, SentinelObservation } from './observe/types.js';

export type ProcessState = 'starting' | 'running' | 'frozen' | 'stopping' | 'stopped' | 'exited';

export interface NodeStateChange {
  id: string;
  state: ProcessState;
  pid?: number;
  at: number;
  /** Why: "killed (SIGKILL)", "exited with code 1", "SHUTDOWN", … */
  reason?: string;
}

export interface NodeExit {
  id: string;
  at: number;
  code: number | null;
  signal: string | null;
  /** True when the lab caused it (kill/stop/shutdown). */
  expected: boolean;
  logTail: string[];
}

export interface LogLine {
  id: string;
  at: number;
  line: string;
}

/** One Sentinel pub/sub message, parsed (see observe/sentinel-events.ts). */
export interface SentinelEvent {
  seq: number;
  at: number;
  /** Which Sentinel published it. */
  sentinelId: string;
  /** Raw channel, e.g. `+switch-master`. */
  channel: string;
  /** Raw payload text. */
  payload: string;
  severity: 'info' | 'notice' | 'warning' | 'critical';
  /** One-line plain-language gloss. */
  gloss: string;
  /** Instance type in the payload, when it has one: master | slave | sentinel. */
  instanceType?: string;
  /** Node the event is about (resolved from ip/port), when known. */
  subjectId?: string;
  /** For +switch-master: node ids of the old and new master. */
  fromId?: string;
  toId?: string;
  epoch?: number;
  known: boolean;
  /**
   * The master name it is about: the one its payload names, else the master whose failover it belongs to (an epoch,
   * a vote), else its Sentinel's only master. Absent when that cannot be told (observe/event-masters.ts).
   */
  master?: string;
}

/** A user-visible record of something the lab did, with the real command it stands for. */
export interface ActionRecord {
  seq: number;
  at: number;
  /** The action kind it carried out (an ActionKind of src/actions/catalog.ts). */
  kind: string;
  title: string;
  /** The equivalent shell / redis-cli / signal, e.g. `kill -9 4242   # redis-1`. */
  equivalent: string;
  status: 'running' | 'ok' | 'failed';
  /** What came of it; for a failure, why. */
  result?: string;
  /** For a failure the user can fix: how. */
  hint?: string;
}

export interface Notice {
  seq: number;
  at: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  hint?: string;
}

export type LabPhase = 'starting' | 'ready' | 'degraded' | 'stopping' | 'stopped' | 'failed';

export type { HistoryOp } from '../ledger/types.js';

/** A client command's outcome, for the client pane and lesson checks. */
export interface ClientResultEvent {
  seq: number;
  at: number;
  client: 'A' | 'B';
  command: string;
  /** Whether the command was a write or a read. */
  op?: 'write' | 'read';
  node?: string;
  ok: boolean;
  text: string;
  /** For SET followed by WAIT on the same connection: WAIT's reply, the number of replicas that acknowledged. */
  waitReplicas?: number;
}

export interface WorkloadEvent {
  running: boolean;
  client?: 'A' | 'B';
  ratePerSec?: number;
  startedAt?: number;
  /** Set once the final check ran. */
  verdict?: LedgerVerdict;
  /** Set when the final check could not run (e.g. no convergence). */
  error?: string;
}

/** Both clients writing a heartbeat key on a timer (the client pane's side-by-side view of A and B). */
export interface HeartbeatEvent {
  running: boolean;
  everyMs?: number;
  startedAt?: number;
}

/** A host's nodes now published `portOffset` above their own ports (the lab's NAT), or back at them (0). */
export interface NatChange {
  host: string;
  portOffset: number;
}

/** A client was pointed elsewhere: at the Sentinels, or pinned to one node. */
export interface ClientTargetChange {
  client: 'A' | 'B';
  target: { kind: 'sentinel' } | { kind: 'node'; node: string };
}

/** A line a Sentinel's notification script recorded (`<unix-seconds> <event-type> <description>`). */
export interface NotificationLine {
  seq?: number;
  sentinelId: string;
  at: number;
  line: string;
}

export type LabEvents = {
  phase: [LabPhase];
  /** The cluster became ready this long after start was asked for. */
  started: [{ readyMs: number }];
  /** Every process was stopped for a reset: what was observed of the old cluster no longer holds. */
  'cluster-reset': [];
  'node-state': [NodeStateChange];
  'node-exited': [NodeExit];
  'node-log': [LogLine];
  'redis-probed': [RedisObservation];
  'sentinel-probed': [SentinelObservation];
  'sentinel-event': [SentinelEvent];
  'fault-applied': [ActiveFault];
  'fault-healed': [ActiveFault];
  action: [ActionRecord];
  notice: [Notice];
  'history-op': [HistoryOp];
  'client-result': [ClientResultEvent];
  workload: [WorkloadEvent];
  notification: [NotificationLine];
  /** Time passes (once a second while the lab observes): what only time decides, e.g. a failover with no quorum. */
  tick: [{ at: number }];
  heartbeat: [HeartbeatEvent];
  'nat-changed': [NatChange];
  'client-target': [ClientTargetChange];
};

export class LabEmitter extends EventEmitter<LabEvents> {}
