// The lesson format: valid documents parse (aliases included), invalid ones fail with one exact line per problem.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { formatProblem } from '../../src/lessons/issues.js';
import { ACTION_KINDS, type LessonDoc } from '../../src/lessons/schema.js';
import { lessonShape } from '../../src/lessons/shape.js';
import { markdownPathProblem } from '../../src/lessons/tokens.js';
import { validateLessonDoc, validateLessonText } from '../../src/lessons/validate.js';

const FOLDER = '02-noreplicas';

// biome-ignore lint/suspicious/noExplicitAny: raw YAML documents are edited freely to build invalid cases.
type RawDoc = Record<string, any>;

/** A minimal valid lesson; `patch` edits a deep copy. */
function lesson(patch: (doc: RawDoc) => void = () => {}): RawDoc {
  const doc: RawDoc = {
    format: 1,
    id: 'noreplicas',
    title: 'NOREPLICAS',
    summary: 'Writes need good replicas.',
    topology: { redis: 5, sentinels: 3 },
    steps: [
      {
        id: 'stop-three',
        title: 'Stop three replicas',
        text: 'stop-three.md',
        goal: { clientResult: { client: 'A', command: 'write', errorPrefix: 'NOREPLICAS' } },
        solution: [
          { kind: 'stop', node: 'redis-3' },
          { waitFor: { goodReplicas: { node: 'redis-1', atMost: 1 } }, timeoutMs: 15000 },
        ],
      },
    ],
  };
  patch(doc);
  return doc;
}

function problems(doc: unknown): string[] {
  return validateLessonDoc(doc, FOLDER).problems.map(formatProblem);
}

function problemsOfText(text: string): string[] {
  return validateLessonText(text, FOLDER).problems.map(formatProblem);
}

describe('valid lessons', () => {
  it('parse, with defaults filled in', () => {
    const v = validateLessonDoc(lesson(), FOLDER);
    assert.deepEqual(v.problems, []);
    const step = v.doc?.steps[0];
    assert.deepEqual(step?.setup, []);
    assert.deepEqual(step?.hints, []);
    assert.equal(step?.alreadySolved, false);
  });

  it("accept the note's config names as aliases and map them to the engine's shape", () => {
    const v = validateLessonDoc(
      lesson((d) => {
        d.topology = {
          redis: 5,
          sentinels: 3,
          'min-slaves-to-write': 2,
          'min-slaves-max-lag': 10,
          'down-after': 1000,
          'failover-timeout': 10000,
          withoutMasterauth: ['redis-1'],
          clients: { B: { host: 'host-3', target: 'redis-1' } },
        };
      }),
      FOLDER,
    );
    assert.deepEqual(v.problems, []);
    const t = v.doc?.topology as LessonDoc['topology'];
    assert.equal(t.minReplicasToWrite, 2);
    assert.equal(t.minReplicasMaxLagSec, 10);
    assert.deepEqual(lessonShape(t), {
      redis: 5,
      sentinels: 3,
      sentinel: { downAfterMs: 1000, failoverTimeoutMs: 10000 },
      replication: { minReplicasToWrite: 2, minReplicasMaxLagSec: 10 },
      withoutMasterauth: ['redis-1'],
      clients: { B: { host: 'host-3', target: { kind: 'node', node: 'redis-1' } } },
    });
  });

  it('accept every action kind the keyboard has', () => {
    const actions = [
      { kind: 'kill', node: 'redis-1' },
      { kind: 'stop', node: 'redis-2' },
      { kind: 'freeze', node: 'sentinel-1' },
      { kind: 'thaw', node: 'sentinel-1' },
      { kind: 'restart', node: 'redis-2' },
      { kind: 'partition', groups: [['host-1', 'host-2'], ['host-3']], mode: 'reject' },
      { kind: 'isolate', host: 'host-3' },
      { kind: 'cut', from: 'host-1', to: 'host-2' },
      { kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 200, jitterMs: 20, bothWays: true },
      { kind: 'bandwidth', from: 'outside', to: 'host-1', bytesPerSec: 10000 },
      { kind: 'heal', fault: 'f1' },
      { kind: 'heal-all' },
      { kind: 'write', client: 'A', key: 'age', value: '222' },
      { kind: 'read', client: 'B', key: 'age' },
      { kind: 'workload-start', client: 'B', ratePerSec: 4 },
      { kind: 'workload-stop' },
      { kind: 'wait', client: 'B', key: 'order', value: '2', replicas: 1, timeoutMs: 1000 },
      { kind: 'failover', sentinel: 'sentinel-2' },
      { kind: 'ckquorum', sentinel: 'sentinel-3' },
      { kind: 'sentinel-set', option: 'down-after-milliseconds', value: 300 },
      { kind: 'sentinel-reset', sentinel: 'sentinel-1' },
      { kind: 'server-failover', node: 'redis-1', to: 'redis-2', timeoutMs: 5000 },
      { kind: 'min-replicas', toWrite: 1, maxLagSec: 10, node: 'redis-3' },
      { kind: 'masterauth', node: 'redis-1', enabled: true },
      { kind: 'replica-priority', node: 'redis-3', priority: 10 },
      { kind: 'reset' },
      { kind: 'nat', host: 'host-3', enabled: true },
      { kind: 'announce-port', node: 'sentinel-3', published: true },
      { kind: 'persistence', node: 'redis-1', enabled: true },
      { kind: 'sentinel-password', sentinel: 'sentinel-2', enabled: false },
      { kind: 'decommission', node: 'redis-3' },
      { kind: 'heartbeat', running: true, everyMs: 250 },
      { kind: 'client-target', client: 'B', target: 'redis-2' },
    ];
    assert.deepEqual(
      actions.map((a) => a.kind),
      ACTION_KINDS,
    );
    // A solution holds at most 30 entries: check them in two steps.
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.steps[0].solution = actions.slice(0, 20);
          d.steps.push({ ...d.steps[0], id: 'the-rest', solution: actions.slice(20) });
        }),
      ),
      [],
    );
  });

  it('parse YAML text', () => {
    assert.deepEqual(problemsOfText(stringify(lesson())), []);
  });
});

describe('invalid lessons', () => {
  it('name an unknown node with the exact path', () => {
    const doc = lesson((d) => {
      for (let i = 1; i < 4; i++) d.steps.push({ ...d.steps[0], id: `s${i}` });
      d.steps[3].goal = { roleOf: { node: 'redis-9', role: 'master' } };
    });
    assert.deepEqual(problems(doc), ['02-noreplicas/lesson.yaml: steps[3].goal.roleOf.node: unknown node "redis-9"']);
  });

  it('reject unknown fields (typos) everywhere', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.titel = 'x';
          d.topology.sentinals = 3;
          d.steps[0].goal = { all: [{ masterIz: 'redis-1' }] };
          d.steps[0].solution[0].nod = 'redis-1';
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: topology.sentinals: unknown field "sentinals"',
        '02-noreplicas/lesson.yaml: steps[0].goal.all[0].masterIz: unknown field "masterIz"',
        '02-noreplicas/lesson.yaml: steps[0].solution[0].nod: unknown field "nod"',
        '02-noreplicas/lesson.yaml: titel: unknown field "titel"',
      ],
    );
  });

  it('reject wrong types and missing fields', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.topology.redis = 'five';
          delete d.steps[0].title;
          d.steps[0].goal = { sentinelsAgree: 'yes' };
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: topology.redis: redis must be a whole number',
        '02-noreplicas/lesson.yaml: steps[0].title: missing required field',
        '02-noreplicas/lesson.yaml: steps[0].goal.sentinelsAgree: expected boolean, got string "yes"',
      ],
    );
  });

  it('reject an unknown action kind and list the known ones', () => {
    const [p] = problems(lesson((d) => (d.steps[0].solution = [{ kind: 'explode', node: 'redis-1' }])));
    assert.match(
      p ?? '',
      /^02-noreplicas\/lesson\.yaml: steps\[0\]\.solution\[0\]\.kind: unknown action kind "explode" \(expected one of: kill, stop, /,
    );
  });

  it('report the right branch of a waitFor entry', () => {
    assert.deepEqual(problems(lesson((d) => (d.steps[0].solution = [{ waitFor: { masterIs: 'redis-1' } }]))), [
      '02-noreplicas/lesson.yaml: steps[0].solution[0].timeoutMs: missing required field',
    ]);
  });

  it('need exactly one predicate per goal object', () => {
    assert.deepEqual(problems(lesson((d) => (d.steps[0].goal = { masterIs: 'redis-1', sentinelsAgree: true }))), [
      '02-noreplicas/lesson.yaml: steps[0].goal: a goal holds exactly one predicate, found masterIs and sentinelsAgree; combine them with all/any',
    ]);
  });

  it('reject absurd numbers', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.topology = { redis: 11, sentinels: 3, downAfterMs: -5 };
          d.steps[0].goal = { masterIs: 'redis-1', holdMs: 600_001 };
          d.steps[0].solution = [{ kind: 'sentinel-set', option: 'quorum', value: 12 }];
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: topology.redis: redis must be at most 10: a master and at most 9 replicas',
        '02-noreplicas/lesson.yaml: topology.downAfterMs: downAfterMs must be at least 100 ms',
        '02-noreplicas/lesson.yaml: steps[0].goal.holdMs: holdMs must be at most 600000 ms (10 min)',
        '02-noreplicas/lesson.yaml: steps[0].solution[0].value: quorum must be between 1 and 9',
      ],
    );
  });

  it('reject settings that are fine alone but absurd together', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.topology = {
            redis: 3,
            sentinels: 3,
            quorum: 4,
            minReplicasToWrite: 3,
            replTimeoutSec: 2,
            replPingReplicaPeriodSec: 2,
          };
          d.steps[0].solution = [{ kind: 'sentinel-set', option: 'quorum', value: 4 }];
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: topology.quorum: quorum 4 is more than the 3 Sentinels: no master could ever be declared down',
        '02-noreplicas/lesson.yaml: topology.minReplicasToWrite: 3 good replicas required but the topology has 2: no write could ever succeed',
        '02-noreplicas/lesson.yaml: topology.replPingReplicaPeriodSec: repl-ping-replica-period (2 s) must stay below repl-timeout (2 s), or links time out while idle',
        '02-noreplicas/lesson.yaml: steps[0].solution[0].value: quorum 4 is more than the 3 Sentinels',
      ],
    );
    assert.deepEqual(problems(lesson((d) => (d.topology = { redis: 3, sentinels: 1 }))), [
      '02-noreplicas/lesson.yaml: topology.sentinels: the default quorum 2 needs at least 2 Sentinels; set quorum: 1 or add Sentinels',
    ]);
  });

  it('check the mechanism predicates: priorities, config epochs and WAIT answers the topology can give', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.topology = { redis: 3, sentinels: 3 };
          d.steps[0].goal = {
            all: [
              { replicaPriority: { node: 'redis-4', priority: 0 } },
              { configEpoch: { sentinel: 'sentinel-1', atLeast: 2, atMost: 1 } },
              { clientResult: { client: 'B', command: 'write', waitReplicas: 3 } },
            ],
          };
          d.steps[0].solution = [];
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: steps[0].goal.all[0].replicaPriority.node: unknown node "redis-4"',
        '02-noreplicas/lesson.yaml: steps[0].goal.all[1].configEpoch: configEpoch: the lower bound 2 is above the upper bound 1',
        '02-noreplicas/lesson.yaml: steps[0].goal.all[2].clientResult.waitReplicas: WAIT can never answer 3: the topology has 2 replicas',
      ],
    );
    assert.deepEqual(problems(lesson((d) => (d.steps[0].goal = { configEpoch: { sentinel: 'sentinel-1' } }))), [
      '02-noreplicas/lesson.yaml: steps[0].goal.configEpoch: configEpoch needs at least one of: atLeast, atMost',
    ]);
  });

  it('reject an alias given together with its canonical name', () => {
    assert.deepEqual(
      problems(lesson((d) => Object.assign(d.topology, { minReplicasToWrite: 1, 'min-slaves-to-write': 2 }))),
      [
        '02-noreplicas/lesson.yaml: topology.min-slaves-to-write: minReplicasToWrite and min-slaves-to-write name the same setting; give only one',
      ],
    );
  });

  it('reject path traversal and absolute paths', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.steps.push(
            { ...d.steps[0], id: 'b', text: '/etc/passwd.md' },
            { ...d.steps[0], id: 'c', text: 'notes.txt' },
          );
          d.steps[0].text = '../01-tour/look.md';
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: steps[0].text: path traversal ("..") is not allowed; the file must be inside the lesson folder',
        '02-noreplicas/lesson.yaml: steps[1].text: absolute paths are not allowed; use a path relative to the lesson folder',
        '02-noreplicas/lesson.yaml: steps[2].text: must name a Markdown file ending in .md',
      ],
    );
    assert.equal(
      markdownPathProblem('sub/.hidden.md'),
      'path segments may only contain letters, digits and . _ - and must not start with a dot',
    );
    assert.equal(
      markdownPathProblem('C:/x.md'),
      'absolute paths are not allowed; use a path relative to the lesson folder',
    );
    assert.equal(markdownPathProblem('a\\..\\b.md'), 'use forward slashes in paths');
    assert.equal(markdownPathProblem('steps/one.md'), undefined);
  });

  it('reject shell metacharacters, spaces and newlines in config- and command-bound strings', () => {
    const bad = ['re dis', 'redis\nrequirepass x', 'a;rm -rf', '"quoted"', '$(id)', 'x#comment'];
    for (const value of bad) {
      const ps = problems(
        lesson((d) => {
          d.topology.password = value;
          d.topology.masterName = value;
          d.steps[0].solution = [{ kind: 'write', client: 'A', key: value, value }];
        }),
      );
      assert.deepEqual(
        ps,
        [
          '02-noreplicas/lesson.yaml: topology.password: password may only contain letters, digits and . _ - (it is written into a config file)',
          '02-noreplicas/lesson.yaml: topology.masterName: masterName may only contain letters, digits and . _ - (it is written into a config file)',
          '02-noreplicas/lesson.yaml: steps[0].solution[0].key: key may only contain letters, digits and . _ : - (no spaces, quotes, newlines or shell characters)',
          '02-noreplicas/lesson.yaml: steps[0].solution[0].value: value may only contain letters, digits and . _ : - (no spaces, quotes, newlines or shell characters)',
        ],
        `value ${JSON.stringify(value)}`,
      );
    }
  });

  it('reject titles split over lines', () => {
    assert.deepEqual(problems(lesson((d) => (d.title = 'two\nlines'))), [
      '02-noreplicas/lesson.yaml: title: title must be a single line',
    ]);
  });

  it('reject unknown channels, with a suggestion', () => {
    assert.deepEqual(problems(lesson((d) => (d.steps[0].goal = { eventSeen: { channel: '+sdwon' } }))), [
      '02-noreplicas/lesson.yaml: steps[0].goal.eventSeen.channel: unknown Sentinel channel "+sdwon" (did you mean "+sdown"?)',
    ]);
  });

  it('check clientLatest.afterEvent like eventSeen: known channel, a node of the lesson', () => {
    const goal = (afterEvent: Record<string, string>) => ({ clientLatest: { client: 'B', afterEvent } });
    assert.deepEqual(problems(lesson((d) => (d.steps[0].goal = goal({ channel: '+rebot', subject: 'redis-1' })))), [
      '02-noreplicas/lesson.yaml: steps[0].goal.clientLatest.afterEvent.channel: unknown Sentinel channel "+rebot" (did you mean "+reboot"?)',
    ]);
    const unknown = problems(lesson((d) => (d.steps[0].goal = goal({ channel: '+reboot', subject: 'redis-9' }))));
    assert.equal(unknown.length, 1);
    assert.match(unknown[0]!, /^02-noreplicas\/lesson\.yaml: steps\[0\]\.goal\.clientLatest\.afterEvent\.subject: /);
    const extra = problems(lesson((d) => (d.steps[0].goal = goal({ channel: '+reboot', node: 'redis-1' }))));
    assert.equal(extra.length, 1);
    assert.match(extra[0]!, /afterEvent/);
  });

  it('reject script goals on events the script never receives, unless negated', () => {
    assert.deepEqual(
      problems(lesson((d) => (d.steps[0].goal = { notificationSeen: { channel: '+slave-reconf-sent' } }))),
      [
        '02-noreplicas/lesson.yaml: steps[0].goal.notificationSeen.channel: +slave-reconf-sent is not a warning-level event, so the notification script never sees it',
      ],
    );
    assert.deepEqual(
      problems(lesson((d) => (d.steps[0].goal = { not: { notificationSeen: { channel: '+slave-reconf-sent' } } }))),
      [],
    );
  });

  it('reject holdMs inside a combinator', () => {
    assert.deepEqual(problems(lesson((d) => (d.steps[0].goal = { all: [{ masterIs: 'redis-1', holdMs: 10 }] }))), [
      '02-noreplicas/lesson.yaml: steps[0].goal.all[0].holdMs: holdMs is only allowed on the outermost goal of a step or waitFor',
    ]);
  });

  it('check hosts and Sentinels that actions name', () => {
    assert.deepEqual(
      problems(
        lesson((d) => {
          d.topology = { redis: 3, sentinels: 3 };
          d.steps[0].goal = { masterIs: 'redis-1' };
          d.steps[0].solution = [
            { kind: 'isolate', host: 'host-7' },
            { kind: 'partition', groups: [['host-1'], ['host-1', 'host-2']] },
            { kind: 'failover', sentinel: 'sentinel-4' },
            { kind: 'masterauth', node: 'redis-4', enabled: true },
            { kind: 'kill', node: 'sentinel-9' },
          ];
        }),
      ),
      [
        '02-noreplicas/lesson.yaml: steps[0].solution[0].host: unknown host "host-7"',
        '02-noreplicas/lesson.yaml: steps[0].solution[1].groups: host "host-1" is in both group 0 and group 1',
        '02-noreplicas/lesson.yaml: steps[0].solution[2].sentinel: unknown node "sentinel-4"',
        '02-noreplicas/lesson.yaml: steps[0].solution[3].node: unknown node "redis-4"',
        '02-noreplicas/lesson.yaml: steps[0].solution[4].node: unknown node "sentinel-9"',
      ],
    );
  });

  it('reject duplicate step ids and a folder that does not match the id', () => {
    assert.deepEqual(problems(lesson((d) => d.steps.push({ ...d.steps[0] }))), [
      '02-noreplicas/lesson.yaml: steps[1].id: duplicate step id "stop-three" (also steps[0])',
    ]);
    assert.deepEqual(validateLessonDoc(lesson(), '03-other').problems.map(formatProblem), [
      '03-other/lesson.yaml: id: id "noreplicas" must match the folder name "03-other" without its number ("other")',
    ]);
  });

  it('reject an unsupported format version and YAML errors', () => {
    assert.deepEqual(problems(lesson((d) => (d.format = 2))), [
      '02-noreplicas/lesson.yaml: format: unsupported format version; this lab reads format: 1',
    ]);
    assert.deepEqual(problemsOfText('format: 1\nformat: 1\n'), [
      '02-noreplicas/lesson.yaml: YAML syntax error at line 2, column 1: Map keys must be unique',
    ]);
  });
});
