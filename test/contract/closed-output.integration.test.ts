// A reader that goes away (`… --json | head -1`) ends any command quietly: exit 0, no "hit a bug: write EPIPE", and
// the same cleanup as Ctrl+C (no process, no run directory left). `up` notices even while it prints nothing.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { isAlive, processesInside } from '../../src/cluster/process/proc.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { CLI } from '../helpers/cli.js';
import { freeBase } from '../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'rsl-epipe-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const sub of readdirSync(root)) reapStaleRuns(join(root, sub), { includeLive: true });
  rmSync(root, { recursive: true, force: true });
});

const TSX = import.meta.resolve('tsx');

/**
 * Runs `<cli> args | head -1` in a real shell (a pipe, as a user's script has it) and reports the CLI's own exit
 * code (PIPESTATUS), its stderr, what head printed, and how long the CLI ran after head had its line.
 */
function headOne(args: string[], env: NodeJS.ProcessEnv) {
  const quoted = [process.execPath, '--import', TSX, CLI, ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(' ');
  const dir = mkdtempSync(join(root, 'sh-'));
  const script = `${quoted} 2>'${dir}/err' | (head -1; date +%s%3N >'${dir}/head-done'); echo "$\{PIPESTATUS[0]}" >'${dir}/rc'; date +%s%3N >'${dir}/all-done'`;
  const child = spawn('bash', ['-c', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const first = new Promise<string>((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  const exited = new Promise<{ code: number; stderr: string; ms: number }>((resolve) => {
    child.on('exit', () => {
      const read = (f: string) => readFileSync(join(dir, f), 'utf8').trim();
      resolve({
        code: Number(read('rc')),
        stderr: read('err'),
        ms: Number(read('all-done')) - Number(read('head-done')),
      });
    });
  });
  return { first, exited };
}

describe('a closed stdout ends any command quietly with exit 0', () => {
  it('lesson list --json | head -1', async () => {
    const r = headOne(['lesson', 'list', '--json'], { RSL_CONFIG_DIR: join(root, 'cfg') });
    assert.match(await r.first, /"type":"lesson-entry"/);
    const { code, stderr } = await r.exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /hit a bug|EPIPE/);
  });

  it('watch --json | head -1 (its own cluster): cleans up everything', async () => {
    const runRoot = join(root, 'watch');
    const r = headOne(['watch', '--json', '--no-attach', '--base-port', String(await freeBase())], {
      RSL_RUN_ROOT: runRoot,
    });
    assert.match(await r.first, /"type":"status"/);
    const { code, stderr } = await r.exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /hit a bug|EPIPE/);
    assert.deepEqual(readdirSync(runRoot), [], 'no run directory left');
    // Stopped while it was still starting its cluster: nothing may have been spawned after the stop.
    assert.deepEqual(processesInside(runRoot), [], 'no process left in the run root');
  });

  it('up --json | head -1: notices the reader is gone though it prints nothing more, and stops everything', async (t) => {
    const runRoot = join(root, 'up');
    const r = headOne(['up', '--json', '--base-port', String(await freeBase())], { RSL_RUN_ROOT: runRoot });
    const ready = JSON.parse(await r.first) as { nodes: Array<{ pid: number }> };
    const { code, ms, stderr } = await r.exited;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /hit a bug|EPIPE/);
    t.diagnostic(`up ended ${ms} ms after its reader left`);
    assert.ok(ms < 10_000, `up ended ${ms} ms after its reader left`);
    for (const n of ready.nodes) assert.equal(isAlive(n.pid), false);
    assert.deepEqual(readdirSync(runRoot), []);
    assert.deepEqual(processesInside(runRoot), []);
  });
});
