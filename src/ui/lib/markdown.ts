// Lesson Markdown -> styled terminal lines of a given width. Pure (no React): the lesson pane draws the lines,
// and headless code can render them too.
//
// Parsing is marked's lexer (GitHub-flavoured Markdown: tables, fenced code). Layout rules:
// - paragraphs, headings, list items and table cells wrap by display width (text-wrap.ts); no line is ever
//   wider than the width and no word is dropped;
// - lists nest, with the continuation lines hanging under the item text; block quotes get a `│ ` bar;
// - fenced code keeps its spaces and is never wrapped silently: a line wider than the pane continues on the
//   next line, which starts with `↪` in the code's indent (so diagrams stay intact wherever they fit);
// - prose may be set narrower than the pane for comfortable reading while code and tables use the room to its
//   right (`blockWidth`), so a wide pane shows a diagram or a table whole even when paragraphs stop earlier;
// - tables are aligned columns measured by display width; when the natural widths do not fit, columns shrink
//   (never below their longest word) and cells wrap, their continuation lines hanging two columns in so a
//   wrapped row still reads as one; when even that does not fit, each row becomes a small record
//   ("• header: value" per cell);
// - a long quotation in CJK (the lessons quote a Chinese note, then translate it) is set on lines of its own,
//   so the quote and its translation each wrap on their own lines.
import { Lexer, type Token, type Tokens } from 'marked';
import {
  hardWrap,
  longestWord,
  type MdLine,
  padLine,
  type Span,
  type SpanStyle,
  spansWidth,
  textWidth,
  wrapSpans,
} from './text-wrap.js';

export type { MdLine, Span, SpanStyle } from './text-wrap.js';
export { lineText, spansWidth, wrapSpans } from './text-wrap.js';

/** Narrowest width the renderer lays out for; narrower requests are treated as this. */
export const MIN_MD_WIDTH = 8;
/** Indent of fenced code; a continued line shows `↪` in it. */
const CODE_INDENT = '  ';
const CODE_CONTINUED = '↪ ';
const TABLE_SEP = ' │ ';
/** A table cell's continuation lines hang this far in, so a wrapped row reads as one row. */
const CELL_HANG: Span[] = [{ text: '  ', style: 'plain' }];
const BULLETS = ['•', '◦', '▪'];
/** Nesting (quote bars, list indents) stops indenting where less than this would be left for the text. */
const MIN_CONTENT = 6;
/** A CJK quotation at least this wide is set on lines of its own. */
export const OWN_LINE_QUOTE_WIDTH = 20;

// Lesson text is re-rendered on every lesson-state change (goal detail, hints); the lines for one source and
// width never change, so recent results are kept. Callers must not mutate the returned lines.
const cache = new Map<string, MdLine[]>();
const CACHE_LIMIT = 64;

export interface RenderOptions {
  /**
   * Width available to code blocks and tables (default: `width`). A wider value lets them run past the prose
   * column, which a wide pane sets narrower than itself for reading; nested blocks keep their indent.
   */
  blockWidth?: number;
}

export function renderMarkdown(source: string, width: number, opts: RenderOptions = {}): MdLine[] {
  const w = Math.max(MIN_MD_WIDTH, Math.floor(width));
  const extra = Math.max(0, Math.floor(opts.blockWidth ?? w) - w);
  const key = `${w}\u0000${extra}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const lines = blocks(new Lexer({ gfm: true }).lex(source), w, false, extra);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value ?? '');
  cache.set(key, lines);
  return lines;
}

/** Inline Markdown (`code`, **strong**, links…) as spans, for one-line texts such as a goal or a hint. */
export function inlineSpans(source: string, base: SpanStyle = 'plain'): Span[] {
  return quoteBreaks(inline(new Lexer({ gfm: true }).inlineTokens(source), base));
}

/** Inline Markdown wrapped to `width`, with an optional label before the first line and a hanging indent. */
export function renderInline(
  source: string,
  width: number,
  opts: { base?: SpanStyle; first?: Span[]; rest?: Span[] } = {},
): MdLine[] {
  return wrapSpans(inlineSpans(source, opts.base), Math.max(MIN_MD_WIDTH, width), {
    first: opts.first,
    rest: opts.rest,
  });
}

// ── blocks ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Block tokens as lines; loose blocks are separated by one blank line, tight ones (list items) are not.
 * `extra` is how many more columns code blocks and tables may use than the text (RenderOptions.blockWidth).
 */
function blocks(tokens: readonly Token[], width: number, tight: boolean, extra: number): MdLine[] {
  const out: MdLine[] = [];
  for (const t of tokens) {
    const lines = block(t, width, extra);
    if (!lines.length) continue;
    if (out.length && !tight) out.push([]);
    out.push(...lines);
  }
  return out;
}

function block(t: Token, width: number, extra: number): MdLine[] {
  switch (t.type) {
    case 'space':
    case 'def':
      // `def` is a link reference definition: its URL is shown where the link is used.
      return [];
    case 'heading': {
      const h = t as Tokens.Heading;
      return wrapSpans(inline(h.tokens, h.depth <= 2 ? 'heading' : 'strong'), width);
    }
    case 'paragraph':
      return paragraph((t as Tokens.Paragraph).tokens, width);
    case 'text': {
      const x = t as Tokens.Text;
      return x.tokens ? paragraph(x.tokens, width) : wrapSpans(quoteBreaks(plain(x.text)), width);
    }
    case 'list':
      return list(t as Tokens.List, width, 0, extra);
    case 'blockquote': {
      // The bar narrows to '│' and then goes, rather than squeezing the text below MIN_CONTENT columns.
      const bar = width - 2 >= MIN_CONTENT ? '│ ' : width - 1 >= MIN_CONTENT ? '│' : '';
      const inner = blocks((t as Tokens.Blockquote).tokens, width - bar.length, false, extra);
      if (!bar) return inner;
      return inner.map((l) => (l.length ? [{ text: bar, style: 'mark' }, ...l] : [{ text: '│', style: 'mark' }]));
    }
    case 'code':
      return code((t as Tokens.Code).text, width + extra);
    case 'table':
      return table(t as Tokens.Table, width + extra);
    case 'hr':
      return [[{ text: '─'.repeat(width), style: 'mark' }]];
    case 'html':
      return wrapSpans(plain((t as Tokens.HTML).text.trim()), width);
    default:
      // Anything this renderer does not know is shown as its source text rather than dropped.
      return 'raw' in t && typeof t.raw === 'string' && t.raw.trim() ? wrapSpans(plain(t.raw.trim()), width) : [];
  }
}

function paragraph(tokens: readonly Token[] | undefined, width: number): MdLine[] {
  return wrapSpans(quoteBreaks(inline(tokens, 'plain')), width);
}

function list(t: Tokens.List, width: number, depth: number, extra: number): MdLine[] {
  const start = typeof t.start === 'number' ? t.start : 1;
  const numberWidth = t.ordered ? String(start + t.items.length - 1).length + 1 : 0;
  const out: MdLine[] = [];
  for (const [i, item] of t.items.entries()) {
    const check = item.task ? (item.checked ? '[x] ' : '[ ] ') : '';
    const marker = `${t.ordered ? `${`${start + i}.`.padStart(numberWidth)} ` : `${BULLETS[depth % BULLETS.length] ?? '•'} `}${check}`;
    // Too narrow to indent under the marker: the marker takes a line of its own and the body the full width.
    const hang = width - textWidth(marker) >= MIN_CONTENT;
    const indent = hang ? textWidth(marker) : 0;
    const body: MdLine[] = [];
    const loose = t.loose || item.loose;
    for (const c of item.tokens) {
      if (c.type === 'checkbox') continue;
      const lines =
        c.type === 'list' ? list(c as Tokens.List, width - indent, depth + 1, extra) : block(c, width - indent, extra);
      if (!lines.length) continue;
      if (body.length && loose) body.push([]);
      body.push(...lines);
    }
    if (!hang) body.unshift([]);
    if (!body.length) body.push([]);
    if (out.length && loose) out.push([]);
    for (const [n, line] of body.entries()) {
      const lead: Span = n === 0 ? { text: marker, style: 'mark' } : { text: ' '.repeat(indent), style: 'plain' };
      out.push(line.length || n === 0 ? (indent || n === 0 ? [lead, ...line] : line) : []);
    }
  }
  return out;
}

function code(text: string, width: number): MdLine[] {
  const room = Math.max(2, width - textWidth(CODE_INDENT));
  const out: MdLine[] = [];
  for (const raw of text.replace(/\n+$/, '').split('\n')) {
    // A tab has no width of its own in a terminal cell grid: expand it to the next multiple of 4.
    const line = raw.replace(/[^\t\n]*\t/g, (m) => {
      const before = m.slice(0, -1);
      return before + ' '.repeat(4 - (textWidth(before) % 4));
    });
    for (const [i, chunk] of hardWrap(line.trimEnd(), room).entries()) {
      const gutter: Span = i === 0 ? { text: CODE_INDENT, style: 'plain' } : { text: CODE_CONTINUED, style: 'mark' };
      out.push(chunk ? [gutter, { text: chunk, style: 'code' }] : i === 0 ? [] : [gutter]);
    }
  }
  return out;
}

// ── tables ─────────────────────────────────────────────────────────────────────────────────────────────────

type Align = 'left' | 'right' | 'center';

/**
 * Column widths for a table, or undefined when even the narrowest columns do not fit `width`. Pure.
 * Every column gets its natural width when the table fits. Otherwise each starts at its minimum (its longest
 * word) and the spare columns go, a few at a time, wherever they save the most rows (`heights(col, w)` gives the
 * lines each row's cell needs at width w); what saves nothing goes to the columns closest to their natural width.
 */
export function tableColumnWidths(
  natural: readonly number[],
  minimum: readonly number[],
  width: number,
  heights: (col: number, w: number) => readonly number[],
): number[] | undefined {
  const sep = TABLE_SEP.length * Math.max(0, natural.length - 1);
  const room = width - sep;
  const sum = (xs: readonly number[]) => xs.reduce((n, x) => n + x, 0);
  if (sum(natural) <= room) return [...natural];
  const widths = minimum.map((m, i) => Math.min(Math.max(1, m), natural[i] ?? m));
  if (sum(widths) > room) return undefined;
  const memo = new Map<string, readonly number[]>();
  const colHeights = (c: number, w: number) => {
    const key = `${c}:${w}`;
    let h = memo.get(key);
    if (!h) {
      h = heights(c, w);
      memo.set(key, h);
    }
    return h;
  };
  const total = (ws: readonly number[]) => {
    const per = ws.map((w, c) => colHeights(c, w));
    const rows = Math.max(0, ...per.map((h) => h.length));
    let n = 0;
    for (let r = 0; r < rows; r++) n += Math.max(1, ...per.map((h) => h[r] ?? 1));
    return n;
  };
  let spare = room - sum(widths);
  let current = total(widths);
  while (spare > 0) {
    let best: { col: number; extra: number; gain: number } | undefined;
    for (let c = 0; c < widths.length; c++) {
      const w = widths[c] ?? 0;
      const maxExtra = Math.min(spare, (natural[c] ?? 0) - w);
      for (let e = 1; e <= maxExtra; e++) {
        const trial = widths.map((x, i) => (i === c ? x + e : x));
        const saved = current - total(trial);
        if (saved > 0) {
          const gain = saved / e;
          if (!best || gain > best.gain) best = { col: c, extra: e, gain };
          break;
        }
      }
    }
    if (!best) break;
    widths[best.col] = (widths[best.col] ?? 0) + best.extra;
    spare -= best.extra;
    current = total(widths);
  }
  // Nothing left to save: finish the columns that are nearest their natural width first.
  const order = widths
    .map((_, i) => i)
    .sort((a, b) => (natural[a] ?? 0) - widths[a]! - ((natural[b] ?? 0) - widths[b]!));
  for (const c of order) {
    const give = Math.min(spare, (natural[c] ?? 0) - (widths[c] ?? 0));
    widths[c] = (widths[c] ?? 0) + give;
    spare -= give;
  }
  return widths;
}

function table(t: Tokens.Table, width: number): MdLine[] {
  const head = t.header.map((c) => inline(c.tokens, 'strong'));
  const rows = t.rows.map((r) => r.map((c) => inline(c.tokens, 'plain')));
  const n = head.length;
  const all = [head, ...rows];
  const natural = Array.from({ length: n }, (_, i) => Math.max(1, ...all.map((r) => spansWidth(r[i] ?? []))));
  const hang = spansWidth(CELL_HANG);
  const minimum = Array.from({ length: n }, (_, i) => Math.max(1, ...all.map((r) => longestWord(r[i] ?? [], hang))));
  const cell = (c: Span[], w: number) => wrapSpans(c, w, { rest: CELL_HANG });
  const widths = tableColumnWidths(natural, minimum, width, (c, w) => all.map((r) => cell(r[c] ?? [], w).length));
  if (!widths) return records(head, rows, width);
  const align = (i: number): Align => t.align[i] ?? 'left';
  const out: MdLine[] = [];
  for (const [r, cells] of all.map((row) => widths.map((w, i) => cell(row[i] ?? [], w))).entries()) {
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const line: Span[] = [];
      for (const [i, w] of widths.entries()) {
        if (i) line.push({ text: TABLE_SEP, style: 'mark' });
        line.push(...padLine(cells[i]?.[k] ?? [], w, align(i)));
      }
      out.push(trimEnd(line));
    }
    if (r === 0) out.push([{ text: widths.map((w) => '─'.repeat(w)).join('─┼─'), style: 'mark' }]);
  }
  return out;
}

/** Fallback for a table too wide for the pane: each row as "• header: value" lines. */
function records(head: Span[][], rows: Span[][][], width: number): MdLine[] {
  const out: MdLine[] = [];
  for (const row of rows) {
    if (out.length) out.push([]);
    for (const [i, cell] of row.entries()) {
      const label: Span[] = [...(head[i] ?? []), { text: ': ', style: 'strong' }];
      // Continuation lines hang under the label, two columns in.
      const first: Span[] = [{ text: i === 0 ? '• ' : '  ', style: 'mark' }];
      out.push(...wrapSpans([...label, ...cell], width, { first, rest: [{ text: '    ', style: 'plain' }] }));
    }
  }
  return out;
}

function trimEnd(line: Span[]): Span[] {
  const out = [...line];
  while (out.length) {
    const last = out[out.length - 1] as Span;
    const text = last.text.replace(/ +$/, '');
    if (text) {
      out[out.length - 1] = { ...last, text };
      break;
    }
    out.pop();
  }
  return out;
}

// ── inline ─────────────────────────────────────────────────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** CJK text and punctuation: a soft line break between two of these is dropped, not turned into a space. */
const EAST_ASIAN = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef`;
const CJK_SOFT_BREAK = new RegExp(String.raw`(?<=[${EAST_ASIAN}])\r?\n(?=[${EAST_ASIAN}])`, 'gu');

/**
 * Source text as a span. A soft line break is a space, except between two CJK characters, where it is nothing
 * (Chinese has no spaces between words; CSS Text 3 "segment break transformation" does the same).
 */
function plain(text: string, style: SpanStyle = 'plain'): Span[] {
  return [{ text: decode(text).replace(CJK_SOFT_BREAK, '').replace(/\r?\n/g, ' '), style }];
}

/** Nested emphasis keeps the stronger style: heading > strong > em > plain. */
function nest(base: SpanStyle, style: 'strong' | 'em'): SpanStyle {
  if (base === 'plain') return style;
  if (base === 'em' && style === 'strong') return 'strong';
  return base;
}

function inline(tokens: readonly Token[] | undefined, base: SpanStyle): Span[] {
  const out: Span[] = [];
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text': {
        const x = t as Tokens.Text;
        out.push(...(x.tokens ? inline(x.tokens, base) : plain(x.text, base)));
        break;
      }
      case 'escape':
        out.push({ text: (t as Tokens.Escape).text, style: base });
        break;
      case 'strong':
        out.push(...inline((t as Tokens.Strong).tokens, nest(base, 'strong')));
        break;
      case 'em':
        out.push(...inline((t as Tokens.Em).tokens, nest(base, 'em')));
        break;
      case 'del':
        out.push(...inline((t as Tokens.Del).tokens, base));
        break;
      case 'codespan':
        out.push(...plain((t as Tokens.Codespan).text, 'code'));
        break;
      case 'br':
        out.push({ text: '\n', style: base });
        break;
      case 'link': {
        const l = t as Tokens.Link;
        const label = inline(l.tokens, 'link');
        out.push(...label);
        // Text + URL: a terminal cannot follow a hidden link, so the address is always shown.
        if (l.href && l.href !== l.text && `mailto:${l.text}` !== l.href) {
          out.push({ text: ' (', style: base }, { text: l.href, style: 'url' }, { text: ')', style: base });
        }
        break;
      }
      case 'image': {
        const im = t as Tokens.Image;
        out.push({ text: `[image: ${im.text || 'untitled'}] `, style: 'muted' }, { text: im.href, style: 'url' });
        break;
      }
      case 'checkbox':
        out.push({ text: (t as Tokens.Checkbox).checked ? '[x] ' : '[ ] ', style: 'mark' });
        break;
      case 'html':
        out.push(...plain((t as Tokens.HTML).text, base));
        break;
      default:
        if ('text' in t && typeof t.text === 'string') out.push(...plain(t.text, base));
        else if ('raw' in t && typeof t.raw === 'string') out.push(...plain(t.raw, base));
    }
  }
  return out;
}

// ── CJK quotations on their own lines ──────────────────────────────────────────────────────────────────────

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const QUOTE = /(["\u201c\u300c])([^"\u201d\u300d\n]*)(["\u201d\u300d])/g;
const TRAILING_PUNCT = /^[.,:;!?)\]\u3002\uff0c\uff1a\uff1b\uff01\uff1f\uff09]*/;

/**
 * Puts each long CJK quotation on lines of its own: a forced break before it (unless it starts the text) and
 * after it and the punctuation glued to it (unless the text ends there). A short one stays in the sentence,
 * kept whole on one line. Quotes inside code are left alone.
 */
export function quoteBreaks(spans: readonly Span[]): Span[] {
  const chars: Array<{ ch: string; style: SpanStyle; keep: boolean }> = [];
  for (const s of spans) for (const ch of s.text) chars.push({ ch, style: s.style, keep: s.keep === true });
  const text = chars.map((c) => c.ch).join('');
  // Offsets into `text` (UTF-16) and into `chars` (code points) differ: map between them.
  const index: number[] = [];
  {
    let u = 0;
    for (const [i, c] of chars.entries()) {
      index[u] = i;
      u += c.ch.length;
    }
    index[u] = chars.length;
  }
  const breakAt = new Set<number>();
  let kept = false;
  for (const m of text.matchAll(QUOTE)) {
    if (!CJK.test(m[2] ?? '')) continue;
    const start = index[m.index] ?? 0;
    const endU = m.index + m[0].length;
    if (chars.slice(start, index[endU]).some((c) => c.style === 'code')) continue;
    if (textWidth(m[0]) < OWN_LINE_QUOTE_WIDTH) {
      for (const c of chars.slice(start, index[endU])) c.keep = true;
      kept = true;
      continue;
    }
    const tail = TRAILING_PUNCT.exec(text.slice(endU))?.[0] ?? '';
    breakAt.add(start);
    breakAt.add(index[endU + tail.length] ?? chars.length);
  }
  if (!breakAt.size && !kept) return [...spans];
  const out: Span[] = [];
  const push = (ch: string, style: SpanStyle, keep: boolean) => {
    const last = out.at(-1);
    if (last && last.style === style && (last.keep === true) === keep) last.text += ch;
    else out.push(keep ? { text: ch, style, keep } : { text: ch, style });
  };
  let seenText = false;
  for (const [i, c] of chars.entries()) {
    if (breakAt.has(i) && seenText && chars.slice(i).some((x) => x.ch.trim())) {
      // Drop the spaces before the break; the break itself separates the words.
      while (out.length) {
        const last = out[out.length - 1] as Span;
        const trimmed = last.text.replace(/[ \t]+$/, '');
        if (trimmed === last.text) break;
        if (trimmed) {
          last.text = trimmed;
          break;
        }
        out.pop();
      }
      push('\n', c.style, false);
    }
    if (c.ch.trim()) seenText = true;
    push(c.ch, c.style, c.keep);
  }
  return out;
}
