// A node that dies (or hangs) during startup: `up` exits 1 with that node's log tail, and nothing is left running —
// no process, no listener of the block, no run directory. The failing node is made by a wrapper around the real
// redis-server that sabotages exactly one port. Every run has a temp directory as its working directory: a wrapper
// that writes to a relative path (or to "$1" when that is `--version`) must never write into the repository.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import { reapStaleRuns } from '../../src/cluster/process/reaper.js';
import { runCli } from '../helpers/cli.js';
import { freeBlock, leftovers } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-start-'));
const real = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });

let current: { runRoot: string; base: number } | undefined;
afterEach(async () => {
  if (!current) return;
  const { runRoot, base } = current;
  current = undefined;
  const left = await leftovers(runRoot, base);
  // Reap before asserting, so a failure here never leaves processes for the next test.
  reapStaleRuns(runRoot, { includeLive: true });
  assert.deepEqual(left, { processes: [], busy: [], runDirs: [] }, 'nothing left behind');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A redis-server wrapper: `sabotage` (shell) runs instead of the real server for the node on `port`. */
function wrapper(name: string, port: number, sabotage: string): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      `if [ "$1" != "--version" ] && grep -q '^port ${port}$' "$1" 2>/dev/null; then`,
      `  ${sabotage}`,
      'fi',
      `exec '${real.path}' "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

async function upWith(binary: string, base: number) {
  const runRoot = join(tmp, `runs-${base}`);
  current = { runRoot, base };
  const cwd = mkdtempSync(join(tmp, 'cwd-'));
  const t0 = Date.now();
  const r = await runCli(
    ['up', '--json', '--base-port', String(base), '--redis-server', binary],
    { RSL_RUN_ROOT: runRoot },
    60_000,
    { cwd },
  );
  return { ...r, ms: Date.now() - t0 };
}

describe('a node that fails during startup', () => {
  it('a replica with a config error: exit 1, its FATAL CONFIG lines, nothing left', async () => {
    const base = await freeBlock();
    const bin = wrapper('bad-replica', base + 2, `exec '${real.path}' "$@" --maxmemory-policy bogus-policy`);
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: redis-3 exited during startup \(redis-server .*redis-3\/redis\.conf\)$/m);
    assert.match(r.stderr, /^last lines of redis-3 log:$/m);
    assert.match(r.stderr, /FATAL CONFIG FILE ERROR/);
    assert.match(r.stderr, /'maxmemory-policy "bogus-policy"'/);
    assert.doesNotMatch(r.stdout, /"event":"ready"/);
    assert.doesNotMatch(r.stderr, /hit a bug/);
  });

  it('the master exits at once (before any replica starts): exit 1 with its output', async () => {
    const base = await freeBlock();
    const bin = wrapper('bad-master', base, `echo "# Fatal: simulated crash of the master" >&2; exit 3`);
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: redis-1 exited during startup/);
    assert.match(r.stderr, /^ {2}# Fatal: simulated crash of the master$/m);
  });

  it('a Sentinel that refuses its config: exit 1 with its FATAL lines, nothing left', async () => {
    const base = await freeBlock();
    const bin = wrapper('bad-sentinel', base + 101, `echo 'sentinel bogus-option mymaster 1' >> "$1"`);
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: sentinel-2 exited during startup \(Sentinel .*sentinel-2\/sentinel\.conf\)/);
    assert.match(r.stderr, /Unrecognized sentinel configuration statement/);
    assert.match(r.stderr, /'sentinel bogus-option mymaster 1'/);
  });

  it('a Sentinel whose config file is missing: exit 1, Redis says why', async () => {
    const base = await freeBlock();
    const bin = wrapper('no-sentinel-conf', base + 100, 'rm -f "$1"');
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: sentinel-1 exited during startup/);
    assert.match(r.stderr, /last lines of sentinel-1 log:/);
  });

  it('a node that never answers PING: killed after the readiness timeout, exit 1, nothing left', async () => {
    const base = await freeBlock();
    // The process stays alive (cwd inside the run dir, so it is provably the lab's) but never listens.
    const bin = wrapper('hung-replica', base + 4, 'exec sleep 600');
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: redis-5 did not answer PING within 15000 ms/);
    assert.ok(r.ms < 40_000, `gave up in ${r.ms} ms`);
  });

  it('a wrapper that does not exec and never listens: the PING error at its 15 s deadline (was 41 s)', async () => {
    const base = await freeBlock();
    // The shell stays the lab's child and its sleep holds the output pipe: the lab must not wait for the pipe.
    const bin = wrapper('hung-replica-no-exec', base + 4, 'sleep 600; exit 0');
    const r = await upWith(bin, base);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: redis-5 did not answer PING within 15000 ms/);
    // 15 s of readiness plus the CLI's own start and cleanup (a few seconds on a busy 2-core machine).
    assert.ok(r.ms < 22_000, `gave up in ${r.ms} ms`);
  });
});
