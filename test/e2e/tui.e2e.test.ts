// The real app in a real terminal: tmux (its own socket) runs `node --import tsx src/cli.ts --sandbox` at 160x45
// over a real cluster. Kill the master from the keyboard, watch Sentinel promote another node, quit with q, and
// prove the terminal was given back and nothing of the lab is left running.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { EXIT_MARK, hasTmux, READY, TuiRun } from '../../scripts/bench/tui.js';
import { isAlive } from '../../src/cluster/process/proc.js';
import { freeBase } from '../helpers/wait.js';

describe('TUI end to end (tmux)', () => {
  let run: TuiRun | undefined;

  after(async () => {
    // Also on failure: quit or kill the app, kill the tmux server, reap the lab's processes, remove temp dirs.
    await run?.stop();
  });

  it('kill the master with x, see the failover, quit with q: terminal restored, nothing left', {
    timeout: 180_000,
  }, async () => {
    if (!hasTmux()) {
      assert.fail(
        'tmux is not installed; this test drives the real TUI in tmux (apt-get install tmux / brew install tmux)',
      );
    }
    run = await TuiRun.start({ columns: 160, rows: 45, basePort: await freeBase() });
    const ready = await run.waitFor(READY, 90_000, 'the topology with [M] redis-1 and "ready"');
    // The master is selected by default.
    assert.match(ready, /▶ \[M\] redis-1 /, ready);
    const appPid = run.appPid();
    assert.ok(appPid, 'the TUI node process under the tmux pane');
    assert.equal(run.format('#{alternate_on}'), '1', 'the TUI draws on the alternate screen');

    run.send('x');
    const failed = await run.waitFor(
      (s) => /\[M\] redis-[2-9]/.test(s) && s.includes('+switch-master'),
      90_000,
      'a new master ([M] redis-k, k≠1) and +switch-master',
    );
    assert.match(failed, /redis-1 +✗ exited/, 'the killed master shows as exited');

    run.send('q');
    const screen = await run.waitExited(60_000);
    // The shell's normal screen is back: the marker printed after the app, none of the TUI's frame.
    const mark = screen.split('\n').find((l) => l.startsWith(EXIT_MARK)) ?? '';
    assert.match(mark, / rc=0 /, `exit code 0; screen:\n${screen}`);
    assert.match(mark, /tty=(.*,)?icanon,/, `cooked mode (icanon) is back: ${mark}`);
    assert.match(mark, /tty=(.*,)?echo,/, `echo is back: ${mark}`);
    assert.ok(
      !screen.includes('Topology') && !screen.includes('redis-sentinel-lab │'),
      `TUI left on screen:\n${screen}`,
    );
    assert.equal(run.format('#{alternate_on}'), '0', 'alternate screen left');
    assert.equal(run.format('#{cursor_flag}'), '1', 'cursor visible again');

    assert.ok(!isAlive(appPid), `the TUI process ${appPid} is gone`);
    const left = run.leftovers();
    assert.deepEqual(left.processes, [], `processes still running in ${run.runRoot}`);
    assert.deepEqual(left.runDirs, [], 'run directory removed');
  });
});
