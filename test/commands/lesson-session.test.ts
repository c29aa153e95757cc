// The lesson the TUI opens is in the store at once, so the learner reads its first step while the cluster starts;
// its steps are entered (setup played, goal judged) only once the cluster is ready, and a reset waits for that too.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LabEmitter } from '../../src/cluster/events.js';
import { openLesson } from '../../src/commands/lesson-session.js';
import type { Lab } from '../../src/engine/lab.js';
import { bindLab } from '../../src/state/bind-lab.js';
import { eventually } from '../helpers/wait.js';
import { healthy } from '../lessons/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-lesson-session-'));
const savedEnv = process.env.RSL_CONFIG_DIR;
before(() => {
  process.env.RSL_CONFIG_DIR = dir;
});
after(() => {
  if (savedEnv === undefined) delete process.env.RSL_CONFIG_DIR;
  else process.env.RSL_CONFIG_DIR = savedEnv;
  rmSync(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lesson the TUI opens', () => {
  it('shows at once, is entered when the cluster is ready, and is not reset before', async () => {
    const open = await openLesson('tour');
    assert.ok(open);
    const binding = bindLab(new LabEmitter(), { ...healthy(), phase: 'starting' }, { flushMs: 1 });
    const calls: string[] = [];
    // The part of a Lab the lesson session uses: the store, its writer, actions, reset, notices.
    const lab = {
      store: binding.store,
      use: (fold: Parameters<Lab['use']>[0]) => binding.use(fold),
      perform: async (a: { kind: string }) => {
        calls.push(a.kind);
        return { ok: true, text: 'done' };
      },
      reset: async () => {
        calls.push('reset');
      },
      notice: (_level: string, text: string) => calls.push(`notice ${text}`),
    } as unknown as Lab;
    const attached = open.attach(lab);
    const lesson = () => binding.store.getState().lesson;
    assert.equal(lesson()?.lessonId, 'tour', 'in the store before the cluster is ready');
    assert.equal(lesson()?.entered, false);
    await attached.controls.reset();
    await wait(30);
    assert.equal(lesson()?.entered, false, 'still waiting for the cluster');
    assert.deepEqual(calls, [], 'no reset, no action before the cluster is ready');
    attached.started();
    await eventually(() => lesson()?.entered, { timeoutMs: 2000, what: 'the step entered once the cluster is ready' });
    await attached.controls.reset();
    assert.deepEqual(calls, ['reset'], 'a reset once it is ready');
    attached.dispose();
  });
});
