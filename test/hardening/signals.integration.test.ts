// Every stop signal runs the same cleanup (SIGQUIT and SIGUSR2 used to end the lab with 8 orphans), and cleanup is
// prompt even when redis-server runs under a wrapper script that does not exec it and ignores SIGTERM (it used to
// take 21 s, with the fabric's ports still bound).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { startCli } from '../helpers/cli.js';
import { freeBlock, leftovers, type ReadyLine } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-signals-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const real = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });

let current: { root: string; base: number; pids: number[] } | undefined;
afterEach(async () => {
  if (!current) return;
  const { root, base, pids } = current;
  current = undefined;
  const left = await leftovers(root, base, pids);
  reapStaleRuns(root, { includeLive: true });
  assert.deepEqual(left, { processes: [], busy: [], runDirs: [] }, 'nothing left behind');
});

async function upThenSignal(sig: NodeJS.Signals, binary?: string) {
  const root = mkdtempSync(join(tmp, 'runs-'));
  const base = await freeBlock();
  current = { root, base, pids: [] };
  const args = ['up', '--json', '--base-port', String(base), ...(binary ? ['--redis-server', binary] : [])];
  const c = startCli(args, { RSL_RUN_ROOT: root });
  const ready = JSON.parse(await c.waitLine((l) => l.includes('"event":"ready"'), 60_000)) as ReadyLine;
  current.pids = [...ready.nodes.map((n) => n.pid), c.child.pid ?? 0];
  const t0 = Date.now();
  c.child.kill(sig);
  const exit = await c.exited;
  return { exit, ms: Date.now() - t0, lines: c.lines, stderr: c.stderr };
}

describe('stop signals', () => {
  for (const sig of ['SIGQUIT', 'SIGUSR2', 'SIGHUP'] as const) {
    it(`${sig}: the same cleanup as SIGINT (every process stopped, ports free, run directory gone)`, async () => {
      const { exit, lines, stderr } = await upThenSignal(sig);
      assert.deepEqual(exit, { code: 0, signal: null }, stderr.join('\n'));
      assert.ok(
        lines.some((l) => l === JSON.stringify({ schemaVersion: 1, event: 'stopped', signal: sig })),
        lines.join('\n'),
      );
      // afterEach proves nothing is left.
    });
  }
});

describe('a wrapper script that does not exec redis-server and ignores SIGTERM', () => {
  it('SIGTERM to `up`: everything stopped and every port free within seconds', async (t) => {
    const wrapper = join(tmp, 'stubborn-redis');
    writeFileSync(
      wrapper,
      [
        '#!/bin/sh',
        `if [ "$1" = --version ]; then exec '${real.path}' "$@"; fi`,
        'trap "" TERM',
        `'${real.path}' "$@" &`,
        'while :; do wait; sleep 0.2; done',
        '',
      ].join('\n'),
    );
    chmodSync(wrapper, 0o755);
    const { exit, ms, stderr } = await upThenSignal('SIGTERM', wrapper);
    assert.equal(exit.code, 0, stderr.join('\n'));
    t.diagnostic(`SIGTERM to exit: ${ms} ms`);
    assert.ok(ms < 5000, `cleanup took ${ms} ms`);
    // afterEach: no process of the run (wrappers and their redis-servers), no busy port (fabric and nodes).
  });
});
