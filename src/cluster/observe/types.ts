// Typed records of what the probes observe. Parsers produce them; the store and lesson checks read them.

/** A replica as the master's `INFO replication` lists it (`slaveN:ip=…,port=…,state=…,offset=…,lag=…`). */
export interface MasterReplicaEntry {
  ip: string;
  port: number;
  /** `wait_bgsave` | `send_bulk` | `online` | '' */
  state: string;
  /** Last acknowledged offset (REPLCONF ACK). */
  ackOffset: number;
  /** Seconds since the last ACK. */
  ackAgeSec: number;
  /** Resolved lab node id, when the address is one of ours. */
  nodeId?: string;
}

/** Parsed `INFO replication` (+ `INFO server` run id) of one Redis node. */
export interface ReplicationInfo {
  role: 'master' | 'replica';
  masterReplOffset: number;
  connectedReplicas: number;
  /** `min_slaves_good_slaves`, present only when the min-replicas guard is enabled. */
  goodReplicas?: number;
  replicas: MasterReplicaEntry[];
  /** Replica side. */
  masterHost?: string;
  masterPort?: number;
  masterLinkStatus?: 'up' | 'down';
  masterLastIoSecAgo?: number;
  masterSyncInProgress?: boolean;
  /** `slave_repl_offset` (bytes processed). */
  replicaOffset?: number;
  /** `master_link_down_since_seconds` (only when the link is down; -1 = never connected). */
  masterLinkDownSinceSec?: number;
  replId?: string;
}

/** Parsed `ROLE`. */
export type RoleReply =
  | { role: 'master'; offset: number; replicas: Array<{ ip: string; port: number; offset: number }> }
  | { role: 'replica'; masterHost: string; masterPort: number; state: string; offset: number }
  | { role: 'sentinel'; masters: string[] };

/** What one probe round saw on one Redis node. */
export interface RedisObservation {
  id: string;
  at: number;
  reachable: boolean;
  /** Last probe error when unreachable ("connect ECONNREFUSED", "Command timed out"). */
  error?: string;
  runId?: string;
  replication?: ReplicationInfo;
  /** The node id this node replicates from (resolved from master_host/port). */
  masterId?: string;
  /** `min-replicas-to-write` and `min-replicas-max-lag` as configured right now (CONFIG GET). */
  minReplicasToWrite?: number;
  minReplicasMaxLagSec?: number;
  /** Whether `masterauth` is set (CONFIG GET masterauth non-empty). */
  hasMasterauth?: boolean;
  /** `appendonly` (CONFIG GET): whether a restart reloads the data. */
  persistence?: boolean;
  /** `replica-priority` (CONFIG GET): 0 means never promoted. */
  replicaPriority?: number;
  /** `replica-announce-port` (CONFIG GET); 0 = the port it listens on. */
  announcePort?: number;
  /** Number of keys in db0, for the client pane. */
  keys?: number;
}

/** An instance as a Sentinel describes it (SENTINEL MASTER / REPLICAS / SENTINELS). */
export interface SentinelInstanceInfo {
  name: string;
  ip: string;
  port: number;
  runId?: string;
  /** `s_down`, `o_down`, `master`, `slave`, `sentinel`, `disconnected`, `master_down`, `failover_in_progress`, … */
  flags: string[];
  nodeId?: string;
  /** Raw field/value pairs, for the detail pane. */
  fields: Record<string, string>;
}

export interface SentinelMasterInfo extends SentinelInstanceInfo {
  configEpoch: number;
  quorum: number;
  numReplicas: number;
  numOtherSentinels: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  parallelSyncs: number;
  failoverState?: string;
}

/** Parsed `INFO sentinel`. */
export interface SentinelInfo {
  tilt: boolean;
  tiltSinceSec?: number;
  runningScripts: number;
  /** `master0:status=ok|sdown|odown`. */
  masterStatus?: string;
  /** `sentinels=` of master0 (includes self). */
  sentinelsSeen?: number;
}

/** What one probe round saw on one Sentinel: that Sentinel's own (possibly stale) opinion. */
export interface SentinelObservation {
  id: string;
  at: number;
  reachable: boolean;
  error?: string;
  runId?: string;
  /** GET-MASTER-ADDR-BY-NAME. */
  masterAddr?: { ip: string; port: number };
  /** Node id of masterAddr. */
  masterId?: string;
  master?: SentinelMasterInfo;
  replicas: SentinelInstanceInfo[];
  sentinels: SentinelInstanceInfo[];
  info?: SentinelInfo;
  /** `current-epoch` isn't in SENTINEL MASTER; taken from the largest epoch seen in events/config. */
  currentEpoch?: number;
  /** SENTINEL MYID: the id this Sentinel uses in hellos and votes (differs from INFO's run_id). */
  myId?: string;
  /** The Sentinels have a password but this one answered AUTH saying it has none (restarted without it). */
  passwordless?: boolean;
}

/** Lag of one replica, computed from a master's and the replica's observations (facts §5.3). */
export interface ReplicaLag {
  replicaId: string;
  masterId: string;
  /** master_repl_offset − acknowledged offset (or − the replica's own offset when the master dropped it). */
  lagBytes: number;
  /** Seconds since the last ACK as the master reports it; undefined when the master does not list it. */
  ackAgeSec?: number;
  linkUp: boolean;
  /** Counts towards min-replicas-to-write (online and ackAge <= max-lag). */
  isGood: boolean;
  /** Seconds the link has been down, when known. */
  linkDownSec?: number;
  syncing: boolean;
}

/** The same Sentinel event reported by several Sentinels within a short window, shown once. */
export interface EventGroup {
  /** Stable key: channel + subject + first seq. */
  key: string;
  channel: string;
  /** The payload with the reporting Sentinel's perspective removed (same for all members). */
  payload: string;
  gloss: string;
  severity: 'info' | 'notice' | 'warning' | 'critical';
  firstAt: number;
  lastAt: number;
  /** Sentinel ids that reported it, in arrival order. */
  sentinelIds: string[];
  /** seq numbers of the member events. */
  seqs: number[];
  subjectId?: string;
  known: boolean;
}

export type FailoverPhase =
  | 'fault'
  | 'sdown'
  | 'odown'
  | 'try-failover'
  | 'elected'
  | 'selected'
  | 'promoted'
  | 'switch-master'
  | 'reconf-done'
  | 'failover-end'
  | 'converted';

/** How a failover timeline ended. */
export type FailoverOutcome =
  | 'completed'
  | 'no-quorum'
  | 'no-majority'
  | 'aborted'
  | 'master-returned'
  | 'role-switched'
  /** A later epoch's failover of the same master took over before this one switched the master. */
  | 'superseded'
  /** The Sentinels switched to its promoted replica, but its leader never sent `+failover-end` (gone, or stuck). */
  | 'switched'
  /** Its leader went silent before a promotion: neither `+promoted-slave` nor an abort within failover-timeout. */
  | 'abandoned';

/** An earlier attempt of the same failover that ended without a promotion (before the election was retried). */
export interface FailoverAttempt {
  at: number;
  outcome: FailoverOutcome;
  reason: string;
  /** The raw abort channel, e.g. `-failover-abort-not-elected`. */
  channel?: string;
  epoch?: number;
}

/** One failover, from the fault that caused it to the old master converted to a replica. */
export interface FailoverTimeline {
  id: string;
  /** Node id of the master that failed over. */
  oldMasterId?: string;
  newMasterId?: string;
  /** Start instant: the injected fault if known, else the first +sdown. */
  startedAt: number;
  /** Phase -> first time it was reached (ms since epoch). */
  phases: Partial<Record<FailoverPhase, number>>;
  /** Sentinel id -> time it emitted +switch-master. */
  switchedBy: Record<string, number>;
  /** Replica node ids reconfigured (+slave-reconf-done). */
  reconfigured: string[];
  leaderId?: string;
  epoch?: number;
  /** Description of the injected fault that started it, if any. */
  cause?: string;
  aborted?: string;
  done: boolean;
  downAfterMs: number;
  failoverTimeoutMs: number;
  /** `ip:port` of the failed master as Sentinel names it (matches events when ids are unknown). */
  oldMasterAddr?: string;
  /** Sentinels currently reporting the master SDOWN. */
  sdownBy?: string[];
  /** Settings in force when it began (re-read from the Sentinels), next to downAfterMs and failoverTimeoutMs. */
  quorum?: number;
  parallelSyncs?: number;
  /** How it ended; undefined while it is open. */
  outcome?: FailoverOutcome;
  /** The raw abort channel when Sentinel aborted it. */
  abortChannel?: string;
  /** When it closed (ms since the epoch). */
  closedAt?: number;
  /** Earlier attempts that ended without a promotion, before a retried election joined this timeline. */
  attempts?: FailoverAttempt[];
  /** The master answered again after the timeline closed: a later outage is a new timeline. */
  recovered?: boolean;
  /** The role the old master reported last (`±role-change`), when Sentinel said. */
  reportedRole?: 'master' | 'slave';
  /** The master name Sentinel monitors it under (`mymaster`), when an event said. */
  masterName?: string;
  /** Sentinel id -> the last epoch it announced (`+new-epoch`, `+vote-for-leader`): what dates its next attempt. */
  epochBy?: Record<string, number>;
  /** Sentinel id -> the epoch of its own attempt (`+new-epoch` right before its `+try-failover`, or a vote for it). */
  tryEpochBy?: Record<string, number>;
  /** How a `switched` timeline ended (outcome `switched`): it succeeded, so it is no `aborted` reason. */
  note?: string;
}
