// Compact failover timeline for narrow panes: phase tokens packed into a few rows. Wide panes use
// cluster/observe/failover-timeline.ts's formatTimeline (one phase per row) instead.
// Every glyph here is one terminal column wide: fixed-width rows are measured by code points.
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

/** Marks the timeline block. Not ⚡: emoji are two columns wide and break the pane's border maths. */
export const TIMELINE_MARK = '↯';

function timelineState(t: FailoverTimeline): string {
  // A later epoch took over: its reason already starts "superseded by epoch N".
  if (t.outcome === 'superseded') return `✗ ${t.aborted ?? 'superseded'}`;
  // The Sentinels switched to its replica, but its leader never sent +failover-end: done, and not in the usual way.
  if (t.outcome === 'switched') return '✓ done (no +failover-end from the leader)';
  // Its leader neither promoted nor aborted in time (the reason, in full, is in the report and the JSON).
  if (t.outcome === 'abandoned') return `✗ abandoned (its leader ${t.leaderId ?? '?'} went silent)`;
  return t.aborted ? `✗ aborted (${t.aborted})` : t.done ? '✓ done' : '⟳ running';
}

export function timelineHeadline(t: FailoverTimeline): string {
  return `Failover ${t.oldMasterId ?? '?'} → ${t.newMasterId ?? '?'} ${timelineState(t)}`;
}

/** The headline in the widest form that fits `width` columns (the state stays visible as long as possible). */
export function fitHeadline(t: FailoverTimeline, width: number): string {
  const from = t.oldMasterId ?? '?';
  const to = t.newMasterId ?? '?';
  const state = timelineState(t);
  // The state's symbol (⟳ ✓ ✗) alone still says running / done / aborted.
  const mark = state.split(' ')[0] ?? '';
  const forms = [
    `${TIMELINE_MARK} Failover ${from} → ${to} ${state}`,
    `Failover ${from} → ${to} ${state}`,
    `Failover ${from}→${to} ${state}`,
    `Failover ${from}→${to} ${mark}`,
    `${from}→${to} ${mark}`,
  ];
  return forms.find((f) => [...f].length <= width) ?? forms[forms.length - 1] ?? '';
}

/** Epoch, leader, cause: the second line of the timeline block. */
export function timelineDetail(t: FailoverTimeline): string {
  const parts: string[] = [];
  if (t.epoch !== undefined) parts.push(`epoch ${t.epoch}`);
  if (t.leaderId) parts.push(`leader ${t.leaderId}`);
  if (t.cause) parts.push(`cause: ${t.cause}`);
  return parts.join(' · ');
}

export interface PhaseToken {
  phase: FailoverPhase;
  text: string;
}

/** Phase tokens like `sdown +1.05s` with their phase; times are seconds after the timeline start. */
export function timelinePhaseTokens(t: FailoverTimeline): PhaseToken[] {
  const out: PhaseToken[] = [];
  for (const phase of PHASE_ORDER) {
    const at = t.phases[phase];
    if (at === undefined) continue;
    out.push({ phase, text: `${SHORT[phase]} +${((at - t.startedAt) / 1000).toFixed(2)}s` });
  }
  return out;
}

/** Phase tokens like `sdown +1.05s`; times are seconds after the timeline start. */
export function timelinePhases(t: FailoverTimeline): string[] {
  return timelinePhaseTokens(t).map((p) => p.text);
}

// When the phases do not fit, these go first: the steps between "the quorum agreed" and "the switch happened".
// sdown, odown, switch and end (what the lessons compare with down-after and failover-timeout) always stay.
const DROP_ORDER: readonly FailoverPhase[] = [
  'try-failover',
  'selected',
  'reconf-done',
  'elected',
  'fault',
  'promoted',
  'converted',
];

/** The phase rows for `maxLines` rows of `width` columns: drops the least telling phases before cutting any off. */
export function fitPhases(t: FailoverTimeline, width: number, maxLines: number): string[] {
  let tokens = timelinePhaseTokens(t);
  for (const drop of [undefined, ...DROP_ORDER]) {
    if (drop) tokens = tokens.filter((p) => p.phase !== drop);
    const lines = wrapTokens(
      tokens.map((p) => p.text),
      width,
    );
    if (lines.length <= maxLines) return lines;
  }
  // Still too long: keep the start (sdown, odown: what down-after explains); the headline says how it ended.
  return wrapTokens(
    tokens.map((p) => p.text),
    width,
  ).slice(0, maxLines);
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
