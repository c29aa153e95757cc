// Jepsen's set checker over the lab's history: which `add`s were acknowledged, which survived the final read,
// and where (node) and when the lost ones were acknowledged. Pure; tolerant of odd histories (reported, not thrown).
// Two folds end in the same `verdictFrom`: `checkLedger` over a list of ops (tests, any history read back), and the
// workload's `LedgerRecorder` (recorder.ts), which folds op by op into a compact table so a long run keeps no list.
import type { HistoryOp, LedgerAnomalies, LedgerVerdict, LossWindow } from './types.js';

export interface FinalRead {
  /** Node the final read ran on (normally the master after heal). */
  node: string;
  members: readonly string[];
  at: number;
}

export interface CheckOptions {
  /** A new loss window starts when two consecutive lost acks on one node are further apart than this. */
  windowGapMs?: number;
  /** How many lost elements to keep as a sample. */
  sampleSize?: number;
  /** Members already excluded by the caller as belonging to another run (only reported). */
  foreignMembers?: number;
}

export const DEFAULT_WINDOW_GAP_MS = 2000;

export type Outcome = 'ok' | 'fail' | 'info';

/** What the history says about one element, over all attempts to add it. */
interface ElementRecord {
  invokes: number;
  /** Strongest outcome seen: ok > info > fail; undefined until an attempt completes. */
  outcome?: Outcome;
  /** Set when acknowledged: the first ack's time and node. */
  ackAt?: number;
  ackNode?: string;
}

interface Attempt {
  value?: string;
  node?: string;
  completed: boolean;
}

const STRENGTH: Record<Outcome, number> = { fail: 0, info: 1, ok: 2 };

/**
 * One element as the verdict sees it, whichever way the history was folded (this file's `checkLedger` over a list
 * of ops, or the workload's compact `LedgerRecorder`): both end in `verdictFrom`, so every verdict field is
 * computed in one place.
 */
export interface ElementFacts {
  value: string;
  /** Strongest outcome over every attempt (a pending attempt counts as `info`); undefined: none completed. */
  outcome?: Outcome;
  /** The first acknowledgement's time and node (set when `outcome` is `ok`). */
  ackAt?: number;
  ackNode?: string;
  /** In the final read. */
  present: boolean;
  /** Order of the element's first appearance in the history: lost acks at the same instant keep this order. */
  rank: number;
}

/** The final read, as far as it concerns members that are not elements of the history. */
export interface FinalReadFacts extends FinalRead {
  /** Distinct members read. */
  finalCount: number;
  /** Distinct members that no `add` in the history names. */
  unexpected: number;
}

export function checkLedger(
  history: readonly HistoryOp[],
  final: FinalRead,
  options: CheckOptions = {},
): LedgerVerdict {
  const anomalies: LedgerAnomalies = {
    completionsWithoutInvoke: 0,
    duplicateCompletions: 0,
    duplicateElements: 0,
    pendingInvokes: 0,
    foreignMembers: options.foreignMembers ?? 0,
  };
  const attempts = new Map<string, Attempt>();
  const elements = new Map<string, ElementRecord>();
  const record = (value: string): ElementRecord => {
    let rec = elements.get(value);
    if (!rec) {
      rec = { invokes: 0 };
      elements.set(value, rec);
    }
    return rec;
  };
  const settle = (value: string, outcome: Outcome, at: number, node: string | undefined): void => {
    const rec = record(value);
    if (rec.outcome === undefined || STRENGTH[outcome] > STRENGTH[rec.outcome]) rec.outcome = outcome;
    if (outcome === 'ok' && rec.ackAt === undefined) {
      rec.ackAt = at;
      rec.ackNode = node;
    }
  };

  for (const op of history) {
    if (op.f !== 'add') continue;
    // opIds are unique per client process; two actors may count independently.
    const key = attemptKey(op);
    if (op.type === 'invoke') {
      if (op.value !== undefined && ++record(op.value).invokes === 2) anomalies.duplicateElements++;
      attempts.set(key, { value: op.value, node: op.node, completed: false });
      continue;
    }
    const attempt = attempts.get(key);
    if (attempt?.completed) {
      anomalies.duplicateCompletions++;
      continue;
    }
    if (!attempt) anomalies.completionsWithoutInvoke++;
    const value = attempt?.value ?? op.value;
    if (attempt) attempt.completed = true;
    else attempts.set(key, { value, node: op.node, completed: true });
    if (value !== undefined) settle(value, op.type, op.at, op.node ?? attempt?.node);
  }

  // Invokes still open at the end may or may not have been applied: unknown, like Jepsen's :info.
  for (const a of attempts.values()) {
    if (a.completed || a.value === undefined) continue;
    anomalies.pendingInvokes++;
    settle(a.value, 'info', final.at, a.node);
  }
  const present = new Set(final.members);
  let unexpected = 0;
  for (const m of present) if (!elements.has(m)) unexpected++;

  function* facts(): Generator<ElementFacts> {
    let rank = 0;
    for (const [value, rec] of elements) {
      yield {
        value,
        outcome: rec.outcome,
        ackAt: rec.ackAt,
        ackNode: rec.ackNode,
        present: present.has(value),
        rank: rank++,
      };
    }
  }
  return verdictFrom(facts(), { ...final, finalCount: present.size, unexpected }, anomalies, options);
}

/**
 * The key that links an invoke to its completion: opIds are unique per client process (two actors may count
 * independently); an op without one is linked by its seq.
 */
export function attemptKey(op: Pick<HistoryOp, 'process' | 'opId' | 'seq'>): string {
  return `${op.process}#${op.opId ?? `seq${op.seq}`}`;
}

/** The verdict from every element's facts and the final read: the one place each verdict field is computed. */
export function verdictFrom(
  elements: Iterable<ElementFacts>,
  final: FinalReadFacts,
  anomalies: LedgerAnomalies,
  options: CheckOptions = {},
): LedgerVerdict {
  const gapMs = options.windowGapMs ?? DEFAULT_WINDOW_GAP_MS;
  let acknowledged = 0;
  let survived = 0;
  let failedAbsent = 0;
  let failedPresent = 0;
  let unknownPresent = 0;
  let unknownAbsent = 0;
  const lost: Array<{ value: string; at: number; node: string; rank: number }> = [];
  for (const e of elements) {
    if (e.outcome === 'ok') {
      acknowledged++;
      if (e.present) survived++;
      else lost.push({ value: e.value, at: e.ackAt ?? 0, node: e.ackNode ?? 'unknown', rank: e.rank });
    } else if (e.outcome === 'fail') {
      if (e.present) failedPresent++;
      else failedAbsent++;
    } else if (e.present) unknownPresent++;
    else unknownAbsent++;
  }

  lost.sort((a, b) => a.at - b.at || a.rank - b.rank);
  const lostByNode: Record<string, number> = {};
  for (const l of lost) lostByNode[l.node] = (lostByNode[l.node] ?? 0) + 1;
  const firstLost = lost[0];
  const lastLost = lost[lost.length - 1];
  const lossRate = acknowledged === 0 ? 0 : lost.length / acknowledged;
  return {
    at: final.at,
    finalMaster: final.node,
    finalCount: final.finalCount,
    acknowledged,
    survived,
    lost: lost.length,
    failedAbsent,
    failedPresent,
    unknownPresent,
    unknownAbsent,
    unexpected: final.unexpected,
    lossRate,
    failed: failedAbsent + failedPresent,
    unknown: unknownPresent + unknownAbsent,
    lostFraction: lossRate,
    lossWindowMs: firstLost && lastLost ? lastLost.at - firstLost.at : 0,
    ...(firstLost && lastLost ? { firstLostAt: firstLost.at, lastLostAt: lastLost.at } : {}),
    lostByNode,
    lossWindows: lossWindows(lost, gapMs),
    lostSample: lost.slice(0, options.sampleSize ?? 10).map((l) => l.value),
    valid: lost.length === 0 && final.unexpected === 0,
    anomalies,
  };
}

/** Groups lost acks (sorted by time) into per-node runs split by gaps longer than `gapMs`; ordered by start. */
export function lossWindows(lost: ReadonlyArray<{ at: number; node: string }>, gapMs: number): LossWindow[] {
  const open = new Map<string, LossWindow>();
  const done: LossWindow[] = [];
  for (const l of lost) {
    const w = open.get(l.node);
    if (w && l.at - w.lastAt <= gapMs) {
      w.lastAt = l.at;
      w.count++;
      continue;
    }
    if (w) done.push(w);
    open.set(l.node, { node: l.node, firstAt: l.at, lastAt: l.at, count: 1 });
  }
  done.push(...open.values());
  return done.sort((a, b) => a.firstAt - b.firstAt || a.node.localeCompare(b.node));
}

/** The verdict's numbers as the JSON reports carry them (times as ISO 8601 strings; see docs/json.md). */
export interface VerdictFacts {
  acknowledged: number;
  survived: number;
  lost: number;
  failed: number;
  unknown: number;
  unexpected: number;
  lostFraction: number;
  lossWindowMs: number;
  firstLostAt: string | null;
  lastLostAt: string | null;
  lostByNode: Record<string, number>;
  lossWindows: Array<{ node: string; firstAt: string; lastAt: string; count: number }>;
  finalMaster: string;
  finalCount: number;
  valid: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function verdictFacts(v: LedgerVerdict): VerdictFacts {
  return {
    acknowledged: v.acknowledged,
    survived: v.survived,
    lost: v.lost,
    failed: v.failed,
    unknown: v.unknown,
    unexpected: v.unexpected,
    lostFraction: v.lostFraction,
    lossWindowMs: v.lossWindowMs,
    firstLostAt: v.firstLostAt === undefined ? null : iso(v.firstLostAt),
    lastLostAt: v.lastLostAt === undefined ? null : iso(v.lastLostAt),
    lostByNode: { ...v.lostByNode },
    lossWindows: v.lossWindows.map((w) => ({
      node: w.node,
      firstAt: iso(w.firstAt),
      lastAt: iso(w.lastAt),
      count: w.count,
    })),
    finalMaster: v.finalMaster,
    finalCount: v.finalCount,
    valid: v.valid,
  };
}
