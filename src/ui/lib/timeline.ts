// Compact failover timeline for narrow panes: phase tokens packed into a few rows. Wide panes use
// cluster/observe/failover-timeline.ts's formatTimeline (one phase per row) instead.
import { PHASE_ORDER } from '../../cluster/observe/failover-timeline.js';
import type { FailoverPhase, FailoverTimeline } from '../../cluster/observe/types.js';

const SHORT: Record<FailoverPhase, string> = {
  fault: 'fault',
  sdown: 'sdown',
  odown: 'odown',
  'try-failover': 'try',
  elected: 'elected',
  selected: 'selected',
  promoted: 'promoted',
  'switch-master': 'switch',
  'reconf-done': 'reconf',
  'failover-end': 'end',
  converted: 'converted',
};

export function timelineHeadline(t: FailoverTimeline): string {
  const state = t.aborted ? `✗ aborted (${t.aborted})` : t.done ? '✓ done' : '⟳ running';
  return `Failover ${t.oldMasterId ?? '?'} → ${t.newMasterId ?? '?'} ${state}`;
}

/** Epoch, leader, cause: the second line of the timeline block. */
export function timelineDetail(t: FailoverTimeline): string {
  const parts: string[] = [];
  if (t.epoch !== undefined) parts.push(`epoch ${t.epoch}`);
  if (t.leaderId) parts.push(`leader ${t.leaderId}`);
  if (t.cause) parts.push(`cause: ${t.cause}`);
  return parts.join(' · ');
}

/** Phase tokens like `sdown +1.05s`; times are seconds after the timeline start. */
export function timelinePhases(t: FailoverTimeline): string[] {
  const out: string[] = [];
  for (const phase of PHASE_ORDER) {
    const at = t.phases[phase];
    if (at === undefined) continue;
    out.push(`${SHORT[phase]} +${((at - t.startedAt) / 1000).toFixed(2)}s`);
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
