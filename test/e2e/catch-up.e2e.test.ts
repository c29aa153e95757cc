// A lesson resumed at its second step in the real app (tmux): lesson 05's progress says its first step (the two
// replica priorities) is done, so the app reopens at "Kill the master" on a fresh cluster. The pane must say it is
// catching up, the real nodes must then hold the priorities the step's question names, and the step must be met by
// doing what its text says (kill redis-1): redis-3, priority 10, is promoted.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { EXIT_MARK, hasTmux, TuiRun } from '../../scripts/bench/tui.js';
import { listRunDirs, readManifest } from '../../src/cluster/process/run-dir.js';
import { buildTopology, publicAddress, type Topology } from '../../src/cluster/topology.js';

const LESSON = '05-replica-selection';

async function priority(topology: Topology, node: string): Promise<string> {
  const { host, port } = publicAddress(topology, node);
  const client = new Redis({ host, port, password: topology.password, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const reply = (await client.call('CONFIG', 'GET', 'replica-priority')) as string[];
    return reply[1] ?? '';
  } finally {
    client.disconnect();
  }
}

describe('a resumed lesson in the real app (tmux)', () => {
  let run: TuiRun | undefined;
  after(async () => {
    await run?.stop();
  });

  it('reopens lesson 05 at step 2, replays step 1 on the real nodes first, and the step is met by its text', {
    timeout: 240_000,
  }, async () => {
    if (!hasTmux()) assert.fail('tmux is not installed; this test drives the real TUI in tmux (apt-get install tmux)');
    const progress = {
      format: 1,
      lessons: {
        'replica-selection': { completedSteps: ['priorities'], completed: false, updatedAt: new Date().toISOString() },
      },
    };
    run = await TuiRun.start({ columns: 160, rows: 45, sandbox: false, args: ['--lesson', LESSON], progress });
    const r = run;

    // The replay takes as long as the Sentinels need to read the priorities from INFO (up to 10 s): in sight.
    await r.waitFor((s) => s.includes('catching up'), 90_000, 'the pane says it is catching up');
    const entered = await r.waitFor(
      (s) => s.includes('Step 2/6') && !s.includes('catching up') && s.includes('Which replica gets +selected-slave'),
      60_000,
      'step 2 entered after the catch-up, with its question',
    );
    assert.match(entered, /Goal: shown once you have predicted/, 'the goal waits for the prediction');

    const dir = listRunDirs(r.runRoot)[0];
    const manifest = dir ? readManifest(dir) : undefined;
    assert.ok(manifest?.shape && manifest.networkMode, `the run's manifest in ${r.runRoot}`);
    const topology = buildTopology(manifest.shape, manifest.basePort, manifest.networkMode);
    assert.equal(await priority(topology, 'redis-2'), '0', 'redis-2 has the priority step 1 sets');
    assert.equal(await priority(topology, 'redis-3'), '10', 'redis-3 has the priority step 1 sets');

    r.send('2');
    await r.waitFor((s) => s.includes('← your prediction'), 10_000, 'the prediction taken');
    // The step's text: "Kill redis-1 (select it, then x)". The master is the selected node when the lab opens.
    assert.match(r.capture(), /▶ \[M\] redis-1 /, 'redis-1 selected');
    r.send('x');
    const met = await r.waitFor(
      (s) => /✓ met/.test(s) && /\[M\] redis-3/.test(s),
      // Split votes can make a failover take twice failover-timeout (10 s here) more.
      90_000,
      'the goal met: redis-3 promoted',
    );
    assert.match(met, /\+selected-slave/, met);

    r.send('q');
    const screen = await r.waitExited(60_000);
    assert.match(screen.split('\n').find((l) => l.startsWith(EXIT_MARK)) ?? '', / rc=0 /, screen);
    const left = r.leftovers();
    assert.deepEqual(left.processes, [], `processes left in ${r.runRoot}`);
    assert.deepEqual(left.runDirs, [], 'run directory left');
  });
});
