// Display-width line breaking over styled spans, for the terminal. Pure: no React, no Ink.
//
// Widths come from `string-width` (the same measure Ink uses to lay text out), so a CJK character counts two
// columns and a combining mark none. Text is cut only between grapheme clusters (Intl.Segmenter), so a character,
// a surrogate pair or an emoji sequence is never split. Lines break at spaces and, as in Chinese and Japanese
// typesetting, between two CJK characters — except before closing punctuation and after opening punctuation
// (the kinsoku rule; Unicode UAX #14, https://www.unicode.org/reports/tr14/). A word wider than the whole line
// is the only thing ever broken inside a word, and it then starts on a line of its own.
//
// Not wrap-ansi (which Ink uses for `<Text wrap>`): it wraps one flat string and breaks only at spaces, so it
// cannot carry styled spans, and a CJK sentence with no spaces moves to the next line whole instead of filling
// the current one.
import stringWidth from 'string-width';

export type SpanStyle =
  | 'plain'
  | 'heading'
  | 'strong'
  | 'em'
  | 'code'
  | 'link'
  | 'url'
  /** Structure drawn around text: list bullets, quote bars, table rules, continuation marks. */
  | 'mark'
  | 'title'
  | 'muted'
  | 'ok'
  | 'error'
  | 'info'
  | 'warn';

export interface Span {
  text: string;
  style: SpanStyle;
  /** Keep on one line: no break between its CJK characters (a short quotation); its spaces still break. */
  keep?: boolean;
}

/** One terminal line of styled text; never wider than the width it was laid out for. */
export type MdLine = Span[];

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/** Terminal columns `text` takes. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

export function spansWidth(spans: readonly Span[]): number {
  let n = 0;
  for (const s of spans) n += stringWidth(s.text);
  return n;
}

export function lineText(line: readonly Span[]): string {
  return line.map((s) => s.text).join('');
}

/** Closing punctuation never starts a line. */
const NO_BREAK_BEFORE = new Set([
  ...'、。，．：；？！）］｝」』】〉》〕〗〙〛〞”’…‥・ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ゛゜',
]);
/** Opening punctuation never ends a line. */
const NO_BREAK_AFTER = new Set([...'（［｛「『【〈《〔〖〘〚〝“‘']);
const ASCII_PUNCT = /^[!-/:-@[-`{-~]$/;

/** A break between two adjacent non-space graphemes is allowed next to a wide (CJK) character. */
function breakBetween(a: Piece, b: Piece): boolean {
  if (a.width < 2 && b.width < 2) return false;
  // ASCII punctuation stays with its neighbour ("信息". and "当…): quotes and full stops glue both ways.
  if (ASCII_PUNCT.test(a.text) || ASCII_PUNCT.test(b.text)) return false;
  return !NO_BREAK_BEFORE.has(b.text) && !NO_BREAK_AFTER.has(a.text);
}

interface Piece {
  text: string;
  style: SpanStyle;
  width: number;
  keep?: boolean;
}

type Token = { kind: 'word'; pieces: Piece[]; width: number } | { kind: 'space'; piece: Piece } | { kind: 'break' };

/** Whitespace where a line may break; a no-break space (U+00A0, U+202F) glues its neighbours instead. */
const SPACE = /^[^\S\u00a0\u202f]+$/u;

/** Words (unbreakable runs), single spaces and forced breaks (`\n`), in order. Whitespace runs collapse. */
function tokenize(spans: readonly Span[]): Token[] {
  const out: Token[] = [];
  let word: Piece[] = [];
  let wordWidth = 0;
  const flush = () => {
    if (word.length) out.push({ kind: 'word', pieces: word, width: wordWidth });
    word = [];
    wordWidth = 0;
  };
  for (const span of spans) {
    for (const g of graphemes(span.text)) {
      if (g === '\n' || g === '\r\n') {
        flush();
        out.push({ kind: 'break' });
        continue;
      }
      if (SPACE.test(g)) {
        flush();
        if (out.at(-1)?.kind !== 'space')
          out.push({ kind: 'space', piece: { text: ' ', style: span.style, width: 1 } });
        continue;
      }
      const piece: Piece = { text: g, style: span.style, width: stringWidth(g), keep: span.keep };
      const last = word.at(-1);
      if (last && !(last.keep && piece.keep) && breakBetween(last, piece)) flush();
      word.push(piece);
      wordWidth += piece.width;
    }
  }
  flush();
  return out;
}

/**
 * The narrowest width `spans` wrap to without cutting a word: the widest word, where every word after the first
 * may land on a continuation line and so also needs the hanging `indent`.
 */
export function longestWord(spans: readonly Span[], indent = 0): number {
  let n = 0;
  let first = true;
  for (const t of tokenize(spans)) {
    if (t.kind !== 'word') continue;
    n = Math.max(n, t.width + (first ? 0 : indent));
    first = false;
  }
  return n;
}

export interface WrapOptions {
  /** Spans put before the first line (a bullet, a label). */
  first?: readonly Span[];
  /** Spans put before every other line (the hanging indent). */
  rest?: readonly Span[];
}

/** Merges adjacent pieces of one style into spans; a no-break space is drawn as a plain space. */
function toSpans(pieces: readonly Piece[]): Span[] {
  const out: Span[] = [];
  for (const p of pieces) {
    const text = p.text === '\u00a0' || p.text === '\u202f' ? ' ' : p.text;
    const last = out.at(-1);
    if (last && last.style === p.style) last.text += text;
    else out.push({ text, style: p.style });
  }
  return out;
}

/** Cuts a prefix down to `max` columns (only when the width is too small for it). */
function fitPrefix(prefix: readonly Span[], max: number): Piece[] {
  const out: Piece[] = [];
  let w = 0;
  for (const s of prefix) {
    for (const g of graphemes(s.text)) {
      const width = stringWidth(g);
      if (w + width > max) return out;
      out.push({ text: g, style: s.style, width });
      w += width;
    }
  }
  return out;
}

/**
 * Greedy word wrap of styled spans to `width` columns. Whitespace runs collapse to one space and vanish at line
 * ends; `\n` forces a break. No line is wider than `width` (for width >= 2: a two-column character needs two).
 */
export function wrapSpans(spans: readonly Span[], width: number, opts: WrapOptions = {}): MdLine[] {
  const w = Math.max(2, Math.floor(width));
  // A prefix always leaves room for at least one wide character.
  const firstPrefix = fitPrefix(opts.first ?? [], w - 2);
  const restPrefix = fitPrefix(opts.rest ?? [], w - 2);
  const lines: MdLine[] = [];
  let cur: Piece[] = [];
  let curWidth = 0;
  let space: Piece | undefined;
  const prefixWidth = () => (lines.length === 0 ? firstPrefix : restPrefix).reduce((n, p) => n + p.width, 0);
  let avail = w - prefixWidth();
  const push = () => {
    const prefix = lines.length === 0 ? firstPrefix : restPrefix;
    lines.push(toSpans([...prefix, ...cur]));
    cur = [];
    curWidth = 0;
    space = undefined;
    avail = w - prefixWidth();
  };
  for (const t of tokenize(spans)) {
    if (t.kind === 'break') {
      push();
      continue;
    }
    if (t.kind === 'space') {
      if (cur.length) space = t.piece;
      continue;
    }
    const gap = space && cur.length ? 1 : 0;
    if (curWidth + gap + t.width <= avail) {
      if (gap && space) cur.push(space);
      cur.push(...t.pieces);
      curWidth += gap + t.width;
      space = undefined;
      continue;
    }
    if (cur.length) push();
    if (t.width <= avail) {
      cur.push(...t.pieces);
      curWidth = t.width;
      continue;
    }
    // Wider than a whole line: the one case where a word is cut, between graphemes, on lines of its own.
    for (const p of t.pieces) {
      if (curWidth + p.width > avail && cur.length) push();
      cur.push(p);
      curWidth += p.width;
    }
  }
  if (cur.length || lines.length === 0) push();
  return lines;
}

/**
 * Hard wrap for preformatted text (code blocks): spaces are kept, the line is cut at the width, preferably
 * after a space in the last two thirds of the line. Returns the chunks; the caller marks the continuations.
 */
export function hardWrap(text: string, width: number): string[] {
  const w = Math.max(2, Math.floor(width));
  const out: string[] = [];
  let cur: string[] = [];
  let curWidth = 0;
  let lastSpace = -1;
  for (const g of graphemes(text)) {
    const gw = stringWidth(g);
    while (curWidth + gw > w && cur.length) {
      // Break after the last space when that keeps at least a third of the line; else cut at the width.
      const at = lastSpace >= 0 && widthOf(cur.slice(0, lastSpace + 1)) >= w / 3 ? lastSpace + 1 : cur.length;
      out.push(cur.slice(0, at).join(''));
      cur = cur.slice(at);
      curWidth = widthOf(cur);
      lastSpace = cur.lastIndexOf(' ');
    }
    cur.push(g);
    curWidth += gw;
    if (g === ' ') lastSpace = cur.length - 1;
  }
  out.push(cur.join(''));
  return out;
}

function widthOf(gs: readonly string[]): number {
  let n = 0;
  for (const g of gs) n += stringWidth(g);
  return n;
}

/** Pads a line with spaces to exactly `width` columns (for table cells); never cuts. */
export function padLine(line: readonly Span[], width: number, align: 'left' | 'right' | 'center' = 'left'): Span[] {
  const gap = Math.max(0, width - spansWidth(line));
  if (!gap) return [...line];
  const left = align === 'right' ? gap : align === 'center' ? Math.floor(gap / 2) : 0;
  const right = gap - left;
  return [
    ...(left ? [{ text: ' '.repeat(left), style: 'plain' as const }] : []),
    ...line,
    ...(right ? [{ text: ' '.repeat(right), style: 'plain' as const }] : []),
  ];
}
