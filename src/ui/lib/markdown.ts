// Just enough Markdown for lesson prose: headings, bullets, numbered items, `code` and **bold**, word-wrapped
// to the pane width. Anything else is shown as plain text.

export type SpanStyle = 'plain' | 'code' | 'bold' | 'heading';
export interface Span {
  text: string;
  style: SpanStyle;
}
export type MdLine = Span[];

/** Splits inline `code` and **bold** into styled spans. */
export function inlineSpans(text: string, base: SpanStyle = 'plain'): Span[] {
  const out: Span[] = [];
  const re = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ text: text.slice(last, i), style: base });
    const tok = m[0];
    out.push(
      tok.startsWith('`') ? { text: tok.slice(1, -1), style: 'code' } : { text: tok.slice(2, -2), style: 'bold' },
    );
    last = i + tok.length;
  }
  if (last < text.length) out.push({ text: text.slice(last), style: base });
  return out;
}

/** Greedy word wrap over spans; `indent` is prepended to continuation lines. */
export function wrapSpans(spans: readonly Span[], width: number, indent = ''): MdLine[] {
  const words: Span[] = [];
  for (const s of spans) {
    for (const part of s.text.split(/(\s+)/)) if (part) words.push({ text: part, style: s.style });
  }
  const lines: MdLine[] = [];
  let line: Span[] = [];
  let len = 0;
  let start = 0;
  const push = () => {
    while (line.length && /^\s+$/.test(line[line.length - 1]?.text ?? '')) line.pop();
    lines.push(line);
    line = indent ? [{ text: indent, style: 'plain' }] : [];
    len = indent.length;
    start = indent.length;
  };
  for (const w of words) {
    const blank = /^\s+$/.test(w.text);
    if (blank && len === start) continue;
    if (!blank && len + w.text.length > width && len > start) push();
    let text = blank ? ' ' : w.text;
    // A single word longer than the line is cut rather than allowed to overflow.
    while (!blank && text.length > width - len && width - len > 0) {
      line.push({ text: text.slice(0, width - len), style: w.style });
      text = text.slice(width - len);
      push();
    }
    if (!text) continue;
    line.push({ text, style: w.style });
    len += text.length;
  }
  if (len > start) push();
  return lines;
}

export function renderMarkdown(source: string, width: number): MdLine[] {
  const out: MdLine[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(...wrapSpans(inlineSpans(para.join(' ')), width));
    para = [];
  };
  let inFence = false;
  for (const raw of source.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('```')) {
      flush();
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out.push([{ text: `  ${line}`, style: 'code' }]);
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*(\d+)[.)]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      out.push(...wrapSpans(inlineSpans(heading[1] ?? '', 'heading'), width));
    } else if (bullet) {
      flush();
      out.push(...wrapSpans([{ text: '• ', style: 'plain' }, ...inlineSpans(bullet[1] ?? '')], width, '  '));
    } else if (numbered) {
      flush();
      const head = `${numbered[1]}. `;
      out.push(...wrapSpans([{ text: head, style: 'plain' }, ...inlineSpans(numbered[2] ?? '')], width, '   '));
    } else if (line.trim() === '') {
      flush();
      if (out.length && out[out.length - 1]?.length) out.push([]);
    } else {
      para.push(line.trim());
    }
  }
  flush();
  while (out.length && out[out.length - 1]?.length === 0) out.pop();
  return out;
}
