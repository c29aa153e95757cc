// The full-screen lab in a real terminal (tmux) when the cluster cannot start: it says so, q quits, and the exit
// code is 1 (it was 0, so a script could not tell a failed run from a good one). Nothing is left behind.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT_MARK, hasTmux, TuiRun } from '../../scripts/bench/tui.js';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import { freeBlock } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-tui-'));
const real = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
let run: TuiRun | undefined;
after(async () => {
  await run?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('TUI when the cluster does not start (tmux)', () => {
  it('shows the failure, and q exits 1 with nothing left', { timeout: 120_000 }, async () => {
    if (!hasTmux()) assert.fail('tmux is not installed (apt-get install tmux / brew install tmux)');
    // Reports a real version, then every node exits at once with a message of its own.
    const broken = join(tmp, 'broken-redis');
    writeFileSync(
      broken,
      [
        '#!/bin/sh',
        `if [ "$1" = --version ]; then exec '${real.path}' "$@"; fi`,
        'echo "# simulated: this redis-server cannot start" >&2',
        'exit 1',
        '',
      ].join('\n'),
    );
    chmodSync(broken, 0o755);
    run = await TuiRun.start({ columns: 120, rows: 40, basePort: await freeBlock(), args: ['--redis-server', broken] });
    // The header's phase turns to "✗ failed" in the same step that posts "The cluster did not start: …".
    await run.waitFor((s) => /│ ✗ failed │/.test(s), 60_000, 'the failed phase in the header');
    run.send('q');
    const screen = await run.waitExited(30_000);
    const mark = screen.split('\n').find((l) => l.startsWith(EXIT_MARK)) ?? '';
    assert.match(mark, / rc=1 /, `exit code 1; screen:\n${screen}`);
    const left = run.leftovers();
    assert.deepEqual(left.processes, []);
    assert.deepEqual(left.runDirs, []);
  });
});
