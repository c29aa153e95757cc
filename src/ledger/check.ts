// Jepsen's set checker over the lab's history: which `add`s were acknowledged, which survived the final read,
// and where (node) and when the lost ones were acknowledged. Pure; tolerant of odd histories (reported, not thrown).
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

type Outcome = 'ok' | 'fail' | 'info';

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

export function checkLedger(
  history: readonly HistoryOp[],
  final: FinalRead,
  options: CheckOptions = {},
): LedgerVerdict {
  const gapMs = options.windowGapMs ?? DEFAULT_WINDOW_GAP_MS;
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
    const key = `${op.process}#${op.opId ?? `seq${op.seq}`}`;
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

  let acknowledged = 0;
  let survived = 0;
  let failedAbsent = 0;
  let failedPresent = 0;
  let unknownPresent = 0;
  let unknownAbsent = 0;
  const lost: Array<{ value: string; at: number; node: string }> = [];
  for (const [value, rec] of elements) {
    const isPresent = present.has(value);
    if (rec.outcome === 'ok') {
      acknowledged++;
      if (isPresent) survived++;
      else lost.push({ value, at: rec.ackAt ?? 0, node: rec.ackNode ?? 'unknown' });
    } else if (rec.outcome === 'fail') {
      if (isPresent) failedPresent++;
      else failedAbsent++;
    } else if (isPresent) unknownPresent++;
    else unknownAbsent++;
  }
  let unexpected = 0;
  for (const m of present) if (!elements.has(m)) unexpected++;

  lost.sort((a, b) => a.at - b.at);
  const lostByNode: Record<string, number> = {};
  for (const l of lost) lostByNode[l.node] = (lostByNode[l.node] ?? 0) + 1;
  const firstLost = lost[0];
  const lastLost = lost[lost.length - 1];
  const lossRate = acknowledged === 0 ? 0 : lost.length / acknowledged;
  return {
    at: final.at,
    finalMaster: final.node,
    finalCount: present.size,
    acknowledged,
    survived,
    lost: lost.length,
    failedAbsent,
    failedPresent,
    unknownPresent,
    unknownAbsent,
    unexpected,
    lossRate,
    failed: failedAbsent + failedPresent,
    unknown: unknownPresent + unknownAbsent,
    lostFraction: lossRate,
    lossWindowMs: firstLost && lastLost ? lastLost.at - firstLost.at : 0,
    ...(firstLost && lastLost ? { firstLostAt: firstLost.at, lastLostAt: lastLost.at } : {}),
    lostByNode,
    lossWindows: lossWindows(lost, gapMs),
    lostSample: lost.slice(0, options.sampleSize ?? 10).map((l) => l.value),
    valid: lost.length === 0 && unexpected === 0,
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
