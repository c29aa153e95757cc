// Every redis-cli command a lesson shows ({{cli node}} followed by its arguments, in the Markdown, hints or
// explanation) works when pasted into a shell while a lab runs: it reaches the node through the lab's real addresses
// and the node answers the command (an expected error reply such as READONLY is an answer; a refused connection,
// NOAUTH or an unknown command is not).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { loadAllLessons } from '../../src/lessons/loader.js';
import { fillPlaceholders } from '../../src/lessons/placeholders.js';
import type { Lesson } from '../../src/lessons/schema.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';

const hasCli = spawnSync('redis-cli', ['--version']).status === 0;

/** `{{cli redis-1}} CONFIG SET masterauth redis   # comment` -> the template, without the shell comment. */
function shownCommands(lesson: Lesson): string[] {
  const out: string[] = [];
  for (const step of lesson.steps) {
    const texts = [step.prose, step.goalText ?? '', ...step.hints, step.explain ?? ''];
    for (const t of texts) {
      for (const m of t.matchAll(/\{\{\s*cli\s+[a-z]+-\d+\s*\}\}[^`\n]*/g))
        out.push(m[0].replace(/\s+#.*$/, '').trim());
    }
  }
  return out;
}

/** Splits a pasted line the way a POSIX shell would for these simple commands (single quotes only). */
function argv(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

function run(line: string): Promise<{ out: string; stdout: string; timedOut: boolean }> {
  const [cmd = 'redis-cli', ...args] = argv(line);
  return new Promise((resolve) => {
    // (P)SUBSCRIBE never returns: what it printed before the timeout is its answer.
    const child = execFile(cmd, args, { timeout: 3000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const timedOut = Boolean(err && 'killed' in err && err.killed);
      resolve({ out: `${stdout}${stderr}`, stdout, timedOut });
    });
    child.stdin?.end();
  });
}

describe('commands shown by the lessons', { skip: hasCli ? false : 'redis-cli is not installed' }, () => {
  let lab: LocalLab;
  let cleanup: () => Promise<void>;
  let guard: LabGuard;
  let lessons: Lesson[];

  before(async () => {
    lessons = await loadAllLessons();
    // Five Redis nodes and three Sentinels: every node a lesson's placeholder may name.
    ({ lab, cleanup } = await startTestLab({ redis: 5, sentinels: 3 }));
    guard = guardLab(lab);
  });
  after(async () => {
    await cleanup?.();
    await guard?.assertNothingLeft();
  });

  it('every lesson that shows a command shows it with a placeholder, never a hard-coded address', () => {
    for (const l of lessons) {
      for (const s of l.steps) {
        for (const t of [s.prose, ...s.hints, s.explain ?? '']) {
          // The note's own line is quoted only to say that it does not reach this cluster. A line that builds the
          // address from placeholders itself (a Sentinel asked without its password, a port published by the NAT)
          // is not hard-coded.
          const bare = t
            .split('\n')
            .filter((x) => /redis-cli -h (?!\{\{)\S+/.test(x) && !x.includes('127.0.0.1 -p 6379'));
          assert.deepEqual(bare, [], `${l.folder} ${s.id}`);
        }
      }
    }
  });

  it('reach the node and get an answer when pasted into a shell', async () => {
    // Commands that move the master or make a Sentinel forget its peers go last, so every other command meets the
    // cluster it expects.
    const disruptive = (l: string) => /\bFAILOVER TO\b|SENTINEL RESET/.test(l);
    // SENTINEL FAILOVER (which a lesson shows answering NOGOODSLAVE) moves the master for real here: last of all.
    const sentinelFailover = (l: string) => /SENTINEL FAILOVER/.test(l);
    const unique = [...new Set(lessons.flatMap(shownCommands))];
    const lines = [
      ...unique.filter((l) => !disruptive(l) && !sentinelFailover(l)),
      ...unique.filter(disruptive),
      ...unique.filter(sentinelFailover),
    ];
    assert.ok(lines.length >= 10, `only ${lines.length} commands found`);
    const answers: string[] = [];
    const outs = new Map<string, string>();
    for (const template of lines) {
      // A bare `{{cli redis-1}}` opens an interactive session; pasted, it must at least connect: ask for PING.
      const bare = /^\{\{[^}]*\}\}$/.test(template);
      const line = fillPlaceholders(bare ? `${template} PING` : template, lab.topology);
      assert.doesNotMatch(line, /\{\{/, template);
      const { out, stdout, timedOut } = await run(line);
      const answered = timedOut ? /p?subscribe/.test(out) : out.trim().length > 0;
      assert.ok(answered, `${line}: no answer (${out.trim() || 'nothing printed'})`);
      assert.doesNotMatch(
        out,
        /Could not connect|Connection refused|NOAUTH|WRONGPASS|unknown command|wrong number of arguments|syntax error/i,
        line,
      );
      if (bare) assert.match(out, /PONG/, line);
      answers.push(`${template} -> ${stdout.trim().split('\n')[0]}`);
      outs.set(template, stdout);
    }
    // A few answers that show the commands did what the lessons say.
    const answer = (prefix: string) => answers.find((a) => a.startsWith(prefix)) ?? '';
    assert.match(answer('{{cli redis-3}} SET age 1'), /READONLY You can't write against a read only replica\./);
    assert.match(answer('{{cli sentinel-1}} PUBLISH +sdown hello'), /ERR Only HELLO messages are accepted by Sentinel/);
    assert.match(answer('{{cli sentinel-1}} SENTINEL CKQUORUM mymaster'), /OK 3 usable Sentinels/);
    assert.match(answer('{{cli sentinel-1}} SENTINEL RESET mymaster'), /-> 1$/);
    assert.match(answer('{{cli redis-2}} CONFIG SET replica-priority 0'), /-> OK$/);
    assert.match(answer('{{cli redis-1}} FAILOVER TO {{ip redis-2}}'), /-> OK$/);
    // A hello is eight comma-separated fields: who speaks, its epoch, and the master it names with its epoch.
    assert.match(
      outs.get('{{cli redis-1}} SUBSCRIBE __sentinel__:hello') ?? '',
      /^[\d.]+,\d+,[0-9a-f]{40},\d+,mymaster,[\d.]+,\d+,\d+$/m,
    );
  });
});
