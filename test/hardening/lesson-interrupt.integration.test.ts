// An interrupted `lesson check --run` (SIGINT, SIGTERM, SIGQUIT) leaves no $TMPDIR/rsl-lessons-* directory, no run
// directory and no process, whether the signal comes while a lesson's cluster runs or before any was started.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { processesInside } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { listRunDirs } from '../../src/cluster/process/run-dir.js';
import { startCli } from '../helpers/cli.js';
import { eventually } from '../helpers/wait.js';
import { freeBlock } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-interrupt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let runRoot: string | undefined;
afterEach(() => {
  if (runRoot) reapStaleRuns(runRoot, { includeLive: true });
  runRoot = undefined;
});

const lessonDirs = (tmpDir: string) => readdirSync(tmpDir).filter((f) => f.startsWith('rsl-lessons-'));

async function interrupted(sig: NodeJS.Signals, when: 'cluster running' | 'before any cluster') {
  const tmpDir = mkdtempSync(join(tmp, 'tmpdir-'));
  const root = mkdtempSync(join(tmp, 'runs-'));
  runRoot = root;
  const base = await freeBlock();
  const c = startCli(['lesson', 'check', '--run', '--only', 'tour', '--base-port', String(base)], {
    TMPDIR: tmpDir,
    RSL_RUN_ROOT: root,
    RSL_CONFIG_DIR: undefined,
  });
  await eventually(() => lessonDirs(tmpDir).length === 1, { timeoutMs: 30_000, what: 'the rsl-lessons-* directory' });
  if (when === 'cluster running') {
    await eventually(() => processesInside(root).length >= 3, { timeoutMs: 30_000, what: 'the lesson’s cluster' });
  }
  c.child.kill(sig);
  const exit = await c.exited;
  return { exit, tmpDir, root, stderr: c.stderr };
}

describe('an interrupted `lesson check --run`', () => {
  for (const [sig, when] of [
    ['SIGINT', 'cluster running'],
    ['SIGQUIT', 'cluster running'],
    ['SIGTERM', 'before any cluster'],
  ] as const) {
    it(`${sig} (${when}): exit 130, no rsl-lessons-* directory, no process, no run directory`, async () => {
      const { exit, tmpDir, root, stderr } = await interrupted(sig, when);
      assert.deepEqual(exit, { code: 130, signal: null }, stderr.join('\n'));
      assert.deepEqual(lessonDirs(tmpDir), []);
      assert.deepEqual(processesInside(root), []);
      assert.deepEqual(listRunDirs(root), []);
    });
  }
});
