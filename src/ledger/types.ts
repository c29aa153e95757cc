// Types of the acknowledged-write ledger (Jepsen's set checker, applied to the lab's history).

/** A client operation or a fault, in one Jepsen-style history. */
export interface HistoryOp {
  seq: number;
  at: number;
  /** `client-A`, `client-B`, `workload`, `nemesis`. */
  process: string;
  type: 'invoke' | 'ok' | 'fail' | 'info';
  f: 'add' | 'write' | 'read' | 'final-read' | 'fault' | 'heal';
  /** The element/key/value written or read. */
  value?: string;
  /** Node that answered (or was addressed). */
  node?: string;
  /** Error text for fail/info, e.g. `NOREPLICAS Not enough good replicas to write.` */
  error?: string;
  /** Links an invoke to its completion. */
  opId?: number;
}

/** Live counts while a workload runs. */
export interface LedgerCounts {
  invoked: number;
  ok: number;
  failed: number;
  unknown: number;
  /** Failure reasons by their first word (NOREPLICAS, READONLY, ECONNREFUSED, …). */
  errors: Record<string, number>;
}

/** Where and when acknowledged writes were lost. */
export interface LossWindow {
  node: string;
  firstAt: number;
  lastAt: number;
  count: number;
}

/** The final verdict after heal, convergence and a final read on the current master. */
export interface LedgerVerdict {
  at: number;
  finalMaster: string;
  finalCount: number;
  acknowledged: number;
  /** Acknowledged and present. */
  survived: number;
  /** Acknowledged and absent: the headline number. */
  lost: number;
  /** Never acknowledged (failed) and absent, as expected. */
  failedAbsent: number;
  /** Failed yet present: a write Redis said failed but kept (should not happen; reported, not hidden). */
  failedPresent: number;
  unknownPresent: number;
  unknownAbsent: number;
  /** Present but never written: a bug in the lab or a foreign writer. */
  unexpected: number;
  /** lost / acknowledged, 0 when nothing was acknowledged. */
  lossRate: number;
  /** Writes Redis refused (failedAbsent + failedPresent). */
  failed: number;
  /** Writes whose outcome is unknown (timeouts, in flight at the end): unknownPresent + unknownAbsent. */
  unknown: number;
  /** The same as lossRate, under the name the JSON reports use. */
  lostFraction: number;
  /** From the first to the last acknowledgement of a write that was then lost (ms); 0 when nothing was lost. */
  lossWindowMs: number;
  /** When the first / last lost write was acknowledged (ms since the epoch); absent when nothing was lost. */
  firstLostAt?: number;
  lastLostAt?: number;
  /** Lost writes by the node that acknowledged them. */
  lostByNode: Record<string, number>;
  lossWindows: LossWindow[];
  /** A few lost elements, for the report. */
  lostSample: string[];
  valid: boolean;
  /** Oddities in the history itself (reported, never fatal). Optional so older producers stay valid. */
  anomalies?: LedgerAnomalies;
}

/** History problems the checker tolerated; any non-zero field deserves a look but does not by itself mean loss. */
export interface LedgerAnomalies {
  /** Completions whose opId had no earlier invoke (their value, if any, was still classified). */
  completionsWithoutInvoke: number;
  /** Further completions for an opId that already had one (the first one counts). */
  duplicateCompletions: number;
  /** Elements invoked more than once; acknowledged if any attempt was. */
  duplicateElements: number;
  /** Invokes that never completed (in flight at the end): classified as unknown. */
  pendingInvokes: number;
  /** Members left out of the check because they belong to another run (see Workload.finalCheck). */
  foreignMembers: number;
}
