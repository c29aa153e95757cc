// Footer hints derived from the registry: enabled actions of the current scope chain that have a footer word,
// dropped from the right to fit the width (help and quit are kept last). Actions the deployment cannot do are
// listed dimmed and in parentheses (so the meaning survives NO_COLOR), followed by the reason.

import type { WhenContext } from './context.js';
import { chainActions, isEnabled, unavailableReason } from './dispatch.js';
import { formatKey } from './keys.js';

export interface FooterHint {
  keys: string;
  label: string;
  /** Shown dimmed, in parentheses: the deployment lacks what the action needs (or this is the note saying why). */
  dimmed?: boolean;
  /** The note naming why the dimmed keys are unavailable (no key of its own). */
  note?: boolean;
}

export function footerHints(ctx: WhenContext): FooterHint[] {
  const seen = new Set<string>();
  const out: FooterHint[] = [];
  const reasons: string[] = [];
  for (const { spec } of chainActions(ctx)) {
    if (!spec.footer || seen.has(spec.footer)) continue;
    const why = unavailableReason(spec, ctx);
    if (!why && !isEnabled(spec, ctx)) continue;
    seen.add(spec.footer);
    out.push({
      keys: spec.footerKeys?.(ctx) ?? spec.keys.slice(0, 2).map(formatKey).join('/'),
      label: spec.footer,
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

export function hintWidth(h: FooterHint): number {
  return (h.keys ? h.keys.length + 1 : 0) + h.label.length + (h.dimmed && !h.note ? 2 : 0);
}

const kept = (h: FooterHint) => KEEP.has(h.label) || h.note === true;

/** Drops hints from the right (never the KEEP ones or the note) until the line fits `width`. */
export function fitHints(hints: readonly FooterHint[], width: number): FooterHint[] {
  const out = [...hints];
  const total = () => out.reduce((n, h, i) => n + hintWidth(h) + (i ? SEP.length : 0), 0);
  for (let i = out.length - 1; i >= 0 && total() > width; i--) {
    const h = out[i];
    if (h && !kept(h)) out.splice(i, 1);
  }
  while (out.length && total() > width) out.shift();
  return out;
}
