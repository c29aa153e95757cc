// The soak's pure checks: ledger counts consistent and monotonic, resources not growing round over round.
import type { LedgerCounts } from '../ledger/types.js';

/** Problems with the live ledger counts: ok+failed+unknown must not exceed invoked, and no count may go down. */
export function ledgerProblems(prev: LedgerCounts | undefined, cur: LedgerCounts): string[] {
  const out: string[] = [];
  const done = cur.ok + cur.failed + cur.unknown;
  if (done > cur.invoked) out.push(`ok+failed+unknown = ${done} exceeds invoked = ${cur.invoked}`);
  for (const k of ['invoked', 'ok', 'failed', 'unknown'] as const) {
    if (cur[k] < 0 || !Number.isInteger(cur[k])) out.push(`${k} = ${cur[k]} is not a count`);
    if (prev && cur[k] < prev[k]) out.push(`${k} went down from ${prev[k]} to ${cur[k]}`);
  }
  return out;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

export interface GrowthVerdict {
  ok: boolean;
  /** Median of the first and the last quartile (or the first and last sample, with fewer than 4). */
  first: number;
  last: number;
  /** The most `last` may be. */
  limit: number;
  detail: string;
}

/**
 * Does a per-round resource sample grow? Compares the median of the last quartile with the median of the first,
 * allowing `relative` growth plus `absolute` slack (plus `allowance`, for growth that is by design).
 */
export function growth(
  samples: readonly number[],
  tolerance: { relative: number; absolute: number; allowance?: number },
  unit = '',
): GrowthVerdict {
  if (samples.length === 0) return { ok: true, first: 0, last: 0, limit: 0, detail: 'no samples' };
  const q = Math.max(1, Math.floor(samples.length / 4));
  const first = samples.length >= 4 ? median(samples.slice(0, q)) : (samples[0] ?? 0);
  const last = samples.length >= 4 ? median(samples.slice(-q)) : (samples[samples.length - 1] ?? 0);
  const limit = first * (1 + tolerance.relative) + tolerance.absolute + (tolerance.allowance ?? 0);
  const ok = last <= limit;
  const fmt = (v: number) => `${Math.round(v)}${unit}`;
  return {
    ok,
    first,
    last,
    limit,
    detail: `${fmt(first)} -> ${fmt(last)} (limit ${fmt(limit)}${samples.length >= 4 ? `, quartiles of ${samples.length}` : ''})`,
  };
}

/** Distinct failovers in a stream of +switch-master payloads (`<name> <old-ip> <old-port> <new-ip> <new-port>`). */
export function switchMasterGroups(
  events: ReadonlyArray<{ at: number; payload: string }>,
  windowMs = 15_000,
): Array<{ from: string; to: string; at: number; reports: number }> {
  const groups: Array<{ from: string; to: string; at: number; reports: number }> = [];
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    const p = e.payload.trim().split(/\s+/);
    const from = `${p[1]}:${p[2]}`;
    const to = `${p[3]}:${p[4]}`;
    const g = groups.find((x) => x.from === from && x.to === to && e.at - x.at <= windowMs);
    if (g) g.reports++;
    else groups.push({ from, to, at: e.at, reports: 1 });
  }
  return groups;
}
