// Footer hints derived from the registry: enabled actions of the current scope chain that have a footer word,
// dropped from the right to fit the width (help and quit are kept last).

import type { WhenContext } from './context.js';
import { chainActions, isEnabled } from './dispatch.js';
import { formatKey } from './keys.js';

export interface FooterHint {
  keys: string;
  label: string;
}

export function footerHints(ctx: WhenContext): FooterHint[] {
  const seen = new Set<string>();
  const out: FooterHint[] = [];
  for (const { spec } of chainActions(ctx)) {
    if (!spec.footer || !isEnabled(spec, ctx) || seen.has(spec.footer)) continue;
    seen.add(spec.footer);
    out.push({ keys: spec.keys.slice(0, 2).map(formatKey).join('/'), label: spec.footer });
  }
  return out;
}

const SEP = ' · ';
// The ways out of (or through) the current screen are never dropped.
const KEEP = new Set(['help', 'quit', 'cancel', 'apply', 'ok', 'yes', 'no', 'close', 'heal']);

export function hintWidth(h: FooterHint): number {
  return h.keys.length + 1 + h.label.length;
}

/** Drops hints from the right (never the KEEP ones) until the line fits `width`. */
export function fitHints(hints: readonly FooterHint[], width: number): FooterHint[] {
  const kept = [...hints];
  const total = () => kept.reduce((n, h, i) => n + hintWidth(h) + (i ? SEP.length : 0), 0);
  for (let i = kept.length - 1; i >= 0 && total() > width; i--) {
    const h = kept[i];
    if (h && !KEEP.has(h.label)) kept.splice(i, 1);
  }
  while (kept.length && total() > width) kept.shift();
  return kept;
}
