// Placeholders: lesson text names nodes, the lesson pane shows the running lab's real addresses, so every command a
// lesson shows works when pasted into a shell (the port block moves when 6379 is taken).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology } from '../../src/cluster/topology.js';
import { fillPlaceholders, fillStepText, placeholderProblems } from '../../src/lessons/placeholders.js';
import { reduceLesson, startLesson } from '../../src/lessons/runner.js';
import { edit, healthy, makeLesson } from './fixtures.js';

const at6379 = buildTopology({ redis: 5, sentinels: 3 }, 6379, 'hosts');
const at16379 = buildTopology({ redis: 5, sentinels: 3 }, 16379, 'hosts');

describe('fillPlaceholders', () => {
  it("gives each node's redis-cli line, address, ip and port from the running topology", () => {
    const text = '`{{cli redis-1}} INFO replication` · {{addr redis-3}} · {{ip redis-3}} · {{port redis-3}}';
    assert.equal(
      fillPlaceholders(text, at6379),
      '`redis-cli -h 127.0.2.1 -p 6379 -a redis INFO replication` · 127.0.2.3:6381 · 127.0.2.3 · 6381',
    );
    assert.equal(
      fillPlaceholders(text, at16379),
      '`redis-cli -h 127.0.2.1 -p 16379 -a redis INFO replication` · 127.0.2.3:16381 · 127.0.2.3 · 16381',
    );
  });

  it('gives Sentinels no password (they have none in the lab) and follows the topology on a single IP', () => {
    assert.equal(fillPlaceholders('{{cli sentinel-2}}', at6379), 'redis-cli -h 127.0.2.2 -p 6480');
    const single = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'single-ip');
    assert.equal(fillPlaceholders('{{ cli redis-2 }}', single), 'redis-cli -h 127.0.0.1 -p 6380 -a redis');
  });

  it('leaves what it does not know as written (lesson check refuses it before it ships)', () => {
    assert.equal(
      fillPlaceholders('{{cli redis-9}} {{shell redis-1}} plain', at6379),
      '{{cli redis-9}} {{shell redis-1}} plain',
    );
    const nodes = new Set(['redis-1', 'sentinel-1']);
    assert.deepEqual(placeholderProblems('ok {{cli redis-1}}\n{{cli redis-2}}', nodes), [
      { line: 2, message: 'placeholder {{cli redis-2}} names "redis-2", which is not a node of this lesson' },
    ]);
    assert.deepEqual(placeholderProblems('{{cli redis-1', nodes), [
      { line: 1, message: 'unmatched "{{": a placeholder is {{<kind> <node>}} on one line' },
    ]);
  });

  it('fills prose, goal text, hints and explanation of a step, and keeps a step without placeholders as it is', () => {
    const step = {
      prose: '{{cli redis-1}}',
      goalText: 'g {{port redis-1}}',
      hints: ['{{ip redis-2}}'],
      explain: '{{addr redis-1}}',
    };
    assert.deepEqual(fillStepText(step, at6379), {
      prose: 'redis-cli -h 127.0.2.1 -p 6379 -a redis',
      goalText: 'g 6379',
      hints: ['127.0.2.2'],
      explain: '127.0.2.1:6379',
    });
    const plain = { prose: 'p', goalText: 'g', hints: ['h'] };
    assert.equal(fillStepText(plain, at6379), plain);
  });

  it("fills a prediction's question, choices and explanation, and keeps it when there is nothing to fill", () => {
    const predict = {
      question: 'What will {{cli redis-3}} GET age answer?',
      choices: [
        { text: '"222" from {{addr redis-3}}', correct: true },
        { text: '(nil)', correct: false },
      ],
      explain: 'Port {{port redis-3}}.',
    };
    const step = { prose: 'p', goalText: 'g', hints: [], predict };
    assert.deepEqual(fillStepText(step, at6379).predict, {
      question: 'What will redis-cli -h 127.0.2.3 -p 6381 -a redis GET age answer?',
      choices: [
        { text: '"222" from 127.0.2.3:6381', correct: true },
        { text: '(nil)', correct: false },
      ],
      explain: 'Port 6381.',
    });
    const plain = { ...step, predict: { ...predict, question: 'q', choices: [predict.choices[1]!], explain: 'e' } };
    assert.equal(fillStepText(plain, at6379), plain);
  });
});

describe('the runner fills placeholders when a step starts', () => {
  it('from the LabState topology, so the lesson pane shows commands that work', () => {
    const lesson = makeLesson([
      {
        goal: { masterIsNot: 'redis-1' },
        hints: ['Run {{cli sentinel-1}} SENTINEL CKQUORUM mymaster'],
        explain: 'Then {{cli redis-2}} ROLE',
      },
    ]);
    const s0 = startLesson(lesson);
    assert.equal(s0.steps[0]?.hints[0], 'Run {{cli sentinel-1}} SENTINEL CKQUORUM mymaster');
    const lab = edit(healthy(), (d) => {
      d.topology = at16379;
    });
    const s1 = reduceLesson(s0, { type: 'step-entered', state: lab, now: 0 });
    assert.equal(s1?.steps[0]?.hints[0], 'Run redis-cli -h 127.0.2.1 -p 16479 SENTINEL CKQUORUM mymaster');
    assert.equal(s1?.steps[0]?.explain, 'Then redis-cli -h 127.0.2.2 -p 16380 -a redis ROLE');
  });
});
