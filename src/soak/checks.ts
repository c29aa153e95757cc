// The soak's pure checks: ledger counts consistent and monotonic, resources not growing once warmed up.
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

/** One per-round reading of a resource (RSS bytes, active handles), at `atMs` since the soak began. */
export interface Sample {
  atMs: number;
  value: number;
}

export interface TrendBounds {
  /** Samples before this are warm-up (JIT, heap sizing, connection pools filling) and not judged. */
  warmupMs: number;
  /** The most the resource may grow over the judged window, by the fitted line and by the quartile medians. */
  maxGrowth: number;
  /** Fewer judged samples than this: too few to tell a trend from noise; reported as not judged. */
  minSamples?: number;
}

export interface TrendVerdict {
  ok: boolean;
  /** False when there were too few samples after the warm-up to judge (ok is then true, and the detail says so). */
  judged: boolean;
  /** Samples after the warm-up, and the window they span. */
  samples: number;
  fromMs: number;
  toMs: number;
  /** Least-squares slope over the judged samples, per minute. */
  slopePerMin: number;
  /** The fitted line's rise across the window: slope × window. */
  fittedGrowth: number;
  /** Median of the first and the last quartile of the judged samples, and the difference. */
  firstQuartile: number;
  lastQuartile: number;
  quartileGrowth: number;
  /** The value at the end of the warm-up (the first judged sample) and the last sample. */
  atWarmup: number;
  last: number;
  maxGrowth: number;
  detail: string;
}

/** Least-squares slope of value over time (per ms); 0 for fewer than two distinct times. */
export function slope(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  let st = 0;
  let sv = 0;
  for (const s of samples) {
    st += s.atMs;
    sv += s.value;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.atMs - mt) * (s.value - mv);
    den += (s.atMs - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Does a per-round resource grow once warmed up? Judges the samples after `warmupMs` two ways, both of which must
 * stay within `maxGrowth`: the least-squares line's rise across the window (steady growth, whatever the noise),
 * and last-quartile median minus first-quartile median (a step that a line through noise might flatten). A steady
 * leak shows in both; a flat series with GC sawtooth or connection churn shows in neither.
 */
export function trend(samples: readonly Sample[], bounds: TrendBounds, format: (v: number) => string): TrendVerdict {
  const judged = samples.filter((s) => s.atMs >= bounds.warmupMs);
  const minSamples = bounds.minSamples ?? 4;
  const first = judged[0];
  const lastSample = judged[judged.length - 1];
  const base = {
    samples: judged.length,
    fromMs: first?.atMs ?? 0,
    toMs: lastSample?.atMs ?? 0,
    atWarmup: first?.value ?? 0,
    last: lastSample?.value ?? samples[samples.length - 1]?.value ?? 0,
    maxGrowth: bounds.maxGrowth,
  };
  if (judged.length < minSamples || !first || !lastSample) {
    return {
      ...base,
      ok: true,
      judged: false,
      slopePerMin: 0,
      fittedGrowth: 0,
      firstQuartile: base.atWarmup,
      lastQuartile: base.last,
      quartileGrowth: 0,
      detail: `not judged: ${judged.length} samples after the ${Math.round(bounds.warmupMs / 1000)} s warm-up (needs ${minSamples})`,
    };
  }
  const perMs = slope(judged);
  const fittedGrowth = perMs * (lastSample.atMs - first.atMs);
  const q = Math.max(1, Math.floor(judged.length / 4));
  const firstQuartile = median(judged.slice(0, q).map((s) => s.value));
  const lastQuartile = median(judged.slice(-q).map((s) => s.value));
  const quartileGrowth = lastQuartile - firstQuartile;
  const ok = fittedGrowth <= bounds.maxGrowth && quartileGrowth <= bounds.maxGrowth;
  const mins = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
  return {
    ...base,
    ok,
    judged: true,
    slopePerMin: perMs * 60_000,
    fittedGrowth,
    firstQuartile,
    lastQuartile,
    quartileGrowth,
    detail:
      `${format(first.value)} at ${mins(first.atMs)} -> ${format(lastSample.value)} at ${mins(lastSample.atMs)}; ` +
      `slope ${format(perMs * 60_000)}/min, fitted growth ${format(fittedGrowth)}, quartile medians ` +
      `${format(firstQuartile)} -> ${format(lastQuartile)} (limit +${format(bounds.maxGrowth)} each, ` +
      `${judged.length} rounds after the ${mins(bounds.warmupMs)} warm-up)`,
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
