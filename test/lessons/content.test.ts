// The learner-facing content rules of `lesson check`: no traps (every literal a goal checks is in the step's own
// text or first hint), no references to material the learner lacks, valid placeholders, solutions the keys can do.
// Checked on lesson folders written to a temp dir, through the same loader `lesson check` uses.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { goalLiterals } from '../../src/lessons/content.js';
import { formatProblem } from '../../src/lessons/issues.js';
import { checkAllLessons } from '../../src/lessons/loader.js';
import type { Goal } from '../../src/lessons/schema.js';
import { PREDICT } from './fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-content-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// biome-ignore lint/suspicious/noExplicitAny: lesson documents are edited freely to build each case.
type Doc = Record<string, any>;

/** The noreplicas lesson's first two steps, as issue #11 found them: step 1 never says which key or value. */
function noreplicas(): { doc: Doc; files: Record<string, string> } {
  return {
    doc: {
      format: 1,
      id: 'guard',
      title: 'Guard',
      summary: 'Writes need good replicas.',
      topology: { redis: 5, sentinels: 3, 'min-slaves-to-write': 2, 'min-slaves-max-lag': 10 },
      steps: [
        {
          id: 'write',
          title: 'Write something',
          text: 'write.md',
          goal: { clientResult: { client: 'A', command: 'write', key: 'age', value: '222', ok: true } },
          hints: ['Any key will do.', 'Write age = 222.'],
          solution: [{ kind: 'write', client: 'A', key: 'age', value: '222' }],
        },
        {
          id: 'freeze',
          title: 'Freeze them',
          text: 'freeze.md',
          goal: {
            all: [
              { processState: { node: 'redis-3', state: 'frozen' } },
              { processState: { node: 'redis-5', state: 'frozen' } },
              { clientResult: { client: 'A', command: 'write', errorPrefix: 'NOREPLICAS' } },
            ],
          },
          hints: ['Freeze them and keep writing.'],
          predict: PREDICT,
          solution: [{ kind: 'freeze', node: 'redis-3' }],
        },
      ],
    },
    files: {
      'write.md': '# Write something\n\nWrite something as client A to see that all is well.\n',
      'freeze.md': '# Freeze them\n\nFreeze the same three replicas and write as client A. When is it refused?\n',
    },
  };
}

let n = 0;
async function problemsOf(doc: Doc, files: Record<string, string>): Promise<string[]> {
  const root = join(tmp, `root-${++n}`);
  const dir = join(root, `01-${doc.id}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lesson.yaml'), stringify(doc));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = await checkAllLessons(root);
  return r.problems.map(formatProblem);
}

describe('no traps', () => {
  it('refuses a goal whose key, value, nodes or error the step never names, with the file and the field', async () => {
    const { doc, files } = noreplicas();
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[0].goal.clientResult.key: the goal checks "age" but the step\'s text (write.md) or its first hint never says it, so a learner cannot know it',
      '01-guard/lesson.yaml: steps[0].goal.clientResult.value: the goal checks "222" but the step\'s text (write.md) or its first hint never says it, so a learner cannot know it',
      '01-guard/lesson.yaml: steps[1].goal.all[0].processState.node: the goal checks "redis-3" but the step\'s text (freeze.md) or its first hint never says it, so a learner cannot know it',
      '01-guard/lesson.yaml: steps[1].goal.all[1].processState.node: the goal checks "redis-5" but the step\'s text (freeze.md) or its first hint never says it, so a learner cannot know it',
      '01-guard/lesson.yaml: steps[1].goal.all[2].clientResult.errorPrefix: the goal checks "NOREPLICAS" but the step\'s text (freeze.md) or its first hint never says it, so a learner cannot know it',
    ]);
  });

  it('accepts the same lesson once the text or the first hint says them (ranges of nodes included)', async () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite `age` = `222` as client A.\n';
    doc.steps[1].hints = ['Freeze redis-3..redis-5, then write as client A until you get NOREPLICAS.'];
    assert.deepEqual(await problemsOf(doc, files), []);
  });

  it('looks only at the first hint: a literal revealed by a later hint is still a trap', async () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite something as client A.\n';
    doc.steps[1].hints = ['Freeze redis-3..redis-5, then write as client A until you get NOREPLICAS.'];
    const problems = await problemsOf(doc, files);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /steps\[0\]\.goal\.clientResult\.key: the goal checks "age"/);
  });

  it("counts the prediction's question and choices as shown, but not its explanation", async () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite `age` = `222` as client A.\n';
    files['freeze.md'] = '# Freeze\n\nFreeze them and write as client A until NOREPLICAS.\n';
    doc.steps[1].hints = ['Freeze them.'];
    doc.steps[1].predict = {
      question: 'redis-3 and redis-4 freeze. When is the write refused?',
      choices: [{ text: 'At once' }, { text: 'After 10 s', correct: true }],
      explain: 'And redis-5 too.',
    };
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[1].goal.all[1].processState.node: the goal checks "redis-5" but the step\'s text (freeze.md) or its first hint never says it, so a learner cannot know it',
    ]);
    doc.steps[1].predict.choices[0].text = 'At once, by redis-5';
    assert.deepEqual(await problemsOf(doc, files), []);
  });

  it('does not count a node named only inside a placeholder (the learner sees an address there)', async () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite `age` = `222` as client A.\n';
    files['freeze.md'] = '# Freeze\n\nFreeze `{{cli redis-3}}`, redis-4 and redis-5, write as client A: NOREPLICAS.\n';
    doc.steps[1].hints = ['Freeze them.'];
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[1].goal.all[0].processState.node: the goal checks "redis-3" but the step\'s text (freeze.md) or its first hint never says it, so a learner cannot know it',
    ]);
  });

  it('asks a workload goal to check the client the text names, and solutions to use no rate the keys lack', async () => {
    const doc: Doc = {
      format: 1,
      id: 'work',
      title: 'Work',
      summary: 'Client B writes.',
      topology: { redis: 3, sentinels: 3 },
      steps: [
        {
          id: 'start',
          title: 'Start it',
          text: 'start.md',
          goal: { workload: { running: true, acknowledgedAtLeast: 8 } },
          hints: ['Start the workload.'],
          solution: [{ kind: 'workload-start', client: 'B', ratePerSec: 4 }],
          predict: PREDICT,
        },
      ],
    };
    const files = { 'start.md': "# Start\n\nStart client B's workload, 4 writes per second.\n" };
    assert.deepEqual(await problemsOf(doc, files), [
      '01-work/lesson.yaml: steps[0].goal.workload.acknowledgedAtLeast: the goal checks "8" but the step\'s text (start.md) or its first hint never says it, so a learner cannot know it',
      "01-work/lesson.yaml: steps[0].goal.workload: the text asks for client B's workload; add client: B so the goal checks it",
      '01-work/lesson.yaml: steps[0].solution[0].ratePerSec: the workload key starts the workload at the engine default rate and cannot choose one; drop ratePerSec so the solution does what the learner can',
    ]);
    doc.steps[0].goal = { workload: { running: true, client: 'B', acknowledgedAtLeast: 8 } };
    doc.steps[0].solution = [{ kind: 'workload-start', client: 'B' }];
    assert.deepEqual(
      await problemsOf(doc, { 'start.md': "# Start\n\nStart client B's workload; wait for 8 writes.\n" }),
      [],
    );
  });

  it('collects every literal kind: clients, channels, counts (two = 2), durations (4.5 s = 4500 ms)', () => {
    const goal: Goal = {
      all: [
        { eventSeen: { channel: '+promoted-slave', minCount: 2 } },
        { failoverTook: { atMostMs: 4500 } },
        { not: { eventSeen: { channel: '+odown', subject: 'redis-1' } } },
        { ledger: { lostAtLeast: 1, lossWindowAtMostMs: 12000 } },
      ],
      holdMs: 3000,
    };
    const lits = goalLiterals(goal).map((l) => l.shown);
    // holdMs is how long to wait, and a count of 1 is what "a write" already says: neither is required.
    assert.deepEqual(lits, ['+promoted-slave', '2', '4.5 s', '+odown', 'redis-1', '12 s']);
    const found = (text: string) =>
      goalLiterals(goal)
        .filter((l) => l.found({ raw: text, nodes: new Set(/redis-1\b/.test(text) ? ['redis-1'] : []) }))
        .map((l) => l.shown);
    assert.deepEqual(found('two +promoted-slave within 4.5 s, no +odown for redis-1, lost within 12 seconds'), lits);
    assert.deepEqual(found('+promoted-slave-ish 20 and 4500 milliseconds, -odown, redis-10, 120 s'), ['4.5 s']);
  });
});

describe('a wait for a failover', () => {
  function killLesson(timeoutMs: number, before: Doc = { kind: 'kill', node: 'redis-1' }): Doc {
    return {
      format: 1,
      id: 'kill',
      title: 'Kill',
      summary: 'The master dies.',
      topology: { redis: 3, sentinels: 3, downAfterMs: 1500, failoverTimeoutMs: 10000 },
      steps: [
        {
          id: 'kill',
          title: 'Kill redis-1',
          text: 'kill.md',
          goal: { masterIsNot: 'redis-1' },
          hints: ['Kill redis-1.'],
          predict: PREDICT,
          solution: [before, { waitFor: { all: [{ masterIsNot: 'redis-1' }, { sentinelsAgree: true }] }, timeoutMs }],
        },
      ],
    };
  }
  const files = { 'kill.md': '# Kill\n\nKill redis-1 and watch.\n' };

  it('right after the kill, allows for one split vote (2 x failover-timeout more), naming the field', async () => {
    assert.deepEqual(await problemsOf(killLesson(20000), files), [
      '01-kill/lesson.yaml: steps[0].solution[1].timeoutMs: this waits for a failover for 20 s; allow 30.5 s: when the first election splits the vote, Sentinel tries again 2 x failover-timeout (10 s) later',
    ]);
    assert.deepEqual(await problemsOf(killLesson(30500), files), []);
  });

  it("finds the failover inside all/any and in its channels, and uses the engine's timing where the lesson has none", async () => {
    const doc = killLesson(20000);
    delete doc.topology.downAfterMs;
    delete doc.topology.failoverTimeoutMs;
    doc.steps[0].solution[1].waitFor = {
      any: [{ tilt: { sentinel: 'sentinel-1', on: true } }, { eventSeen: { channel: '+switch-master' } }],
    };
    // Defaults: down-after 1000, failover-timeout 10000.
    assert.deepEqual(await problemsOf(doc, files), [
      '01-kill/lesson.yaml: steps[0].solution[1].timeoutMs: this waits for a failover for 20 s; allow 30 s: when the first election splits the vote, Sentinel tries again 2 x failover-timeout (10 s) later',
    ]);
  });

  it('leaves waits alone that follow no fault, or wait for something else than the failover', async () => {
    assert.deepEqual(await problemsOf(killLesson(5000, { kind: 'restart', node: 'redis-2' }), files), []);
    const doc = killLesson(5000);
    doc.steps[0].solution[1].waitFor = { roleOf: { node: 'redis-2', role: 'replica' } };
    assert.deepEqual(await problemsOf(doc, files), []);
    // Waiting for no switch (a failover that must not happen) is not waiting for a failover.
    doc.steps[0].solution[1].waitFor = { not: { eventSeen: { channel: '+switch-master' } } };
    assert.deepEqual(await problemsOf(doc, files), []);
  });
});

describe('a step tried again (attempts)', () => {
  it('must be first (ctrl+r returns there) or reset in its setup, and a hint must say how to try again', async () => {
    const { doc, files } = noreplicas();
    doc.steps[0].goal = { clientResult: { client: 'A', command: 'write', key: 'age', value: '222', ok: true } };
    doc.steps[0].hints = ['Write age = 222 as client A.'];
    doc.steps[1].attempts = 3;
    files['write.md'] = '# Write something\n\nWrite age = 222 as client A.\n';
    files['freeze.md'] = '# Freeze them\n\nFreeze redis-3 and redis-5, then write as client A until NOREPLICAS.\n';
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[1].attempts: a step tried again needs a fresh cluster each time: put it first in the lesson (ctrl+r resets to the first step) or start its setup with { kind: reset }',
      '01-guard/lesson.yaml: steps[1].hints: the outcome may not come (attempts: 3); add a hint that says how to try again (b then n enters the step again)',
    ]);
    doc.steps[1].setup = [{ kind: 'reset' }];
    doc.steps[1].hints.push('No NOREPLICAS? Press b then n to enter this step again on a fresh cluster.');
    assert.deepEqual(await problemsOf(doc, files), []);
    // The first step: ctrl+r is how.
    doc.steps[0].attempts = 2;
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[0].hints: the outcome may not come (attempts: 2); add a hint that says how to try again (ctrl+r resets the lesson)',
    ]);
    doc.steps[0].hints.push('Nothing? Reset the lesson (ctrl+r) and try again.');
    assert.deepEqual(await problemsOf(doc, files), []);
  });
});

describe('references the learner does not have', () => {
  const good = () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite `age` = `222` as client A.\n';
    doc.steps[1].hints = ['Freeze redis-3..redis-5, then write as client A until you get NOREPLICAS.'];
    return { doc, files };
  };

  it('refuses the facts note, section numbers, experiment labels and internal notes, naming file and field', async () => {
    const { doc, files } = good();
    files['freeze.md'] = '# Freeze\n\nSee §4.4.\n\nThe facts note measured it (E5).\n';
    doc.steps[0].explain = 'As our internal notes say.';
    doc.steps[1].hints.push('Like experiment E6.');
    doc.summary = 'From redis-sentinel-facts.md.';
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: summary: refers to a file outside the lesson ("redis-sentinel-facts"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/lesson.yaml: steps[0].explain: refers to internal notes ("internal notes"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/freeze.md: steps[1].text: line 5 refers to the facts note ("facts note"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/freeze.md: steps[1].text: line 3 refers to a section number (§) ("§"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/freeze.md: steps[1].text: line 5 refers to an experiment label (E1, E6…) ("E5"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/lesson.yaml: steps[1].hints[1]: refers to an experiment label (E1, E6…) ("E6"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/lesson.yaml: steps[1].hints[1]: refers to an experiment label ("experiment E6"), which the learner does not have; state the fact and cite redis.io or the Redis source',
    ]);
  });

  it('refuses a Markdown line that starts with "+ " (a wrapped plus sign becomes a bullet), but not in code', async () => {
    const { doc, files } = good();
    files['freeze.md'] =
      '# Freeze\n\nAbout min(`min-replicas-max-lag`, `repl-timeout`)\n+ 1 s.\n\n```\n+ 1 in a code block\n```\n\nA +sdown\n+sdown again.\n';
    doc.steps[0].explain = 'After the cut:\n\n  + the replicas stop.';
    doc.steps[1].hints.push('+ 1 s in a hint is plain text.');
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[0].explain: line 3 starts with "+ ", which Markdown shows as a list bullet, without the plus sign; keep the "+" off the start of the line (lists use "-")',
      '01-guard/freeze.md: steps[1].text: line 4 starts with "+ ", which Markdown shows as a list bullet, without the plus sign; keep the "+" off the start of the line (lists use "-")',
    ]);
  });

  it('refuses unknown placeholders and placeholders naming a node the lesson does not have', async () => {
    const { doc, files } = good();
    files['freeze.md'] = '# Freeze\n\n{{cli redis-9}} and {{shell redis-1}} and {{cli}} and {{ port sentinel-1 }} }}\n';
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/freeze.md: steps[1].text: line 3: placeholder {{cli redis-9}} names "redis-9", which is not a node of this lesson',
      '01-guard/freeze.md: steps[1].text: line 3: unknown placeholder kind "shell" (expected one of cli, addr, ip, port, natport)',
      '01-guard/freeze.md: steps[1].text: line 3: "{{cli}}" is not a placeholder; write {{<kind> <node>}} with kind one of cli, addr, ip, port, natport',
      '01-guard/freeze.md: steps[1].text: line 3: unmatched "}}": a placeholder is {{<kind> <node>}} on one line',
    ]);
  });
});

describe('predict, then observe', () => {
  const base = () => {
    const { doc, files } = noreplicas();
    files['write.md'] = '# Write something\n\nWrite `age` = `222` as client A.\n';
    doc.steps[1].hints = ['Freeze redis-3..redis-5, then write as client A until you get NOREPLICAS.'];
    return { doc, files };
  };

  it('accepts a lesson with a prediction before its decisive step', async () => {
    const { doc, files } = base();
    assert.deepEqual(await problemsOf(doc, files), []);
  });

  it('refuses a lesson that asks no prediction at all', async () => {
    const { doc, files } = base();
    delete doc.steps[1].predict;
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps: no step asks a prediction: add a predict block (question, 2-4 choices, explain) to the step whose action decides the lesson, so the learner predicts before observing',
    ]);
  });

  it('refuses a prediction on a step whose goal already holds, and checks its text like any other', async () => {
    const { doc, files } = base();
    doc.steps[0] = {
      ...doc.steps[0],
      alreadySolved: true,
      predict: { ...PREDICT, explain: 'See §4 and {{cli redis-9}}.' },
    };
    assert.deepEqual(await problemsOf(doc, files), [
      '01-guard/lesson.yaml: steps[0].predict.explain: refers to a section number (§) ("§"), which the learner does not have; state the fact and cite redis.io or the Redis source',
      '01-guard/lesson.yaml: steps[0].predict.explain: placeholder {{cli redis-9}} names "redis-9", which is not a node of this lesson',
      '01-guard/lesson.yaml: steps[0].predict: the goal already holds when this step starts, so the outcome would answer the question before it is asked; ask it on the step whose action decides it',
    ]);
  });

  it('refuses fewer than 2 or more than 4 choices, none marked correct, or the same choice twice', async () => {
    const { doc, files } = base();
    const bad = (predict: Doc) => {
      doc.steps[1].predict = predict;
      return problemsOf(doc, files);
    };
    assert.deepEqual(await bad({ ...PREDICT, choices: [{ text: 'Only', correct: true }] }), [
      '01-guard/lesson.yaml: steps[1].predict.choices: a prediction needs 2 to 4 choices',
    ]);
    const five = ['a', 'b', 'c', 'd', 'e'].map((text) => ({ text, correct: text === 'a' }));
    assert.deepEqual(await bad({ ...PREDICT, choices: five }), [
      '01-guard/lesson.yaml: steps[1].predict.choices: a prediction needs 2 to 4 choices',
    ]);
    assert.deepEqual(await bad({ ...PREDICT, choices: [{ text: 'This' }, { text: 'That' }] }), [
      '01-guard/lesson.yaml: steps[1].predict.choices: mark at least one choice correct: true',
    ]);
    assert.deepEqual(await bad({ ...PREDICT, choices: [{ text: 'Same', correct: true }, { text: 'same ' }] }), [
      '01-guard/lesson.yaml: steps[1].predict.choices[1].text: same text as choices[0]',
    ]);
    assert.deepEqual(await bad({ ...PREDICT, answer: 1 }), [
      '01-guard/lesson.yaml: steps[1].predict.answer: unknown field "answer"',
    ]);
  });
});
