// Footer hints derived from the registry: enabled actions of the current scope chain that have a footer word,
// fitted to the width by a fixed priority (see fitHints). Actions the deployment cannot do are listed dimmed and in
// parentheses (so the meaning survives NO_COLOR), followed by the reason.

import type { WhenContext } from './context.js';
import { chainActions, isEnabled, unavailableReason } from './dispatch.js';
import { formatKey } from './keys.js';

export interface FooterHint {
  keys: string;
  label: string;
  /** The registry id of the action it advertises (decides its rank when the line is short); none for the note. */
  id?: string;
  /** Shown dimmed, in parentheses: the deployment lacks what the action needs (or this is the note saying why). */
  dimmed?: boolean;
  /** The note naming why the dimmed keys are unavailable (no key of its own). */
  note?: boolean;
}

export function footerHints(ctx: WhenContext): FooterHint[] {
  const seen = new Set<string>();
  const out: FooterHint[] = [];
  const reasons: string[] = [];
  for (const { id, spec } of chainActions(ctx)) {
    if (!spec.footer || seen.has(spec.footer)) continue;
    const why = unavailableReason(spec, ctx);
    if (!why && !isEnabled(spec, ctx)) continue;
    seen.add(spec.footer);
    out.push({
      keys: spec.footerKeys?.(ctx) ?? spec.keys.slice(0, 2).map(formatKey).join('/'),
      label: spec.footerLabel?.(ctx) ?? spec.footer,
      id,
      ...(why ? { dimmed: true } : {}),
    });
    if (why && !reasons.includes(why.reason)) reasons.push(why.reason);
  }
  if (reasons.length) out.push({ keys: '', label: `unavailable: ${reasons.join('; ')}`, dimmed: true, note: true });
  return out;
}

const SEP = ' · ';
// The ways out of (or through) the current screen are never dropped.
const KEEP = new Set(['help', 'quit', 'cancel', 'apply', 'ok', 'yes', 'no', 'close', 'heal']);
// Then, most important first, the keys of an open lesson: its text tells the learner to press them, so they outrank
// the node and cluster keys (which the registry lists before them) when the line is short. L comes early: at 80
// columns the lesson fills the screen and L is the way to the cluster.
export const FOOTER_PRIORITY: readonly string[] = [
  'lesson.predict',
  'lesson.next',
  'lessonView.toggle',
  'lesson.hint',
  'lesson.solution',
  'lesson.play',
  'lesson.previous',
  'lessonText.pageDown',
  'lessonText.pageUp',
];
// A shortened note narrower than this says too little to be worth its place; the unranked hints make room for this
// much of it (never the lesson keys or help and quit).
const MIN_NOTE = 24;
const NOTE_ROOM = 40;

export function hintWidth(h: FooterHint): number {
  return (h.keys ? h.keys.length + 1 : 0) + h.label.length + (h.dimmed && !h.note ? 2 : 0);
}

const lineWidth = (hints: readonly FooterHint[]) =>
  hints.reduce((n, h, i) => n + hintWidth(h) + (i ? SEP.length : 0), 0);

/** -1: never dropped; 0.. the index in FOOTER_PRIORITY; everything else ranks last. */
function rank(h: FooterHint): number {
  if (KEEP.has(h.label)) return -1;
  const i = h.id === undefined ? -1 : FOOTER_PRIORITY.indexOf(h.id);
  return i < 0 ? FOOTER_PRIORITY.length : i;
}

/**
 * Fits the hints into `width`, keeping their order on screen. What goes first: the note (it gets the room the hints
 * leave, shortened with "…", and is dropped when that room is under MIN_NOTE or no dimmed key is left to explain;
 * the unranked hints leave it NOTE_ROOM), then the unranked hints from the right, then the FOOTER_PRIORITY ones
 * from the least important; the KEEP ones (help, quit, …) never, unless they alone are wider than `width`.
 */
export function fitHints(hints: readonly FooterHint[], width: number): FooterHint[] {
  const note = hints.find((h) => h.note);
  const all = hints.filter((h) => !h.note);
  const reserve = note && all.some((h) => h.dimmed) ? SEP.length + Math.min(hintWidth(note), NOTE_ROOM) : 0;
  const unranked = FOOTER_PRIORITY.length;
  const dropOrder = all
    .map((h, i) => ({ i, r: rank(h) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => b.r - a.r || b.i - a.i);
  let out = all;
  for (const { i, r } of dropOrder) {
    if (lineWidth(out) <= (r === unranked ? width - reserve : width)) continue;
    out = out.filter((h) => h !== all[i]);
  }
  while (out.length && lineWidth(out) > width) out = out.slice(1);
  if (note && out.some((h) => h.dimmed)) {
    const room = width - lineWidth(out) - (out.length ? SEP.length : 0);
    if (hintWidth(note) <= room) out = [...out, note];
    else if (room >= MIN_NOTE) out = [...out, { ...note, label: `${note.label.slice(0, room - 1).trimEnd()}…` }];
  }
  return out;
}
