// Invalid and malicious lesson files: every one is refused with a problem naming the file and the field, never a
// crash. Checked with checkAllLessons on temp folders, and end to end through `lesson run <folder> --headless`.
// Every hostile case must come back as a problem naming the file and the field, never as an exception.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { formatProblem } from '../../src/lessons/issues.js';
import { checkAllLessons } from '../../src/lessons/loader.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-lessons-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const FOLDER = '01-evil';
const FILE = `${FOLDER}/lesson.yaml`;

// biome-ignore lint/suspicious/noExplicitAny: hostile documents are deliberately untyped
type Doc = Record<string, any>;

function baseDoc(): Doc {
  return {
    format: 1,
    id: 'evil',
    title: 'Evil',
    summary: 'A hostile lesson',
    topology: { redis: 3, sentinels: 3 },
    steps: [
      {
        id: 'one',
        title: 'One',
        text: 'one.md',
        goal: { converged: true },
        solution: [{ kind: 'kill', node: 'redis-2' }],
        // Every lesson asks at least one prediction (lesson check's predict-then-observe rule).
        predict: {
          question: 'What happens?',
          choices: [{ text: 'This', correct: true }, { text: 'That' }],
          explain: 'This.',
        },
      },
    ],
  };
}

let n = 0;
/** A lessons root holding one folder `01-evil` with the (mutated) document, `one.md` and any extra files. */
function lessonRoot(opts: { mutate?: (d: Doc) => void; raw?: string; files?: Record<string, string> }): string {
  const root = join(tmp, `root-${++n}`);
  const dir = join(root, FOLDER);
  mkdirSync(dir, { recursive: true });
  const doc = baseDoc();
  opts.mutate?.(doc);
  writeFileSync(join(dir, 'lesson.yaml'), opts.raw ?? stringify(doc));
  writeFileSync(join(dir, 'one.md'), '# One\n');
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return root;
}

async function problemsOf(root: string): Promise<string[]> {
  const r = await checkAllLessons(root);
  assert.equal(r.lessons.length, r.problems.length ? 0 : 1);
  return r.problems.map(formatProblem);
}

/** The lesson is refused with a problem on `path` (exactly) whose message matches `message`. */
async function assertRefused(root: string, path: string, message: RegExp): Promise<void> {
  const problems = await problemsOf(root);
  const prefix = path ? `${FILE}: ${path}: ` : `${FILE}: `;
  assert.ok(
    problems.some((p) => p.startsWith(prefix) && message.test(p.slice(prefix.length))),
    `expected a problem "${prefix}…${message.source}", got:\n${problems.join('\n') || '(none: the lesson was accepted)'}`,
  );
}

const step = (d: Doc) => d.steps[0] as Doc;

interface Case {
  name: string;
  mutate?: (d: Doc) => void;
  raw?: string;
  files?: Record<string, string>;
  path: string;
  message: RegExp;
}

const cases: Case[] = [
  // Unknown fields (a typo must not be silently ignored).
  { name: 'unknown top-level field', mutate: (d) => (d.colour = 'red'), path: 'colour', message: /unknown field/ },
  {
    name: 'unknown topology field',
    mutate: (d) => (d.topology.replicas = 4),
    path: 'topology.replicas',
    message: /unknown field "replicas"/,
  },
  {
    name: 'unknown step field',
    mutate: (d) => (step(d).hintz = ['x']),
    path: 'steps[0].hintz',
    message: /unknown field/,
  },
  {
    name: 'unknown action field',
    mutate: (d) => (step(d).solution = [{ kind: 'kill', node: 'redis-2', force: true }]),
    path: 'steps[0].solution[0].force',
    message: /unknown field "force"/,
  },
  {
    name: '__proto__ key (no prototype pollution)',
    mutate: (d) => Object.defineProperty(d, '__proto__', { value: { polluted: true }, enumerable: true }),
    path: '__proto__',
    message: /unknown field/,
  },
  // Wrong types.
  {
    name: 'redis: "five"',
    mutate: (d) => (d.topology.redis = 'five'),
    path: 'topology.redis',
    message: /whole number/,
  },
  { name: 'steps: a string', mutate: (d) => (d.steps = 'many'), path: 'steps', message: /./ },
  { name: 'title: a number', mutate: (d) => (d.title = 42), path: 'title', message: /./ },
  {
    name: 'goal predicate of the wrong type',
    mutate: (d) => (step(d).goal = { converged: 'yes' }),
    path: 'steps[0].goal.converged',
    message: /./,
  },
  { name: 'format: 2', mutate: (d) => (d.format = 2), path: 'format', message: /unsupported format/ },
  // Absurd numbers.
  {
    name: 'a million Redis nodes',
    mutate: (d) => (d.topology.redis = 1_000_000),
    path: 'topology.redis',
    message: /at most 10/,
  },
  {
    name: 'negative Sentinels',
    mutate: (d) => (d.topology.sentinels = -1),
    path: 'topology.sentinels',
    message: /at least 0/,
  },
  {
    name: 'downAfterMs 1e12',
    mutate: (d) => (d.topology.downAfterMs = 1e12),
    path: 'topology.downAfterMs',
    message: /at most 600000 ms/,
  },
  {
    name: 'fractional step timeout',
    mutate: (d) => (d.stepTimeoutMs = 1500.5),
    path: 'stepTimeoutMs',
    message: /whole number of milliseconds/,
  },
  {
    name: 'ratePerSec: .inf',
    raw: stringify(baseDoc()).replace(
      /solution:\n(\s+)- kind: kill\n\s+node: redis-2/,
      'solution:\n$1- { kind: workload-start, client: A, ratePerSec: .inf }',
    ),
    path: 'steps[0].solution[0].ratePerSec',
    message: /./,
  },
  {
    name: 'latencyMs: .nan',
    raw: stringify(baseDoc()).replace(
      /solution:\n(\s+)- kind: kill\n\s+node: redis-2/,
      'solution:\n$1- { kind: latency, from: host-1, to: host-2, latencyMs: .nan }',
    ),
    path: 'steps[0].solution[0].latencyMs',
    message: /./,
  },
  {
    name: 'quorum above the Sentinel count',
    mutate: (d) => (d.topology.quorum = 5),
    path: 'topology.quorum',
    message: /quorum 5 is more than the 3 Sentinels/,
  },
  {
    name: 'sentinel-set quorum 1e300',
    mutate: (d) => (step(d).solution = [{ kind: 'sentinel-set', option: 'quorum', value: 1e300 }]),
    path: 'steps[0].solution[0].value',
    message: /./,
  },
  {
    name: 'waitFor timeout of 11 days',
    mutate: (d) => (step(d).solution = [{ waitFor: { converged: true }, timeoutMs: 1e9 }]),
    path: 'steps[0].solution[0].timeoutMs',
    message: /at most 600000 ms/,
  },
  // Path traversal in the referenced Markdown.
  {
    name: 'text: ../../etc/passwd',
    mutate: (d) => (step(d).text = '../../etc/passwd'),
    path: 'steps[0].text',
    message: /path traversal/,
  },
  {
    name: 'text: /etc/passwd',
    mutate: (d) => (step(d).text = '/etc/passwd'),
    path: 'steps[0].text',
    message: /absolute paths are not allowed/,
  },
  {
    name: 'text: sub/../../../etc/motd.md',
    mutate: (d) => (step(d).text = 'sub/../../../etc/motd.md'),
    path: 'steps[0].text',
    message: /path traversal/,
  },
  {
    name: 'text with backslashes',
    mutate: (d) => (step(d).text = '..\\..\\etc\\passwd.md'),
    path: 'steps[0].text',
    message: /forward slashes/,
  },
  {
    name: 'text: a hidden file',
    mutate: (d) => (step(d).text = '.secret.md'),
    path: 'steps[0].text',
    message: /must not start with a dot/,
  },
  {
    name: 'text: a Markdown file larger than 256 KB',
    mutate: (d) => (step(d).text = 'big.md'),
    files: { 'big.md': 'x'.repeat(300 * 1024) },
    path: 'steps[0].text',
    message: /larger than 256 KB/,
  },
  // Values that reach a config file or a Redis command: quotes, newlines, spaces, shell metacharacters.
  {
    name: 'password with a quote and a newline (directive injection)',
    mutate: (d) => (d.topology.password = 'redis"\nreplicaof 1.2.3.4 6379'),
    path: 'topology.password',
    message: /may only contain letters, digits/,
  },
  {
    name: 'masterName with a space',
    mutate: (d) => (d.topology.masterName = 'my master'),
    path: 'topology.masterName',
    message: /may only contain letters, digits/,
  },
  {
    name: 'masterName with shell metacharacters',
    mutate: (d) => (d.topology.masterName = 'x;rm -rf /'),
    path: 'topology.masterName',
    message: /may only contain letters, digits/,
  },
  {
    name: 'password $(reboot)',
    mutate: (d) => (d.topology.password = '$(reboot)'),
    path: 'topology.password',
    message: /may only contain/,
  },
  {
    name: 'password starting with # (a comment in redis.conf)',
    mutate: (d) => (d.topology.password = '#nopass'),
    path: 'topology.password',
    message: /may only contain/,
  },
  {
    name: 'write value with a newline',
    mutate: (d) => (step(d).solution = [{ kind: 'write', client: 'A', key: 'k', value: 'v\r\nFLUSHALL' }]),
    path: 'steps[0].solution[0].value',
    message: /no spaces, quotes, newlines or shell characters/,
  },
  {
    name: 'write key with a space',
    mutate: (d) => (step(d).solution = [{ kind: 'write', client: 'A', key: 'a b', value: 'v' }]),
    path: 'steps[0].solution[0].key',
    message: /no spaces/,
  },
  {
    name: 'heal fault id with a semicolon',
    mutate: (d) => (step(d).solution = [{ kind: 'heal', fault: 'f1;reboot' }]),
    path: 'steps[0].solution[0].fault',
    message: /./,
  },
  {
    name: 'node id with a path',
    mutate: (d) => (step(d).solution = [{ kind: 'kill', node: '../redis-1' }]),
    path: 'steps[0].solution[0].node',
    message: /must be a node id/,
  },
  {
    name: 'client host with a shell command',
    mutate: (d) => (d.topology.clients = { A: { host: 'host-1; reboot', target: 'sentinel' } }),
    path: 'topology.clients.A.host',
    message: /must be a host id/,
  },
  {
    name: 'placement on an unknown node',
    mutate: (d) => (d.topology.placement = { 'redis-9': 'host-1' }),
    path: 'topology.placement.redis-9',
    message: /unknown node "redis-9"/,
  },
  {
    name: 'lesson id with a path',
    mutate: (d) => (d.id = '../../evil'),
    path: 'id',
    message: /lowercase words joined by dashes/,
  },
  {
    name: 'title with a newline',
    mutate: (d) => (d.title = 'Evil\nreplicaof 1.2.3.4 6379'),
    path: 'title',
    message: /single line/,
  },
  // YAML-level attacks.
  {
    name: 'duplicate keys',
    raw: `${stringify(baseDoc())}title: Again\n`,
    path: '',
    message: /YAML syntax error.*[Mm]ap keys must be unique/,
  },
];

describe('hostile lesson files are refused, naming file and field', () => {
  for (const c of cases) {
    it(c.name, async () => {
      await assertRefused(lessonRoot(c), c.path, c.message);
    });
  }

  it('text: a symlink inside the folder pointing at /etc/passwd', async () => {
    const root = lessonRoot({ mutate: (d) => (step(d).text = 'evil.md') });
    symlinkSync('/etc/passwd', join(root, FOLDER, 'evil.md'));
    await assertRefused(root, 'steps[0].text', /resolves outside the lesson folder/);
  });

  it('text: a directory named like Markdown', async () => {
    const root = lessonRoot({ mutate: (d) => (step(d).text = 'dir.md') });
    mkdirSync(join(root, FOLDER, 'dir.md'));
    await assertRefused(root, 'steps[0].text', /is not a file/);
  });

  it('text: a FIFO (would block a reader forever) is refused without opening it', async () => {
    const root = lessonRoot({ mutate: (d) => (step(d).text = 'fifo.md') });
    const r = spawnSync('mkfifo', [join(root, FOLDER, 'fifo.md')]);
    if (r.status !== 0) return;
    await assertRefused(root, 'steps[0].text', /is not a file/);
  });

  it('lesson.yaml larger than 256 KB is refused unparsed', async () => {
    const root = lessonRoot({ raw: `# ${'x'.repeat(300 * 1024)}\n${stringify(baseDoc())}` });
    await assertRefused(root, '', /larger than 256 KB/);
  });

  it('the accepted base document really is valid (so each case above fails for its own reason)', async () => {
    assert.deepEqual(await problemsOf(lessonRoot({})), []);
  });
});

describe('validation holes (src/lessons, reported to its owner)', () => {
  const bomb = [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
    'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
    'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
    'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    '',
  ].join('\n');

  it('a YAML alias bomb is a problem, not an exception', async () => {
    await assertRefused(lessonRoot({ raw: bomb + stringify(baseDoc()) }), '', /alias/i);
  });

  it('a goal nested 700 deep is a problem, not a stack overflow', async () => {
    const goal = `${'{not: '.repeat(700)}{converged: true}${'}'.repeat(700)}`;
    const raw = stringify(baseDoc()).replace(/goal:\n\s+converged: true/, `goal: ${goal}`);
    await assertRefused(lessonRoot({ raw }), 'steps[0].goal', /./);
  });

  const ESC = '\u001b';
  it('terminal escape sequences in hints are refused', async () => {
    const root = lessonRoot({ mutate: (d) => (step(d).hints = [`${ESC}]52;c;cHduZWQ=\u0007${ESC}[2J hello`]) });
    await assertRefused(root, 'steps[0].hints[0]', /./);
  });

  it('terminal escape sequences in explain are refused', async () => {
    await assertRefused(
      lessonRoot({ mutate: (d) => (step(d).explain = `ok ${ESC}]0;pwned\u0007`) }),
      'steps[0].explain',
      /./,
    );
  });

  it('terminal escape sequences in step Markdown are refused', async () => {
    const root = lessonRoot({ mutate: (d) => (step(d).text = 'esc.md'), files: { 'esc.md': `# Hi ${ESC}[2J\n` } });
    await assertRefused(root, 'steps[0].text', /./);
  });

  it('C1 controls and bidi overrides in one-line fields are refused', async () => {
    await assertRefused(lessonRoot({ mutate: (d) => (d.title = 'a\u009b2Jb\u202e') }), 'title', /single line|control/);
  });
});

describe('through the real CLI: `lesson run <folder> --headless`', () => {
  const help = spawnSync(process.execPath, [
    '--import',
    'tsx',
    join(import.meta.dirname, '../../src/cli.ts'),
    'lesson',
    '--help',
  ]);
  const skip = help.status === 0 ? false : 'this build has no `lesson` command';

  // --redis-server /nonexistent: even if validation let a lesson through, no cluster could start.
  const run = (root: string) =>
    runCli(['lesson', 'run', join(root, FOLDER), '--headless', '--redis-server', '/nonexistent/redis-server'], {
      RSL_RUN_ROOT: join(tmp, 'runs'),
      RSL_CONFIG_DIR: join(tmp, 'config'),
    });

  it('config injection in the password: exit 1, file and field named', { skip }, async () => {
    const r = await run(lessonRoot({ mutate: (d) => (d.topology.password = 'redis"\nreplicaof 1.2.3.4 6379') }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /01-evil\/lesson\.yaml: topology\.password: password may only contain/);
    assert.doesNotMatch(r.stderr, /not an executable|hit a bug/);
  });

  it('path traversal and an unknown field together: both reported, exit 1', { skip }, async () => {
    const r = await run(
      lessonRoot({
        mutate: (d) => {
          step(d).text = '../../etc/passwd';
          d.topology.sentinel_count = 3;
        },
      }),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /01-evil\/lesson\.yaml: topology\.sentinel_count: unknown field/);
    assert.match(r.stderr, /01-evil\/lesson\.yaml: steps\[0\]\.text: path traversal/);
  });

  it('a YAML alias bomb: exit 1 with a problem line (not exit 70)', { skip }, async () => {
    const r = await run(
      lessonRoot({
        raw: `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n${stringify(baseDoc())}`,
      }),
    );
    assert.equal(r.code, 1, r.stderr);
  });
});
