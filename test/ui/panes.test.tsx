import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { LIMITS } from '../../src/state/store.js';
import {
  frozenReplicaState,
  group,
  healthyState,
  lessonState,
  masterKilledState,
  partitionedState,
  tiltState,
  verdictState,
} from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function wide(state: Parameters<typeof renderApp>[0], opts: Parameters<typeof renderApp>[1] = {}) {
  const r = renderApp(state, { columns: 160, rows: 45, ...opts });
  cleanup.push(() => r.tui.unmount());
  return r;
}

/** The row of the frame that contains `needle` (for asserting things appear together). */
function line(frame: string, needle: string): string {
  return frame.split('\n').find((l) => l.includes(needle)) ?? '';
}

describe('panes render fixture states', () => {
  it('healthy: roles as text tags, hosts, ports, Sentinels naming the master, lag and the guard', async () => {
    const { tui } = wide(healthyState());
    const f = await tui.waitForFrame('redis-sentinel-lab');
    assert.match(f, /\[M\] redis-1\s+● running\s+master · 4 replicas/);
    assert.match(f, /\[R\] redis-2\s+● running\s+⇐ redis-1 ✓ up/);
    assert.match(f, /\[S\] sentinel-2\s+● running\s+→ redis-1 ep 0/);
    assert.ok(f.includes('host-3 127.0.2.3'));
    assert.ok(f.includes('● ready in 2.3 s'));
    assert.ok(f.includes('redis 6379-6383 · sentinels 6479-6481'));
    assert.ok(f.includes('min-replicas-to-write 0 (guard off)'));
    assert.ok(f.includes('no faults'));
    assert.ok(!f.includes('still names'));
    // Selected node is marked with a symbol, not only colour.
    assert.match(f, /▶ \[M\] redis-1/);
  });

  it('the settings line shows what the Sentinels report now (a SENTINEL SET from outside), not the topology', async () => {
    const s = healthyState();
    for (const o of Object.values(s.sentinels)) {
      if (o.master) Object.assign(o.master, { downAfterMs: 3000, quorum: 3 });
    }
    const { tui } = wide(s);
    const f = await tui.waitForFrame('down-after');
    assert.match(f, /quorum 3 · down-after 3000 ms · failover-timeout 10 s/);
  });

  it('master killed: exit shown, +sdown reported by three Sentinels, the timeline and the disagreement', async () => {
    const { tui } = wide(masterKilledState());
    const f = await tui.waitForFrame('Failover redis-1 → redis-3');
    assert.match(line(f, '[?] redis-1'), /✗ exited.*SIGKILL/);
    assert.match(f, /\+sdown\s+s1,s2,s3\s+redis-1 looks down/);
    assert.match(f, /\+odown\s+s1,s2\s+quorum agrees/);
    assert.ok(f.includes('Failover redis-1 → redis-3 ⟳ running'));
    assert.ok(f.includes('epoch 1 · leader sentinel-1'));
    assert.match(f, /\+sdown\s+1\.05 s/);
    assert.match(f, /\+odown\s+1\.20 s\s+\(down-after 1\.00 s\)/);
    assert.ok(f.includes('⚠ Sentinels disagree: sentinel-3 still names redis-1'));
    assert.match(f, /sentinel-3 .*⚠ → redis-1 s_down,o_down/);
    assert.ok(f.includes('kill -9 4242  # redis-1'), 'action log shows the real command');
  });

  it('partitioned host-3: the fault on the host and the Sentinel that disagrees', async () => {
    const { tui } = wide(partitionedState());
    const f = await tui.waitForFrame('host-3');
    assert.match(line(f, 'host-3 127'), /host-3 127\.0\.2\.3.*╳ partitioned \(drop\)/);
    assert.ok(f.includes('╳ isolate host-3 (drop)'));
    assert.ok(f.includes('⚠ Sentinels disagree: sentinel-3 still names redis-1'));
    assert.ok(f.includes('sentinel-1, sentinel-2 name redis-2'));
    // The header names every fault in force.
    assert.match(f.split('\n')[0] ?? '', /╳ isolate host-3 \(drop\)/);
    assert.match(f, /redis-3 .*✗ down 7s/);
    assert.ok(f.includes('⚠ sentinel-3 is unreachable from the lab'), 'lab notices are shown');
  });

  it('TILT is spelled out on the Sentinel and in the event stream', async () => {
    const { tui } = wide(tiltState());
    const f = await tui.waitForFrame('TILT');
    assert.match(f, /\[S\] sentinel-1 .*→ redis-1 TILT 3s/);
    assert.match(f, /\+tilt\s+s1\s+TILT: the timer jumped/);
  });

  it('frozen replica: symbol, growing lag, guard refusing writes and the NOREPLICAS reply', async () => {
    const { tui } = wide(frozenReplicaState());
    const f = await tui.waitForFrame('NOREPLICAS');
    assert.match(f, /\[R\] redis-2\s+⏸ frozen/);
    assert.match(f, /\[\?\] redis-4\s+■ stopped/);
    assert.ok(f.includes('good 1/2 needed → writes refused (NOREPLICAS)'));
    assert.ok(f.includes('min-replicas-to-write 2 · max-lag 10s'));
    assert.match(line(f, 'ack 12s'), /redis-2 .*5\.1 KB\s+ack 12s\s+[▁▂▃▄▅▆▇█]{6}\s+✗ not good/);
    assert.ok(f.includes('✗ NOREPLICAS Not enough good replicas to write.'));
    assert.ok(f.includes("✗ READONLY You can't write against"));
    assert.ok(f.includes('workload ● running as A 20/s · NOREPLICAS 38'));
    assert.ok(f.includes('invoked 240 · ok 200 · failed 38 · unknown 2'));
  });

  it('verdict: acknowledged, lost and loss rate', async () => {
    const { tui } = wide(verdictState());
    const f = await tui.waitForFrame('loss rate');
    assert.ok(f.includes('✗ lost 20 of 200 acknowledged writes'));
    assert.ok(f.includes('loss rate 10.0% · final master redis-3'));
  });

  it('lesson: step, Markdown, goal with ✓ and detail, hints so far, solution', async () => {
    const { tui } = wide(lessonState());
    const f = await tui.waitForFrame('Goal:');
    assert.ok(f.includes('Step 2/3: Kill the master ✓✓·'));
    assert.ok(f.includes('What happens when the master dies'));
    assert.ok(f.includes('• +sdown: one Sentinel stops getting replies'));
    assert.ok(!f.includes('`'), 'code spans lose their backticks');
    assert.match(f, /Goal: the master is no longer redis-1 ✓ met/);
    assert.ok(f.includes('sentinel-1 and sentinel-2 name redis-3'));
    assert.ok(f.includes('Hint 1: The master is the node marked [M].'));
    assert.ok(!f.includes('Press x with redis-1 selected.'), 'second hint not shown yet');
    assert.ok(f.includes('1. kill redis-1'));
  });

  it('sandbox: the lesson slot is a cheat-sheet of keys', async () => {
    const { tui } = wide(healthyState());
    const f = await tui.waitForFrame('Keys');
    assert.ok(f.includes('Sandbox: no lesson'));
    assert.match(f, /x\s+Kill selected node \(kill -9\)/);
  });
});

describe('the events badge', () => {
  it('counts events, and says "latest N" once the store keeps only the latest', async () => {
    const s = healthyState();
    const { tui } = wide(s);
    const f = await tui.waitForFrame('Sentinel events');
    assert.match(line(f, 'Sentinel events'), new RegExp(`${s.eventGroups.length} events`));
    const full = healthyState();
    full.eventGroups = Array.from({ length: LIMITS.eventGroups }, (_, i) =>
      group('+sdown', 'redis-2 looks down', 'warning', ['sentinel-1'], i * 10, '', 'redis-2'),
    );
    const r = wide(full);
    const g = await r.tui.waitForFrame(`latest ${LIMITS.eventGroups} events`);
    assert.doesNotMatch(line(g, 'Sentinel events'), new RegExp(`─ ${LIMITS.eventGroups} events`));
  });
});

describe('a Sentinel row mid-failover', () => {
  it('names whose flags they are when SENTINEL MASTER still describes the old master and the address is the new one', async () => {
    const s = masterKilledState();
    const o = s.sentinels['sentinel-1'];
    assert.ok(o?.master);
    // As Sentinel answers from the reconfiguration on: GET-MASTER-ADDR-BY-NAME gives the promoted replica, SENTINEL
    // MASTER the old master with its flags.
    s.sentinels['sentinel-1'] = {
      ...o,
      master: { ...o.master, nodeId: 'redis-1', flags: ['s_down', 'o_down', 'master', 'failover_in_progress'] },
    };
    const { tui } = wide(s);
    const f = await tui.waitForFrame('sentinel-1');
    assert.match(line(f, '[S] sentinel-1'), /→ redis-3 \(redis-1 s_down,o_d/);
    assert.match(
      line(f, '[S] sentinel-3'),
      /→ redis-1 s_down,o_down(?! \()/,
      'flags about the named master stay as they were',
    );
  });
});
