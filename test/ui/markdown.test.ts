// The terminal Markdown renderer: structure, styles, tables, CJK, code, and two properties checked over every
// lesson text and over generated documents at many widths: no line wider than the width (by string-width), and
// every word of the input present in the output (a word that fits is never split).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Lexer, type Tokens } from 'marked';
import stringWidth from 'string-width';
import { buildTopology } from '../../src/cluster/topology.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { fillStepText } from '../../src/lessons/placeholders.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { lessonShape } from '../../src/lessons/shape.js';
import { calculateLayout, paneInnerSize } from '../../src/ui/layout.js';
import {
  lineText,
  type MdLine,
  OWN_LINE_QUOTE_WIDTH,
  quoteBreaks,
  renderInline,
  renderMarkdown,
  tableColumnWidths,
} from '../../src/ui/lib/markdown.js';
import { graphemes, hardWrap, longestWord, wrapSpans } from '../../src/ui/lib/text-wrap.js';

const text = (lines: readonly MdLine[]) => lines.map(lineText);
const WIDTHS = [20, 40, 47, 80];
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function assertFits(lines: readonly MdLine[], width: number, what: string): void {
  for (const [i, l] of lines.entries()) {
    const t = lineText(l);
    assert.ok(stringWidth(t) <= width, `${what} @${width}: line ${i} is ${stringWidth(t)} wide: "${t}"`);
  }
}

/**
 * The words a reader must find: source text split at whitespace and Markdown punctuation, without table rules.
 * Latin words no wider than `room` must appear whole on one line; longer ones (cut on purpose, between
 * graphemes) must appear in the output read without line breaks and structure marks; every CJK character must
 * appear as often as in the source.
 */
function assertAllWords(source: string, lines: readonly MdLine[], width: number, what: string): void {
  const shown = text(lines);
  // Read without structure marks and line indents, a word cut across lines reads whole again.
  const flat = lines
    .map((l) =>
      l
        .filter((s) => s.style !== 'mark')
        .map((s) => s.text)
        .join('')
        .trimStart(),
    )
    .join('');
  const room = Math.max(4, width - 8); // the deepest prefix the lessons use: a quote bar plus a list marker
  // Fenced code continues on marked lines wherever the width falls, so its words are checked read across lines.
  const fences = [...source.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1] ?? '');
  for (const w of fences.join(' ').split(/\s+/)) {
    if (w) assert.ok(flat.includes(w), `${what} @${width}: code "${w}" is missing\n${shown.join('\n')}`);
  }
  const clean = source
    .replace(/^```[^\n]*\n[\s\S]*?^```/gm, ' ')
    .replace(/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/gm, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
  for (const raw of clean.split(/[\s|]+/)) {
    for (const word of raw.split(/[`*[\]()<>]+/)) {
      const w = word.replace(/^[#>"'“‘.,:;!?~_-]+/, '').replace(/[.,:;!?"'”’~_]+$/, '');
      if (!w || CJK.test(w)) continue;
      if (stringWidth(w) <= room) {
        assert.ok(
          shown.some((l) => l.includes(w)),
          `${what} @${width}: "${w}" is not shown whole\n${shown.join('\n')}`,
        );
      } else {
        assert.ok(flat.includes(w), `${what} @${width}: "${w}" is missing\n${shown.join('\n')}`);
      }
    }
  }
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const ch of s) if (CJK.test(ch)) m.set(ch, (m.get(ch) ?? 0) + 1);
    return m;
  };
  const out = count(shown.join(''));
  for (const [ch, n] of count(source)) assert.ok((out.get(ch) ?? 0) >= n, `${what} @${width}: "${ch}" lost`);
}

describe('renderMarkdown: blocks and styles', () => {
  it('renders headings, paragraphs, emphasis, strong and code spans with their styles', () => {
    const lines = renderMarkdown('# Title\n\nSome `code` and **bold** and *em* text that wraps here.', 20);
    assert.deepEqual(text(lines), ['Title', '', 'Some code and bold', 'and em text that', 'wraps here.']);
    assert.equal(lines[0]?.[0]?.style, 'heading');
    assert.ok(lines[2]?.some((s) => s.style === 'code' && s.text === 'code'));
    assert.ok(lines[2]?.some((s) => s.style === 'strong' && s.text === 'bold'));
    assert.ok(lines[3]?.some((s) => s.style === 'em' && s.text === 'em'));
  });

  it('nests lists with hanging indents, numbers aligned, and bullets per depth', () => {
    const md = '- one\n  - inner item that is long enough to wrap\n- two\n\n9. nine\n10. ten';
    assert.deepEqual(text(renderMarkdown(md, 24)), [
      '• one',
      '  ◦ inner item that is',
      '    long enough to wrap',
      '• two',
      '',
      ' 9. nine',
      '10. ten',
    ]);
  });

  it('keeps a loose list loose and shows task boxes', () => {
    assert.deepEqual(text(renderMarkdown('- a\n\n- b\n', 20)), ['• a', '', '• b']);
    assert.deepEqual(text(renderMarkdown('- [x] done\n- [ ] todo', 20)), ['• [x] done', '• [ ] todo']);
  });

  it('draws block quotes with a bar on every line, nested quotes with two', () => {
    const lines = text(renderMarkdown('> quoted text that wraps around\n>\n> > inner', 16));
    assert.deepEqual(lines, ['│ quoted text', '│ that wraps', '│ around', '│', '│ │ inner']);
  });

  it('stops indenting nested quotes and lists before the text gets too narrow, never overflowing', () => {
    const src = '> - > 1. > - deep nested words here\n>   - more\n\n- a\n  - b\n    - c\n      - d\n        - e words';
    for (let width = 8; width <= 24; width++) {
      const lines = renderMarkdown(src, width);
      assertFits(lines, width, 'nested');
      assertAllWords(src, lines, width, 'nested');
    }
  });

  it('shows links as text and URL, and autolinks once', () => {
    assert.deepEqual(text(renderMarkdown('See [the docs](https://redis.io/docs/) or <https://redis.io>.', 80)), [
      'See the docs (https://redis.io/docs/) or https://redis.io.',
    ]);
  });

  it('keeps hard breaks, horizontal rules, escapes and entities', () => {
    assert.deepEqual(text(renderMarkdown('a  \nb\n\n---\n\nx \\* y &amp; &lt;z&gt;', 12)), [
      'a',
      'b',
      '',
      '────────────',
      '',
      'x * y & <z>',
    ]);
  });

  it('shows unknown HTML as its text rather than dropping it', () => {
    assert.deepEqual(text(renderMarkdown('a <b>bold</b> word\n\n<div>block</div>', 40)), [
      'a <b>bold</b> word',
      '',
      '<div>block</div>',
    ]);
  });
});

describe('renderMarkdown: code', () => {
  it('lets code and tables use the block width, also inside lists and quotes, while prose keeps the width', () => {
    const code = 'x'.repeat(44);
    const md = [
      'words '.repeat(12),
      `\`\`\`\n${code}\n\`\`\``,
      `- item\n\n  \`\`\`\n  ${code}\n  \`\`\``,
      `> quoted\n>\n> \`\`\`\n> ${code}\n> \`\`\``,
      `| a | b |\n|---|---|\n| ${'c'.repeat(20)} | ${'d'.repeat(22)} |`,
    ].join('\n\n');
    const narrow = text(renderMarkdown(md, 30));
    const wide = renderMarkdown(md, 30, { blockWidth: 50 });
    const t = text(wide);
    assertFits(wide, 50, 'block width');
    assert.ok(
      narrow.some((l) => l.startsWith('↪')),
      'at the text width the code continues',
    );
    assert.ok(!t.some((l) => l.includes('↪')), t.join('\n'));
    assert.equal(t.filter((l) => l.endsWith(code)).length, 3, 'the code line whole, at every depth');
    assert.ok(t.includes(`${'c'.repeat(20)} │ ${'d'.repeat(22)}`), 'the table row on one line');
    for (const l of t.filter((x) => x.startsWith('words'))) assert.ok(stringWidth(l) <= 30, l);
  });

  it('keeps spaces in fenced code, indents it, expands tabs', () => {
    const lines = renderMarkdown('```\n  +--+\n  |  |\na\tb\n```', 40);
    assert.deepEqual(text(lines), ['    +--+', '    |  |', '  a   b']);
    assert.equal(lines[0]?.[1]?.style, 'code');
  });

  it('continues a code line wider than the pane on marked lines, losing nothing', () => {
    const long = 'redis-cli -h 127.0.2.1 -p 6379 -a redis INFO replication';
    for (const width of [20, 30, 47]) {
      const lines = renderMarkdown(`\`\`\`sh\n${long}\n\`\`\``, width);
      assertFits(lines, width, 'code');
      assert.ok(lines.length > 1);
      for (const l of lines.slice(1)) assert.equal(l[0]?.text, '↪ ', 'continuations are marked');
      assert.equal(lines.map((l) => l[1]?.text ?? '').join(''), long);
    }
  });

  it('breaks a code line after a space when that keeps a third of the line, else at the width', () => {
    assert.deepEqual(hardWrap('aaa bbbbbbbb', 8), ['aaa ', 'bbbbbbbb']);
    assert.deepEqual(hardWrap('a bbbbbbbbbbbb', 8), ['a bbbbbb', 'bbbbbb']);
    assert.deepEqual(hardWrap('中文中文中文', 5), ['中文', '中文', '中文']);
  });

  it('keeps a long code span whole when it fits a line, and cuts it only when wider than the line', () => {
    const lines = text(renderMarkdown('Run `redis-cli -p 6379 SENTINEL GET-MASTER-ADDR-BY-NAME mymaster` now', 24));
    assert.ok(lines.includes('GET-MASTER-ADDR-BY-NAME'), lines.join('\n'));
    const cut = text(renderMarkdown('x `averyveryveryverylongtokenwithoutspaces` y', 12));
    assert.deepEqual(cut, ['x', 'averyveryver', 'yverylongtok', 'enwithoutspa', 'ces y']);
  });
});

describe('renderMarkdown: tables', () => {
  const md = '| node | role | port |\n|---|---|--:|\n| redis-1 | master | 6379 |\n| sentinel-1 | Sentinel | 26379 |';

  it('aligns columns by display width, with a rule under the header and right alignment', () => {
    assert.deepEqual(text(renderMarkdown(md, 80)), [
      'node       │ role     │  port',
      '───────────┼──────────┼──────',
      'redis-1    │ master   │  6379',
      'sentinel-1 │ Sentinel │ 26379',
    ]);
  });

  it('measures CJK cells as two columns', () => {
    const lines = text(renderMarkdown('| 名字 | x |\n|---|---|\n| 主服务 | 1 |', 40));
    assert.deepEqual(lines, ['名字   │ x', '───────┼──', '主服务 │ 1']);
  });

  it('shrinks and wraps cells when the table is wider than the pane, continuations hanging, no word cut', () => {
    const wide =
      '| stage | time |\n|---|---|\n| a long stage description that needs many words | 1.20 |\n| short | 2.1–2.3 |';
    const lines = renderMarkdown(wide, 30);
    assertFits(lines, 30, 'table');
    assert.deepEqual(text(lines), [
      'stage                │ time',
      '─────────────────────┼────────',
      'a long stage         │ 1.20',
      '  description that   │',
      '  needs many words   │',
      'short                │ 2.1–2.3',
    ]);
    assertAllWords(wide, lines, 30, 'table');
  });

  it('falls back to one record per row when even the narrowest columns do not fit', () => {
    const lines = renderMarkdown(md, 12);
    assertFits(lines, 12, 'records');
    assert.deepEqual(text(lines).slice(0, 4), ['• node:', '    redis-1', '  role:', '    master']);
  });

  it('picks column widths that save the most rows', () => {
    assert.deepEqual(
      tableColumnWidths([10, 5], [4, 5], 40, () => [1, 1]),
      [10, 5],
    );
    assert.equal(
      tableColumnWidths([30, 30], [20, 20], 30, () => [1]),
      undefined,
    );
    // Column 1 saves a row at width 8, column 0 only at 12: the spare 4 columns go to column 1 first.
    const widths = tableColumnWidths([12, 8], [6, 4], 6 + 4 + 3 + 4, (c, w) => [
      c === 0 ? (w >= 12 ? 1 : 2) : w >= 8 ? 1 : 3,
    ]);
    assert.deepEqual(widths, [6, 8]);
  });
});

describe('renderMarkdown: CJK and grapheme safety', () => {
  it('wraps CJK by display width, between characters, never before closing punctuation', () => {
    const lines = renderMarkdown('主从服务器随时可能因为故障而升级成主服务，主服务重启后会被授权为从服务。', 20);
    assertFits(lines, 20, 'cjk');
    for (const l of text(lines).slice(1)) assert.ok(!/^[，。]/.test(l), `line starts with punctuation: ${l}`);
    assert.equal(text(lines).join(''), '主从服务器随时可能因为故障而升级成主服务，主服务重启后会被授权为从服务。');
  });

  it('sets a long Chinese quote and its English translation on lines of their own', () => {
    const src =
      'The note: "当配置了这两个值时，我们可以停掉其中3个slave服务，再对 master 进行操作" (with these two options set, stop three of the replicas, then use the master).';
    for (const width of WIDTHS) {
      const lines = text(renderMarkdown(src, width));
      assert.equal(lines[0], 'The note:', `@${width}: ${lines.join(' / ')}`);
      assert.ok(lines[1]?.startsWith('"当配置'), `@${width}`);
      const translation = lines.findIndex((l) => l.startsWith('(with these'));
      assert.ok(translation > 1, `@${width}: the translation starts its own line`);
      assert.ok(lines[translation - 1]?.endsWith('"'), `@${width}: the quote ends its line`);
      assertAllWords(src, renderMarkdown(src, width), width, 'quote');
    }
  });

  it('leaves a short quote inline and keeps punctuation glued to a quote', () => {
    assert.ok(stringWidth('"遇到的坑"') < OWN_LINE_QUOTE_WIDTH);
    assert.deepEqual(text(renderMarkdown('From the note\'s "遇到的坑" (pitfalls):', 80)), [
      'From the note\'s "遇到的坑" (pitfalls):',
    ]);
    const glued = text(renderMarkdown('As it says: "客户端将依然可以向redis3写数据". Then more.', 80));
    assert.deepEqual(glued, ['As it says:', '"客户端将依然可以向redis3写数据".', 'Then more.']);
    // A short quote is kept on one line rather than broken between its characters.
    const hint = 'Stop redis-3, redis-4 and redis-5 (the note stops "其中3个slave").';
    for (let width = 16; width <= 70; width++) {
      const lines = text(renderInline(hint, width));
      assert.ok(
        lines.some((l) => l.includes('"其中3个slave")')),
        `@${width}: ${lines.join(' / ')}`,
      );
    }
    // Quotes inside code are code, not quotations.
    assert.equal(quoteBreaks([{ text: '"客户端将依然可以向redis3写数据"', style: 'code' }]).length, 1);
  });

  it('drops the soft line break between two CJK lines instead of inventing a space', () => {
    assert.deepEqual(text(renderMarkdown('主服务重启后\n会被授权为从服务', 80)), ['主服务重启后会被授权为从服务']);
    assert.deepEqual(text(renderMarkdown('redis\nsentinel', 80)), ['redis sentinel']);
  });

  it('never splits a grapheme: emoji sequences, combining marks, surrogate pairs', () => {
    const family = '👨‍👩‍👧‍👦';
    const src = `${family}${family}${family} e\u0301e\u0301e\u0301e\u0301 𠀀𠀀𠀀𠀀𠀀`;
    for (const width of [2, 3, 4, 5, 7]) {
      const lines = wrapSpans([{ text: src, style: 'plain' }], width);
      assertFits(lines, width, 'graphemes');
      const all = lines.flatMap((l) => graphemes(lineText(l)));
      for (const g of graphemes(src.replace(/ /g, ''))) assert.ok(all.includes(g), `@${width}: ${g} split`);
    }
  });

  it('never breaks at a no-break space, and draws it as a space', () => {
    const lines = wrapSpans([{ text: 'the goal sentence ✗\u00a0not\u00a0yet', style: 'plain' }], 20);
    assert.deepEqual(lines.map(lineText), ['the goal sentence', '✗ not yet']);
  });

  it('measures the longest unbreakable word, where CJK breaks between characters', () => {
    assert.equal(longestWord([{ text: 'ab abcdef 中文中文', style: 'plain' }]), 6);
    // ASCII quotes stay glued to the character beside them: "当 配 置".
    assert.equal(longestWord([{ text: '"当配置"', style: 'plain' }]), 3);
  });
});

describe('renderMarkdown: lesson texts (found by id through the loader)', () => {
  let lessons: Lesson[] = [];
  before(async () => {
    lessons = await loadAllLessons();
  });
  const byId = (id: string) => {
    const l = lessons.find((x) => x.id === id);
    assert.ok(l, `lesson ${id}`);
    return l;
  };
  /** Every GFM table in a lesson's step texts and explanations, as its own Markdown source, with its header. */
  const tablesOf = (lesson: Lesson) =>
    lesson.steps.flatMap((step) =>
      [step.prose, step.explain ?? ''].flatMap((src) =>
        new Lexer({ gfm: true })
          .lex(src)
          .filter((t): t is Tokens.Table => t.type === 'table')
          .map((t) => ({ where: `${lesson.id}/${step.id}`, src: t.raw, header: t.header.map((c) => c.text) })),
      ),
    );
  // The lesson column beside the cluster at 120x35, where these tables must stay aligned columns.
  const SPLIT_120 = paneInnerSize(calculateLayout({ columns: 120, rows: 35, sandbox: false }), 'lesson')?.width ?? 0;

  /** Fits, keeps every word, and is either aligned columns or (when too narrow for them) one record per row. */
  function checkTable(src: string, width: number, what: string): 'grid' | 'records' {
    const lines = renderMarkdown(src, width);
    const t = text(lines);
    assertFits(lines, width, what);
    assertAllWords(src, lines, width, what);
    assert.ok(!t.some((l) => /\|\s*-{3}/.test(l) || /^\s*\|/.test(l)), `${what} @${width}: raw table syntax`);
    if (!t.some((l) => l.includes('┼'))) {
      assert.ok(
        t.some((l) => l.startsWith('• ')),
        `${what} @${width}: records`,
      );
      return 'records';
    }
    // Aligned: every row puts its column separators in the same display columns.
    const grid = t.filter((l) => l.includes(' │ '));
    const cols = (l: string) =>
      graphemes(l).reduce<{ at: number; seps: number[] }>(
        (acc, g) => {
          if (g === '│') acc.seps.push(acc.at);
          acc.at += stringWidth(g);
          return acc;
        },
        { at: 0, seps: [] },
      ).seps;
    const first = cols(grid[0] ?? '');
    for (const l of grid) assert.deepEqual(cols(l), first, `${what} @${width}: misaligned "${l}"`);
    return 'grid';
  }

  for (const [id, header] of [
    ['tour', /^node$/],
    ['failover', /^stage$/],
  ] as const) {
    it(`renders the ${id} lesson's table (first column "${header.source}") as aligned columns from ${SPLIT_120} wide`, () => {
      const table = tablesOf(byId(id)).find((t) => header.test(t.header[0] ?? ''));
      assert.ok(table, `${id} has a table whose first column matches ${header}`);
      assert.ok(SPLIT_120 >= 60);
      for (const width of [...WIDTHS, 33, SPLIT_120, 79, 100]) {
        const kind = checkTable(table.src, width, table.where);
        if (width >= SPLIT_120) assert.equal(kind, 'grid', `${table.where} @${width}: a grid was expected`);
      }
    });
  }

  it('renders every lesson table aligned, falling back to records only below the width its columns need', () => {
    const tables = lessons.flatMap(tablesOf);
    assert.ok(tables.length >= 3, `${tables.length} tables`);
    for (const table of tables) {
      let grid = false;
      for (let width = 16; width <= 110; width += 3) {
        const kind = checkTable(table.src, width, table.where);
        // Once wide enough for columns, every wider pane shows columns too.
        if (grid) assert.equal(kind, 'grid', `${table.where} @${width}: columns, then records again`);
        grid = kind === 'grid';
      }
      assert.ok(grid, `${table.where}: columns at 110`);
    }
  });

  it('fits and keeps every word of every step text, explanation and hint at many widths', () => {
    let n = 0;
    for (const lesson of lessons) {
      // As the pane shows them: placeholders filled, here from the lesson's topology on the moved port block
      // (16379…), whose longer ports make the widest command lines.
      const topology = buildTopology(lessonShape(lesson.topology), 16379, 'hosts');
      for (const raw of lesson.steps) {
        const step = fillStepText({ ...raw, goalText: raw.goalText ?? '' }, topology);
        const texts = [step.prose, step.explain ?? '', ...step.hints];
        for (const src of texts) assert.ok(!src.includes('{{'), `${lesson.id}/${step.id}: a placeholder left`);
        for (const width of [...WIDTHS, 24, 33, 64, 79, 100]) {
          for (const src of texts) {
            if (!src) continue;
            const lines = renderMarkdown(src, width);
            assertFits(lines, width, `${lesson.id}/${step.id}`);
            assertAllWords(src, lines, width, `${lesson.id}/${step.id}`);
            n++;
          }
        }
      }
    }
    assert.ok(n > 100, `checked ${n} renderings`);
  });

  it('renders hints as inline Markdown under a label with a hanging indent', () => {
    const lines = renderInline('Use `SENTINEL FAILOVER mymaster` on a Sentinel.', 24, {
      first: [{ text: 'Hint 1: ', style: 'info' }],
      rest: [{ text: '  ', style: 'plain' }],
    });
    assert.deepEqual(text(lines), ['Hint 1: Use SENTINEL', '  FAILOVER mymaster on a', '  Sentinel.']);
  });
});

describe('renderMarkdown: generated documents', () => {
  // A small seeded generator (mulberry32), so a failure names a reproducible seed.
  function rng(seed: number) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const WORDS = [
    'redis-1',
    'sentinel',
    'down-after-milliseconds',
    '+switch-master',
    'quorum',
    'a',
    'NOREPLICAS',
    '127.0.2.3:6381',
    '主服务',
    '重启后会被授权为从服务',
    'ÉCOLE',
    'x',
    'min-replicas-to-write',
    'averyveryveryveryveryverylongtokenwithoutanyspace',
  ];

  it('never exceeds the width and never loses a word, over 400 random documents', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const r = rng(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
      const words = (n: number) =>
        Array.from({ length: n }, () => {
          const w = pick(WORDS);
          const k = r();
          return k < 0.1 ? `\`${w}\`` : k < 0.15 ? `**${w}**` : k < 0.2 ? `*${w}*` : w;
        }).join(' ');
      const blocks: string[] = [];
      const count = 1 + Math.floor(r() * 5);
      for (let b = 0; b < count; b++) {
        const kind = Math.floor(r() * 7);
        if (kind === 0) blocks.push(`# ${words(3)}`);
        else if (kind === 1) blocks.push(`- ${words(6)}\n  - ${words(5)}\n- ${words(4)}`);
        else if (kind === 2) blocks.push(`> ${words(10)}`);
        else if (kind === 3) blocks.push(`\`\`\`\n${words(8)}\n\`\`\``);
        else if (kind === 4) blocks.push(`| ${words(2)} | ${words(1)} |\n|---|---|\n| ${words(5)} | ${words(2)} |`);
        else if (kind === 5) blocks.push(`1. ${words(7)}\n2. ${words(3)}`);
        else blocks.push(`${words(12)} "${pick(WORDS)}${pick(WORDS)}主服务重启后会被授权为从服务" (${words(4)}).`);
      }
      const src = blocks.join('\n\n');
      const width = 10 + Math.floor(r() * 90);
      const lines = renderMarkdown(src, width);
      assertFits(lines, width, `seed ${seed}`);
      assertAllWords(src, lines, width, `seed ${seed}`);
    }
  });
});
