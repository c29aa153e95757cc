// The learner's path, proved in the real app: tmux runs `redis-sentinel-lab --lesson <id>` over a real cluster and
// this test walks every step of every lesson, switching the terminal between 120x35 and 160x45 on each step (one
// cluster run per lesson serves both sizes). On every step, at both sizes, the lesson pane must show the goal and
// the first hint in full after `i` (and again after the resize), and the whole step, paged through with PgUp/PgDn
// once its goal is met, must have no raw `|---|` table rule, no unfilled placeholder, no raw backticks and no line
// that ends in a cut word. Predictions are answered with a number key and their outcome must show; `P` plays the
// solution, `n` moves on, and at the end `e` exports the run. Then noreplicas is completed from the screen alone:
// no P, no v; the keys, nodes, keys and values come from the step text and first hint as captured. A walk that
// fails adds every Sentinel's event lines from its log to the error: the timeline a timing failure needs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listRunDirs } from '../../src/cluster/process/run-dir.js';
import { buildTopology, type Topology } from '../../src/cluster/topology.js';
import { detectNetworkMode } from '../../src/deployments/loopback.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { fillPlaceholders, fillStepText } from '../../src/lessons/placeholders.js';
import { startLesson } from '../../src/lessons/runner.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { isWaitFor } from '../../src/lessons/schema.js';
import { lessonShape } from '../../src/lessons/shape.js';
import {
  cutWords,
  findLessonPane,
  knownWords,
  liveDetailLines,
  type PaneView,
  plain,
  RAW_TABLE_RULE,
  squash,
} from '../helpers/lesson-screen.js';
import { EXIT_MARK, hasTmux, TuiRun } from './tui-driver.js';

const SIZES = [
  [120, 35],
  [160, 45],
] as const;
type Size = (typeof SIZES)[number];

const lessons = await loadAllLessons();
const mode = await detectNetworkMode();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const runs: TuiRun[] = [];
after(async () => {
  for (const r of runs) await r.stop();
});

/**
 * One lesson in the real app. Its working directory (where `e` writes the export) is the run's own, inside the temp
 * root that stop(), or the run's watchdog if the runner kills this file, removes.
 */
async function open(lesson: Lesson, size: Size): Promise<{ run: TuiRun; topology: Topology }> {
  if (!hasTmux()) assert.fail('tmux is not installed; this test drives the real TUI in tmux (apt-get install tmux)');
  const run = await TuiRun.start({
    columns: size[0],
    rows: size[1],
    sandbox: false,
    args: ['--lesson', lesson.id],
  });
  runs.push(run);
  const topology = buildTopology(lessonShape(lesson.topology), run.basePort, mode);
  await run.waitFor(
    (s) => s.includes('● ready') && (findLessonPane(s, size[0], size[1])?.lines.join('\n') ?? '').includes('Step 1/'),
    90_000,
    `${lesson.id} ready, on its first step`,
  );
  return { run, topology };
}

/** The terminal to this size, and the app redrawn for it (its lesson pane where the layout puts it). */
async function resize(run: TuiRun, size: Size): Promise<string> {
  run.tmux(['resize-window', '-t', 's', '-x', String(size[0]), '-y', String(size[1])]);
  return run.waitFor(
    (s) => {
      const lines = s.split('\n');
      return lines.length >= size[1] && findLessonPane(s, size[0], size[1]) !== undefined;
    },
    10_000,
    `the app redrawn at ${size[0]}x${size[1]}`,
  );
}

const pane = (run: TuiRun, size: Size): PaneView | undefined => findLessonPane(run.capture(), size[0], size[1]);
const windowText = (v: PaneView | undefined) => (v ? v.lines.join('\n') : '');

/**
 * The lesson pane once it satisfies `ok` in two captures in a row. A terminal can be captured while a frame is
 * still being written (the border's ▲ count already new, the lines below still the old page): a page read from
 * such a capture lands at the wrong offset (seen once in CI: a step's text stitched from two pages).
 */
async function waitPane(run: TuiRun, size: Size, ok: (text: string, v: PaneView) => boolean, ms: number, what: string) {
  let last: PaneView | undefined;
  let previous: string | undefined;
  await run.waitFor(
    (s) => {
      last = findLessonPane(s, size[0], size[1]);
      const key = last && ok(windowText(last), last) ? JSON.stringify(last) : undefined;
      const stable = key !== undefined && key === previous;
      previous = key;
      return stable;
    },
    ms,
    what,
  );
  return last as PaneView;
}

/** Pages through the whole step (PgUp to its top, then PgDn), each page placed at its offset. */
async function wholeStep(run: TuiRun, size: Size, where: string): Promise<string[]> {
  // A live line (a goal's running count: "9 NOREPLICAS errors" becoming "10") can rewrap while the pages are read,
  // moving every line below it. Pages read across such a change do not fit together: start again, a few times.
  for (let attempt = 1; ; attempt++) {
    const doc = await readPages(run, size, where);
    if (doc) return doc;
    assert.ok(attempt < 5, `${where}: the step kept changing length while it was paged through`);
  }
}

/** One pass from the top to the bottom; undefined when the document's length changed on the way. */
async function readPages(run: TuiRun, size: Size, where: string): Promise<string[] | undefined> {
  let v = await waitPane(run, size, () => true, 5000, `${where}: the lesson pane`);
  for (let i = 0; v.top > 0; i++) {
    assert.ok(i < 60, `${where}: PgUp never reached the top`);
    const before = v.top;
    run.send('PPage');
    v = await waitPane(run, size, (_, x) => x.top !== before, 5000, `${where}: PgUp`);
  }
  const length = (x: PaneView) => x.top + x.lines.length + x.below;
  const total = length(v);
  const doc: string[] = [];
  for (let page = 0; ; page++) {
    if (length(v) !== total) return undefined;
    for (const [i, l] of v.lines.entries()) doc[v.top + i] = l.trimEnd();
    if (v.below === 0) break;
    assert.ok(page < 60, `${where}: endless paging`);
    const before = v.top;
    run.send('NPage');
    v = await waitPane(run, size, (_, x) => x.top !== before, 5000, `${where}: PgDn`);
  }
  assert.ok(
    doc.every((l) => l !== undefined),
    `${where}: a line was never shown`,
  );
  return doc;
}

/** The whole-step checks: nothing raw, nothing unfilled, no line ending in a cut word. */
function checkDocument(doc: string[], known: ReadonlySet<string>, where: string): void {
  const text = doc.join('\n');
  assert.ok(!RAW_TABLE_RULE.test(text), `${where}: raw table rule\n${text}`);
  assert.ok(!text.includes('{{'), `${where}: a placeholder shown unfilled\n${text}`);
  assert.ok(!text.includes('`'), `${where}: raw code-span backticks\n${text}`);
  const cut = cutWords(doc, known, liveDetailLines(doc));
  assert.deepEqual(cut, [], `${where}: ${cut.join('; ')}, not a word of the step\n${text}`);
}

/** Longest a step's solution may take: its waits and its own timeout, plus `slackMs` for Sentinel and the machine. */
function solutionBudgetMs(lesson: Lesson, index: number, slackMs = 60_000): number {
  const step = lesson.steps[index];
  const waits = (step?.solution ?? []).reduce((n, e) => n + (isWaitFor(e) ? e.timeoutMs : 0), 0);
  return waits + (step?.timeoutMs ?? 0) + slackMs;
}

/** Room beyond a raced step's own timeout before the walk calls an attempt a miss and tries again. */
const MISS_SLACK_MS = 15_000;

/** Walks every `of`-th lesson, starting at `shard` (the lessons are split over several files, each within the
 * runner's per-file timeout; interleaved so the long ones spread out). */
export function walkLessons(shard: number, of: number): void {
  for (const lesson of lessons.filter((_, i) => i % of === shard)) {
    describe(`lesson ${lesson.id} in the real TUI at 120x35 and 160x45`, () => {
      const budget = lesson.steps.reduce((n, s, i) => n + (solutionBudgetMs(lesson, i) + 20_000) * s.attempts, 120_000);
      it('every step: goal and first hint in full, nothing raw or cut, predictions answered, then exported', {
        timeout: budget,
      }, async () => {
        const { run, topology } = await open(lesson, SIZES[0]);
        try {
          await walk(lesson, run, topology);
        } catch (err) {
          // Sentinel's own account of what happened, for a failure that depends on its timing.
          // The reporter prints the stack, which was fixed when the error was made: add it there.
          if (err instanceof Error) err.stack = `${err.stack ?? err.message}\n\n${sentinelTimeline(run.runRoot)}`;
          throw err;
        }
      });
    });
  }
}

async function walk(lesson: Lesson, run: TuiRun, topology: Topology): Promise<void> {
  const views = startLesson(lesson).steps;
  for (const [index, step] of lesson.steps.entries()) {
    // Alternate which size comes first, so each size sees both the fresh step and the resize.
    const [first, second] = index % 2 === 0 ? [SIZES[0], SIZES[1]] : [SIZES[1], SIZES[0]];
    const where = (size: Size) => `${lesson.id}/${step.id} (step ${index + 1}) at ${size[0]}x${size[1]}`;
    await resize(run, first);
    const head = squash(`Step ${index + 1}/${lesson.steps.length}: ${fillPlaceholders(step.title, topology)}`);
    await waitPane(run, first, (t) => squash(t).includes(head), 60_000, `${where(first)}: its head`);

    const goalText = views[index]?.goalText ?? '';
    const shown = fillStepText({ ...step, goalText }, topology);
    const goal = `Goal:${squash(plain(shown.goalText))}`;
    const hint = shown.hints[0] ? `Hint1:${squash(plain(shown.hints[0]))}` : undefined;
    if (step.predict) await answerPrediction(run, first, where(first));
    if (hint) run.send('i');
    // After i: the goal and the first hint, whole, in the window (the pane brings them into view).
    const visible = (t: string) => squash(t).includes(goal) && (!hint || squash(t).includes(hint));
    let v = await waitPane(run, first, visible, 10_000, `${where(first)}: goal and first hint visible`);
    assert.ok(!RAW_TABLE_RULE.test(windowText(v)), `${where(first)}: raw table rule`);
    // Resized: the same lines stay in view.
    await resize(run, second);
    v = await waitPane(run, second, visible, 10_000, `${where(second)}: goal and first hint still visible`);

    v = await playUntilMet(run, lesson, index, second, where(second));
    if (step.predict) {
      // Brought into view with the goal's verdict (the autoscroll follows the frame that showed ✓ met).
      v = await waitPane(run, second, (t) => /You said:/.test(t), 5000, `${where(second)}: the outcome`);
    }
    const known = knownWords(step, goalText, topology, [lesson.title]);
    for (const size of [second, first]) {
      if (size !== second) await resize(run, size);
      checkDocument(await wholeStep(run, size, where(size)), known, where(size));
    }
    if (index < lesson.steps.length - 1) run.send('n');
  }

  // The end of every lesson: e exports the run (the failover timelines; the ledger only after a workload).
  await waitPane(run, SIZES[0], (t) => t.includes('✓ Lesson complete.'), 10_000, `${lesson.id}: complete`);
  run.send('e');
  const done = await run.waitFor((s) => /exporting the run: wrote /.test(s), 20_000, `${lesson.id}: exported`);
  assert.doesNotMatch(done, /exporting the run failed/);
  const md = readdirSync(run.cwd).find((f) => f.endsWith('.md'));
  assert.ok(md, `${lesson.id}: a Markdown report in ${run.cwd}`);
  assert.match(readFileSync(join(run.cwd, md), 'utf8'), /## Timeline/);

  run.send('q');
  const screen = await run.waitExited(60_000);
  assert.match(screen.split('\n').find((l) => l.startsWith(EXIT_MARK)) ?? '', / rc=0 /, screen);
  const left = run.leftovers();
  assert.deepEqual(left.processes, [], `${lesson.id}: processes left in ${run.runRoot}`);
  assert.deepEqual(left.runDirs, [], `${lesson.id}: run directory left`);
}

/** Answers the step's prediction with choice 1 (the first press brings the question into view when it is not). */
async function answerPrediction(run: TuiRun, size: Size, where: string): Promise<void> {
  run.send('1');
  await waitPane(run, size, (t) => t.includes('Predict first:'), 10_000, `${where}: the question`);
  const answered = (t: string) => squash(t).includes('←yourprediction');
  await run.waitFor(
    (s) => /Predict first: here is the question/.test(s) || answered(windowText(findLessonPane(s, size[0], size[1]))),
    5000,
    `${where}: 1 answers or shows the question`,
  );
  if (!answered(windowText(pane(run, size)))) run.send('1');
  await waitPane(run, size, answered, 10_000, `${where}: answer 1`);
}

/**
 * P, then the goal met. A step whose outcome a race decides (`attempts`) is tried again the way its hint tells the
 * learner: ctrl+r resets the lesson to a fresh cluster (the first step), or b then n enters the step again (a step
 * whose setup starts with a reset), then P again.
 */
async function playUntilMet(run: TuiRun, lesson: Lesson, index: number, size: Size, where: string) {
  const step = lesson.steps[index];
  const attempts = step?.attempts ?? 1;
  for (let attempt = 1; ; attempt++) {
    run.send('P');
    // An attempt that can still be retried is a miss soon after the step's own timeout, as in the headless check
    // (a miss waited the whole budget, 80 s for lesson 18's first step, and ran the shard past the runner's limit).
    const last = attempt >= attempts || step?.timeoutMs === undefined;
    try {
      return await waitPane(
        run,
        size,
        (t) => squash(t).includes('✓met'),
        solutionBudgetMs(lesson, index, last ? 60_000 : MISS_SLACK_MS),
        `${where}: the goal met after P (attempt ${attempt} of ${attempts})`,
      );
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
    if (index > 0) {
      // b then n: the previous step, then this one entered afresh (its setup resets the cluster and waits for it).
      run.send('b');
      await waitPane(run, size, (t) => t.includes(`Step ${index}/`), 10_000, `${where}: b, the previous step`);
      run.send('n');
      await waitPane(
        run,
        size,
        (t) => t.includes(`Step ${index + 1}/`) && !squash(t).includes('✓met') && !/setting up the step/.test(t),
        120_000,
        `${where}: n, the step entered again on a fresh cluster`,
      );
      if (step?.predict && !squash(windowText(pane(run, size))).includes('←yourprediction')) {
        await answerPrediction(run, size, where);
      }
      continue;
    }
    run.send('C-r');
    await run.waitFor((s) => s.includes('Reset the lesson?'), 5000, `${where}: the reset question`);
    run.send('y');
    // Done: the status line says so, the cluster is ready on its first master again, and step 1 is not met.
    await run.waitFor(
      (s) =>
        s.includes('resetting the lesson: done') &&
        s.includes('● ready') &&
        /\bmaster redis-1\b.*\blesson step 1\//.test(s.split('\n')[0] ?? '') &&
        !squash(windowText(findLessonPane(s, size[0], size[1]))).includes('✓met'),
      90_000,
      `${where}: the lesson reset`,
    );
    if (step?.predict && !squash(windowText(pane(run, size))).includes('←yourprediction')) {
      await answerPrediction(run, size, where);
    }
  }
}

/**
 * Every Sentinel's event lines (`+sdown`, `+switch-master`, `+convert-to-slave`…: the `#` and `*` lines of its log)
 * in each lab run under `runRoot`, the last `tail` of each.
 */
function sentinelTimeline(runRoot: string, tail = 60): string {
  const out: string[] = [];
  for (const runDir of listRunDirs(runRoot)) {
    let nodes: string[] = [];
    try {
      nodes = readdirSync(runDir)
        .filter((n) => n.startsWith('sentinel-'))
        .sort();
    } catch {}
    for (const s of nodes) {
      let text = '';
      try {
        // Where the lab's supervisor writes each node's output (src/deployments/local/local-deployment.ts).
        text = readFileSync(join(runDir, s, 'log.txt'), 'utf8');
      } catch {}
      const events = text.split('\n').filter((l) => / [#*] [+-]/.test(l));
      out.push(
        `--- ${s} (${basename(runDir)}), its last ${Math.min(tail, events.length)} events:`,
        ...events.slice(-tail),
      );
    }
  }
  return out.length ? out.join('\n') : `(no Sentinel logs under ${runRoot})`;
}

// ── noreplicas from the screen alone ───────────────────────────────────────────────────────────────────────────

/** A node's row in the topology pane: `▶ [R] redis-3    ■ stopped …`. */
function nodeRow(screen: string, id: string): string {
  return screen.split('\n').find((l) => new RegExp(`\\[[MRS?]\\] ${id} `).test(l)) ?? '';
}

const selectedNode = (screen: string) => /▶ \[[MRS?]\] ((?:redis|sentinel)-\d+)/.exec(screen)?.[1];

/** What a hint or step text asks for, read the way a learner reads it. */
interface Instructions {
  /** "Stop redis-3, redis-4 and redis-5 (select each, then s)": the key and the nodes. */
  nodes?: { key: string; ids: string[] };
  write?: { client: 'A' | 'B'; key?: string; value?: string };
  read?: { client: 'A' | 'B'; key: string };
}

export function readInstructions(text: string): Instructions {
  const t = text.replace(/\s+/g, ' ');
  const out: Instructions = {};
  const nodes = /((?:redis-\d+(?:, | and )?)+) \((?:select each, then (\S)|(\S) on each)\)/.exec(t);
  const nodeKey = nodes?.[2] ?? nodes?.[3];
  if (nodes?.[1] && nodeKey) out.nodes = { key: nodeKey, ids: nodes[1].match(/redis-\d+/g) ?? [] };
  const write = /\bwrite as client ([AB])/i.exec(t);
  if (write?.[1]) {
    const client = write[1] as 'A' | 'B';
    const kv = /\bkey (\S+) and value (\S+?)[.,;]?(?: |$)/.exec(t) ?? /\b(\w+) = (\w+)\b/.exec(t);
    out.write = { client, ...(kv?.[1] && kv[2] ? { key: kv[1], value: kv[2] } : {}) };
  }
  const read = /\bRead (\S+) as client ([AB])/.exec(t);
  if (read?.[1] && read[2]) out.read = { key: read[1], client: read[2] as 'A' | 'B' };
  return out;
}

/** noreplicas completed from the screen alone, and the instruction reader it uses. */
export function noreplicasFromScreen(): void {
  describe('noreplicas, from what the screen says (no P, no v)', () => {
    it('every step finished with the keys and literals the step text and first hint show', {
      timeout: 300_000,
    }, async () => {
      const lesson = lessons.find((l) => l.id === 'noreplicas');
      assert.ok(lesson, 'the noreplicas lesson');
      const size = SIZES[1];
      const { run } = await open(lesson, size);
      let lastKey: string | undefined;
      let lastValue: string | undefined;

      const select = async (id: string) => {
        for (let i = 0; i < 12 && selectedNode(run.capture()) !== id; i++) {
          const before = selectedNode(run.capture());
          run.send('j');
          await run.waitFor((s) => selectedNode(s) !== before, 5000, `selection moves from ${before}`);
        }
        assert.equal(selectedNode(run.capture()), id, `${id} selected`);
      };
      /** Types into the prompt the key opened, as the learner would, after checking it acts as `client`. */
      const command = async (keyName: 'w' | 'r', client: 'A' | 'B', key: string, value?: string) => {
        const verb = keyName === 'w' ? 'SET' : 'GET';
        run.send(keyName);
        let s = await run.waitFor((x) => new RegExp(`client [AB] ${verb} — key`).test(x), 5000, `${verb} prompt`);
        if (!s.includes(`client ${client} ${verb} — key`)) {
          run.send('Escape');
          await run.waitFor((x) => !x.includes(`${verb} — key`), 5000, 'prompt closed');
          run.send('c');
          await sleep(200);
          run.send(keyName);
          s = await run.waitFor((x) => x.includes(`client ${client} ${verb} — key`), 5000, `client ${client} prompt`);
        }
        run.send(key, true);
        run.send('Enter');
        if (value !== undefined) {
          await run.waitFor((x) => x.includes(`SET ${key} — value`), 5000, 'value prompt');
          run.send(value, true);
          run.send('Enter');
        }
        await run.waitFor((x) => !/— (key|value)/.test(x.split('\n').at(-2) ?? ''), 5000, 'prompt closed');
      };
      const met = () => squash(windowText(pane(run, size))).includes('✓met');

      for (const [index] of lesson.steps.entries()) {
        const where = `noreplicas step ${index + 1}`;
        await waitPane(run, size, (t) => squash(t).includes(`Step${index + 1}/`), 60_000, `${where}: shown`);
        // A prediction first: any answer will do; it is the learner's guess.
        let text = windowText(pane(run, size));
        if (/Predict first:/.test(text)) {
          run.send('2');
          await waitPane(run, size, (t) => squash(t).includes('←yourprediction'), 10_000, `${where}: answered`);
        }
        run.send('i');
        const v = await waitPane(run, size, (t) => /Hint 1:/.test(t), 10_000, `${where}: first hint`);
        text = windowText(v);
        const hint = text.slice(text.indexOf('Hint 1:')).replace(/\d+ more hints?: press i[\s\S]*$/, '');
        const todo = readInstructions(hint);
        assert.ok(todo.nodes || todo.write || todo.read, `${where}: the hint says what to do:\n${hint}`);

        if (todo.nodes) {
          for (const id of todo.nodes.ids) {
            await select(id);
            const before = nodeRow(run.capture(), id);
            run.send(todo.nodes.key);
            await run.waitFor((s) => nodeRow(s, id) !== before, 15_000, `${where}: ${todo.nodes.key} on ${id}`);
          }
        }
        const deadline = Date.now() + 60_000;
        while (!met()) {
          assert.ok(Date.now() < deadline, `${where}: not met after following "${hint}"\n${run.capture()}`);
          if (todo.write) {
            lastKey = todo.write.key ?? lastKey;
            lastValue = todo.write.value ?? lastValue;
            assert.ok(lastKey && lastValue, `${where}: a key and value to write, from the screen`);
            await command('w', todo.write.client, lastKey, lastValue);
          } else if (todo.read) {
            lastKey = todo.read.key;
            await command('r', todo.read.client, todo.read.key);
          }
          // As the hints say: keep writing until the master's answer changes.
          for (let i = 0; i < 20 && !met(); i++) await sleep(100);
        }
        if (index < lesson.steps.length - 1) run.send('n');
      }
      await waitPane(run, size, (t) => t.includes('✓ Lesson complete.'), 10_000, 'noreplicas complete');
      run.send('q');
      await run.waitExited(60_000);
      assert.deepEqual(run.leftovers().processes, []);
    });
  });

  describe('reading instructions off the screen', () => {
    it('finds the key, nodes, client, key and value a hint names', () => {
      assert.deepEqual(readInstructions('Hint 1: Write as client A (w) with key age and value 222. With four…'), {
        write: { client: 'A', key: 'age', value: '222' },
      });
      assert.deepEqual(
        readInstructions(
          'Hint 1: Stop redis-3, redis-4 and redis-5 (select each, then s), then write as client A again, for\n  example age = 333.',
        ),
        {
          nodes: { key: 's', ids: ['redis-3', 'redis-4', 'redis-5'] },
          write: { client: 'A', key: 'age', value: '333' },
        },
      );
      assert.deepEqual(readInstructions('Hint 1: Read age as client A (r).'), { read: { key: 'age', client: 'A' } });
    });
  });
}
