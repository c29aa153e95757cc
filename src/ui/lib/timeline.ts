// Failover timeline as text rows: each phase with its time since the fault, compared with down-after.
// Private fallback for cluster/observe/failover-timeline.ts's formatter, which was not available to the UI.
import type { FailoverPhase, FailoverTimeline } from '../../cluster/observe/types.js';

const ORDER: Array<[FailoverPhase, string]> = [
  ['fault', 'fault'],
  ['sdown', 'sdown'],
  ['odown', 'odown'],
  ['try-failover', 'try'],
  ['elected', 'elected'],
  ['selected', 'selected'],
  ['promoted', 'promoted'],
  ['switch-master', 'switch'],
  ['reconf-done', 'reconf'],
  ['failover-end', 'end'],
  ['converted', 'converted'],
];

export function timelineHeadline(t: FailoverTimeline): string {
  const who = `${t.oldMasterId ?? '?'} → ${t.newMasterId ?? '?'}`;
  const state = t.aborted ? `✗ aborted (${t.aborted})` : t.done ? '✓ done' : '⟳ running';
  const epoch = t.epoch !== undefined ? ` · epoch ${t.epoch}` : '';
  const leader = t.leaderId ? ` · leader ${t.leaderId}` : '';
  return `Failover ${who} ${state}${epoch}${leader}`;
}

/** Phase tokens like `sdown +1.05s`; times are seconds after the timeline start. */
export function timelinePhases(t: FailoverTimeline): string[] {
  const out: string[] = [];
  for (const [phase, label] of ORDER) {
    const at = t.phases[phase];
    if (at === undefined) continue;
    out.push(`${label} +${((at - t.startedAt) / 1000).toFixed(2)}s`);
  }
  return out;
}

/** "sdown after 1.05 s vs down-after 1.00 s", the comparison the lessons teach. */
export function downAfterNote(t: FailoverTimeline): string {
  const sdown = t.phases.sdown;
  const base = `down-after ${(t.downAfterMs / 1000).toFixed(2)}s`;
  if (sdown === undefined) return base;
  return `${base}; sdown came after ${((sdown - t.startedAt) / 1000).toFixed(2)}s`;
}

/** Packs tokens into lines no wider than `width`, joined with ` › `. */
export function wrapTokens(tokens: readonly string[], width: number, indent = '  '): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const tok of tokens) {
    const sep = line === indent ? '' : ' › ';
    if (line !== indent && line.length + sep.length + tok.length > width) {
      lines.push(line);
      line = indent + tok;
    } else {
      line += sep + tok;
    }
  }
  if (line !== indent) lines.push(line);
  return lines;
}
