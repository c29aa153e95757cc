// Footer hints derived from the registry: enabled actions of the current scope chain that have a footer word,
// fitted to the width by a fixed priority (see fitHints). Actions the deployment cannot do are listed dimmed and in
// parentheses (so the meaning survives NO_COLOR), after every key that works (attached, f, K and e come before a
// row of dimmed node and fault keys), followed by the reason; they are the first to give way when the line is short.

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
  const dimmed: FooterHint[] = [];
  const reasons: string[] = [];
  for (const { id, spec } of chainActions(ctx)) {
    if (!spec.footer || seen.has(spec.footer)) continue;
    const why = unavailableReason(spec, ctx);
    if (!why && !isEnabled(spec, ctx)) continue;
    seen.add(spec.footer);
    (why ? dimmed : out).push({
      keys: spec.footerKeys?.(ctx) ?? spec.keys.slice(0, 2).map(formatKey).join('/'),
      label: spec.footerLabel?.(ctx) ?? spec.footer,
      id,
      ...(why ? { dimmed: true } : {}),
    });
    if (why && !reasons.includes(why.reason)) reasons.push(why.reason);
  }
  out.push(...dimmed);
  if (reasons.length) out.push({ keys: '', label: `unavailable: ${reasons.join('; ')}`, dimmed: true, note: true });
  return out;
}

const SEP = ' · ';
// The ways out of (or through) the current screen are never dropped (unless dimmed: a key that does not work there
// is no way out; the heal picker's own `heal` is one, the dimmed `h heal` of a deployment the lab only watches is not).
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
// A shortened note narrower than this says too little to be worth its place; the dimmed hints make room for this
// much of it (never a key that works).
const MIN_NOTE = 24;
const NOTE_ROOM = 40;

export function hintWidth(h: FooterHint): number {
  return (h.keys ? h.keys.length + 1 : 0) + h.label.length + (h.dimmed && !h.note ? 2 : 0);
}

const lineWidth = (hints: readonly FooterHint[]) =>
  hints.reduce((n, h, i) => n + hintWidth(h) + (i ? SEP.length : 0), 0);

/**
 * Keys the footer shows when it has room to spare, after the others that work: on the lab's own cluster they come
 * after the node, fault and client keys (so the sandbox's footer stays as it was), but where keys are dimmed (a
 * deployment the lab only watches) they are among the few that work and rank as the others.
 */
const SPARE: ReadonlySet<string> = new Set(['cluster.ckquorum', 'run.export']);
const UNRANKED = FOOTER_PRIORITY.length;
const SPARE_RANK = UNRANKED + 1;
/** Dimmed hints rank below every key that works: they go first. */
const DIMMED = UNRANKED + 2;

/**
 * -1: never dropped; 0.. the index in FOOTER_PRIORITY; then every other key that works (SPARE ones last unless some
 * key is dimmed); then the dimmed ones.
 */
function rank(h: FooterHint, anyDimmed: boolean): number {
  if (h.dimmed) return DIMMED;
  if (KEEP.has(h.label)) return -1;
  const i = h.id === undefined ? -1 : FOOTER_PRIORITY.indexOf(h.id);
  if (i >= 0) return i;
  return !anyDimmed && h.id !== undefined && SPARE.has(h.id) ? SPARE_RANK : UNRANKED;
}

/**
 * Fits the hints into `width`, keeping their order on screen. What goes first: the note (it gets the room the hints
 * leave, shortened with "…", and is dropped when that room is under MIN_NOTE or no dimmed key is left to explain;
 * the dimmed hints leave it NOTE_ROOM), then the dimmed hints from the right, then the SPARE ones, then the unranked
 * hints that work from the right, then the FOOTER_PRIORITY ones from the least important; the KEEP ones (help, quit, …) never, unless
 * they alone are wider than `width`.
 */
export function fitHints(hints: readonly FooterHint[], width: number): FooterHint[] {
  const note = hints.find((h) => h.note);
  const all = hints.filter((h) => !h.note);
  const reserve = note && all.some((h) => h.dimmed) ? SEP.length + Math.min(hintWidth(note), NOTE_ROOM) : 0;
  const anyDimmed = all.some((h) => h.dimmed);
  const dropOrder = all
    .map((h, i) => ({ i, r: rank(h, anyDimmed) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => b.r - a.r || b.i - a.i);
  let out = all;
  for (const { i, r } of dropOrder) {
    if (lineWidth(out) <= (r === DIMMED ? width - reserve : width)) continue;
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
