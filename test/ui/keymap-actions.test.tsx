import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { LabAction } from '../../src/actions/catalog.js';
import {
  frozenReplicaState,
  healthyState,
  lessonState,
  masterKilledState,
  partitionedState,
} from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

function app(...args: Parameters<typeof renderApp>) {
  const r = renderApp(...args);
  cleanup.push(() => r.tui.unmount());
  return r;
}

async function pressAll(tui: { press(k: string): Promise<void> }, ...keys: string[]) {
  for (const k of keys) await tui.press(k);
}

describe('node actions act on the selected node', () => {
  it('x kills, s stops, z freezes, R restarts the selected node (j/↓ go to the row below)', async () => {
    const { tui, performed } = app(healthyState());
    await tui.waitForFrame('redis-1');
    // Rows by host: redis-1, sentinel-1 (host-1), redis-2, sentinel-2 (host-2), …
    await pressAll(tui, 'x', 'j', 's', 'j', 'z', 'down', 'R');
    assert.deepEqual(performed(), [
      { kind: 'kill', node: 'redis-1' },
      { kind: 'stop', node: 'sentinel-1' },
      { kind: 'freeze', node: 'redis-2' },
      { kind: 'restart', node: 'sentinel-2' },
    ] satisfies LabAction[]);
  });

  it('z thaws a frozen node and k/up move back', async () => {
    const { tui, performed } = app(frozenReplicaState());
    await tui.waitForFrame('redis-1');
    await pressAll(tui, 'j', 'j', 'j', 'k', 'z');
    assert.deepEqual(performed(), [{ kind: 'thaw', node: 'redis-2' }]);
  });

  it('selection wraps from the last row (redis-5, on host-5) to redis-1 and shows in the node pane', async () => {
    const { tui } = app(healthyState(), { columns: 160, rows: 45 });
    await pressAll(tui, 'up');
    await tui.waitForFrame('Node redis-5');
    await pressAll(tui, 'down');
    await tui.waitForFrame('Node redis-1');
  });

  it('in the lesson alone (80x24, no topology pane) x/s/z/R first ask [y/N], naming the node they act on', async () => {
    const state = lessonState();
    const { tui, performed, uiStore } = app(state, { columns: 80, rows: 24 });
    await tui.waitForFrame('Goal:');
    assert.doesNotMatch(tui.lastFrame() ?? '', /Topology/, 'the cluster is out of sight');
    uiStore.setState({ selectedNode: 'sentinel-1' });
    await tui.press('z');
    await tui.waitForFrame('Freeze sentinel-1 (the selected node; L shows the cluster)? [y/N]');
    assert.deepEqual(performed(), [], 'nothing before the answer');
    await tui.press('n');
    await tui.waitFor((f) => !f.includes('[y/N]'));
    assert.deepEqual(performed(), [], 'n: nothing');
    for (const [key, verb] of [
      ['x', 'Kill'],
      ['s', 'Stop'],
      ['z', 'Freeze'],
      ['R', 'Restart'],
    ] as const) {
      await tui.press(key);
      await tui.waitForFrame(`${verb} sentinel-1 (the selected node; L shows the cluster)? [y/N]`);
      await tui.press('y');
      await tui.waitFor((f) => !f.includes('[y/N]'));
    }
    assert.deepEqual(performed(), [
      { kind: 'kill', node: 'sentinel-1' },
      { kind: 'stop', node: 'sentinel-1' },
      { kind: 'freeze', node: 'sentinel-1' },
      { kind: 'restart', node: 'sentinel-1' },
    ] satisfies LabAction[]);
    // L: the cluster, where the ▶ row shows the selected node: x acts at once.
    uiStore.setState({ selectedNode: 'redis-2' });
    await tui.press('L');
    await tui.waitForFrame('Topology');
    await tui.press('x');
    assert.deepEqual(performed().at(-1), { kind: 'kill', node: 'redis-2' });
    assert.doesNotMatch(tui.lastFrame(), /\[y\/N\]/);
  });

  it('while the lesson catches up, keys that change the cluster wait and say why; a read still runs', async () => {
    const state = lessonState();
    const lesson = state.lesson;
    assert.ok(lesson);
    const catching = { ...state, lesson: { ...lesson, catchingUp: 'catching up: replaying step 1 · now step 2…' } };
    const { tui, performed, uiStore } = app(catching, { columns: 160, rows: 45 });
    await tui.waitForFrame('catching up');
    uiStore.setState({ selectedNode: 'redis-2' });
    for (const key of ['x', 's', 'z', 'R', 'g', 'H']) await tui.press(key);
    await tui.waitForFrame('wait until the lesson has caught up');
    assert.deepEqual(performed(), [], 'nothing changed the cluster');
    assert.doesNotMatch(tui.lastFrame() ?? '', /x kill/, 'the footer leaves the waiting keys out');
  });

  it('refuses to kill an exited node and says so, and what brings it back', async () => {
    const { tui, performed } = app(masterKilledState());
    await tui.press('x');
    assert.deepEqual(performed(), []);
    await tui.waitForFrame('Kill selected node (kill -9): redis-1 has exited: R starts it again');
  });
});

describe('fault pickers', () => {
  it('p isolates one host (group A alone)', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('p');
    await tui.waitForFrame('Partition hosts');
    // Cursor starts on the selected node's host (host-1); move to host-3.
    await pressAll(tui, 'j', 'j', 'a');
    await tui.waitForFrame('→ isolate host-3 (drop)');
    await tui.press('enter');
    assert.deepEqual(performed(), [{ kind: 'isolate', host: 'host-3', mode: 'drop' }]);
  });

  it('p builds a two-way partition A|B in reject mode', async () => {
    const { tui, performed } = app(healthyState());
    await pressAll(tui, 'p', 'a', 'j', 'a', 'j', 'b', 'j', 'space', 'space', 'm', 'enter');
    assert.deepEqual(performed(), [
      {
        kind: 'partition',
        groups: [
          ['host-1', 'host-2'],
          ['host-3', 'host-4'],
        ],
        mode: 'reject',
      },
    ]);
  });

  it('p one-way needs one host per side and becomes a cut', async () => {
    const { tui, performed } = app(healthyState());
    await pressAll(tui, 'p', 'a', 'd', 'enter');
    await tui.waitForFrame('one-way needs one host in A and one in B');
    assert.deepEqual(performed(), []);
    await pressAll(tui, 'j', 'b', 'enter');
    assert.deepEqual(performed(), [{ kind: 'cut', from: 'host-1', to: 'host-2', mode: 'drop' }]);
  });

  it('Esc cancels the picker without acting', async () => {
    const { tui, performed } = app(healthyState());
    await pressAll(tui, 'p', 'a', 'escape');
    await tui.waitFor((f) => !f.includes('Partition hosts'));
    assert.deepEqual(performed(), []);
  });

  it('l adds latency with jitter on a link', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('l');
    await tui.waitForFrame('Latency on a link');
    // from host-1, to: next host twice (host-3), latency +50 twice (300), jitter +10, one way.
    await pressAll(tui, 'j', 'right', 'j', 'right', 'right', 'j', 'right', 'j', 'right', 'enter');
    assert.deepEqual(performed(), [
      { kind: 'latency', from: 'host-1', to: 'host-3', latencyMs: 300, jitterMs: 10, bothWays: false },
    ]);
  });

  it('h heals the chosen fault, H heals all', async () => {
    const { tui, performed } = app(partitionedState());
    await tui.press('h');
    await tui.waitForFrame('Heal a fault');
    await tui.press('enter');
    await tui.press('H');
    assert.deepEqual(performed(), [{ kind: 'heal', fault: 'fault-1' }, { kind: 'heal-all' }]);
  });

  it('heal keys do nothing while nothing is broken', async () => {
    const { tui, performed } = app(healthyState());
    await pressAll(tui, 'h', 'H');
    assert.deepEqual(performed(), []);
  });
});

describe('client and cluster actions', () => {
  it('w asks for key then value and writes as the current client; c switches client', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('w');
    await tui.waitForFrame('client A SET — key');
    await tui.type('age');
    await tui.press('enter');
    await tui.waitForFrame('client A SET age — value');
    await tui.type('222');
    await tui.press('enter');
    await tui.press('c');
    await tui.waitForFrame('▶ client B');
    await tui.press('r');
    await tui.type('age');
    await tui.press('enter');
    assert.deepEqual(performed(), [
      { kind: 'write', client: 'A', key: 'age', value: '222' },
      { kind: 'read', client: 'B', key: 'age' },
    ]);
  });

  it('typing in a prompt never triggers other keys (q, x, p are text)', async () => {
    const { tui, performed, calls } = app(healthyState());
    await tui.press('w');
    await tui.type('qxp');
    await tui.press('backspace');
    await tui.waitForFrame('key: qx');
    await tui.press('escape');
    assert.deepEqual(performed(), []);
    assert.equal(calls.filter((c) => c.method === 'quit').length, 0);
  });

  it('g asks the rate (Enter: 200/s) as the current client, and stops a running workload at once', async () => {
    const a = app(healthyState());
    await a.tui.press('g');
    await a.tui.waitForFrame('workload as client A (Tab: client B) — writes per second [200]');
    assert.deepEqual(a.performed(), [], 'nothing starts before Enter');
    await a.tui.press('enter');
    assert.deepEqual(a.performed(), [{ kind: 'workload-start', client: 'A', ratePerSec: 200 }]);
    const b = app(frozenReplicaState());
    await b.tui.press('g');
    assert.deepEqual(b.performed(), [{ kind: 'workload-stop' }]);
  });

  it('g: a rate of its own, Tab for the other client; a bad rate is refused with why, and nothing starts', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('g');
    await tui.press('tab');
    await tui.waitForFrame('workload as client B (Tab: client A)');
    await tui.type('5000');
    await tui.press('enter');
    await tui.waitForFrame('✗ ratePerSec must be at most 1000');
    assert.deepEqual(performed(), []);
    for (let i = 0; i < 4; i++) await tui.press('backspace');
    await tui.type('4');
    await tui.press('enter');
    assert.deepEqual(performed(), [{ kind: 'workload-start', client: 'B', ratePerSec: 4 }]);
  });

  it('W writes, then WAITs on the same connection: key, value, then replicas and timeout (Enter: 1 1000)', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('c');
    await tui.press('W');
    await tui.waitForFrame('client B SET (then WAIT) — key');
    await tui.type('order');
    await tui.press('enter');
    await tui.type('1');
    await tui.press('enter');
    await tui.waitForFrame('client B SET order 1, then WAIT numreplicas timeout-ms [1 1000]');
    await tui.type('2 x');
    await tui.press('enter');
    await tui.waitForFrame('✗ two whole numbers');
    await tui.press('backspace');
    await tui.type('1000');
    await tui.press('enter');
    await tui.press('W');
    await tui.type('k');
    await tui.press('enter');
    await tui.type('v');
    await tui.press('enter');
    await tui.press('enter');
    assert.deepEqual(performed(), [
      { kind: 'wait', client: 'B', key: 'order', value: '1', replicas: 2, timeoutMs: 1000 },
      { kind: 'wait', client: 'B', key: 'k', value: 'v', replicas: 1, timeoutMs: 1000 },
    ]);
  });

  it('keys typed in one burst ("age\\r222\\r", as fast typing or a paste delivers them) are each taken', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('w');
    await tui.press('age\r');
    await tui.press('22x\x7f2\r');
    assert.deepEqual(performed(), [{ kind: 'write', client: 'A', key: 'age', value: '222' }]);
  });

  it('an empty key is refused in place, the prompt stays open', async () => {
    const { tui, performed } = app(healthyState());
    await tui.press('w');
    await tui.press('enter');
    await tui.waitForFrame('✗ a key is required');
    await tui.type('k');
    await tui.waitFor((f) => !f.includes('a key is required'));
    assert.deepEqual(performed(), []);
  });

  it('f asks Sentinel for a failover; m cycles min-replicas-to-write', async () => {
    const { tui, performed } = app(healthyState());
    await pressAll(tui, 'f', 'm');
    const frozen = app(frozenReplicaState());
    await frozen.tui.press('m');
    assert.deepEqual(performed(), [
      { kind: 'failover', sentinel: 'sentinel-1' },
      { kind: 'min-replicas', toWrite: 1, maxLagSec: 10 },
    ]);
    assert.deepEqual(frozen.performed(), [{ kind: 'min-replicas', toWrite: 0, maxLagSec: 10 }]);
  });

  it('f and K ask a Sentinel that answers: the selected one, else the first answering (not a dead sentinel-1)', async () => {
    const s = healthyState();
    const s1 = s.sentinels['sentinel-1'];
    assert.ok(s1);
    s.sentinels['sentinel-1'] = { ...s1, reachable: false };
    const { tui, performed, uiStore } = app(s);
    await pressAll(tui, 'f', 'K');
    // A selected Sentinel that answers is the one asked; a selected one that does not answer is passed over.
    uiStore.setState({ selectedNode: 'sentinel-3' });
    await pressAll(tui, 'f');
    uiStore.setState({ selectedNode: 'sentinel-1' });
    await pressAll(tui, 'K');
    assert.deepEqual(performed(), [
      { kind: 'failover', sentinel: 'sentinel-2' },
      { kind: 'ckquorum', sentinel: 'sentinel-2' },
      { kind: 'failover', sentinel: 'sentinel-3' },
      { kind: 'ckquorum', sentinel: 'sentinel-2' },
    ]);
  });

  it('e exports the run and shows where it went', async () => {
    const { tui, calls } = app(healthyState());
    await tui.press('e');
    assert.deepEqual(
      calls.map((c) => c.method),
      ['exportRun'],
    );
    await tui.waitForFrame('/tmp/run/report.md');
  });

  it('/ filters the event stream and Esc in the events pane clears it', async () => {
    const { tui } = app(masterKilledState(), { columns: 160, rows: 45 });
    await tui.press('/');
    await tui.type('odown');
    await tui.press('enter');
    const f = await tui.waitForFrame('filter "odown": 1 of');
    assert.ok(!f.includes('redis-3 promoted to mas'));
    await tui.press('escape');
    await tui.waitForFrame('redis-3 promoted to mas');
  });
});

describe('lesson controls', () => {
  it('n b i v P go to the lesson controller; Ctrl+R asks before resetting', async () => {
    const { tui, calls } = app(lessonState());
    await pressAll(tui, 'n', 'b', 'i', 'v', 'P', 'ctrl+r');
    await tui.waitForFrame('Reset the lesson?');
    await tui.press('y');
    await tui.waitFor(() => calls.some((c) => c.method === 'lesson.reset'));
    assert.deepEqual(
      calls.map((c) => c.method),
      ['lesson.next', 'lesson.previous', 'lesson.hint', 'lesson.toggleSolution', 'lesson.playSolution', 'lesson.reset'],
    );
  });

  it('the [y/N] question takes No on Enter (the default it shows) and on n; only y says yes', async () => {
    const { tui, calls } = app(lessonState());
    for (const no of ['enter', 'n', 'escape'] as const) {
      await tui.press('ctrl+r');
      await tui.waitForFrame('Reset the lesson? This restarts every node with fresh configs. [y/N]');
      await tui.press(no);
      await tui.waitFor(() => !tui.lastFrame().includes('Reset the lesson?'));
    }
    assert.equal(calls.length, 0, 'Enter, n and Esc leave the lesson as it is');
    await tui.press('ctrl+r');
    await tui.waitForFrame('Reset the lesson?');
    await tui.press('y');
    await tui.waitFor(() => calls.some((c) => c.method === 'lesson.reset'));
  });

  it('lesson keys are inert in the sandbox', async () => {
    const { tui, calls } = app(healthyState());
    await pressAll(tui, 'n', 'i', 'v', 'P');
    assert.deepEqual(calls, []);
  });
});

describe('feedback and failures', () => {
  it('shows "killing redis-1…" at once, and a failure as a visible notice', async () => {
    let release: (v: { ok: false; text: string }) => void = () => {};
    const { tui } = app(healthyState(), {
      columns: 160,
      rows: 45,
      outcome: () => new Promise((r) => (release = r)),
    });
    await tui.press('x');
    await tui.waitForFrame('killing redis-1');
    release({ ok: false, text: 'no such process' });
    await tui.waitForFrame('✗ killing redis-1 (SIGKILL) failed: no such process');
  });

  it('one failed key press is one row: the action record (with why), and the status line', async () => {
    const { tui, store } = app(healthyState(), {
      columns: 160,
      rows: 45,
      outcome: async () => ({ ok: false, text: 'no such process' }),
    });
    await tui.press('x');
    const f = await tui.waitForFrame('✗ killing redis-1 (SIGKILL) failed: no such process');
    const rows = f.split('\n').filter((l) => /✗ kill(ing)? redis-1/.test(l));
    assert.equal(rows.length, 2, `the actions pane row and the status line:\n${f}`);
    assert.match(rows[0] ?? '', /│✗ kill redis-1 {2}kill -9/);
    assert.deepEqual(
      store.getState().actions.map((a) => [a.title, a.status, a.result]),
      [['kill redis-1', 'failed', 'no such process']],
    );
  });

  it('a rejected perform() becomes a notice, input keeps working', async () => {
    const { tui, performed } = app(healthyState(), {
      columns: 160,
      rows: 45,
      outcome: async () => {
        throw new Error('engine exploded');
      },
    });
    await tui.press('f');
    await tui.waitForFrame('engine exploded');
    await tui.press('j');
    await tui.press('x');
    assert.equal(performed().length, 2);
  });
});

describe('lesson failures', () => {
  it('a throwing lesson control becomes a notice', async () => {
    const { tui, controller } = app(lessonState(), { columns: 160, rows: 45 });
    if (controller.lesson) {
      controller.lesson.next = () => {
        throw new Error('no next step');
      };
    }
    await tui.press('n');
    await tui.waitForFrame('next step failed: no next step');
  });
});

describe('quit', () => {
  it('q shows "stopping N processes…", calls quit once, then exits', async () => {
    let finish: () => void = () => {};
    const { tui, calls } = app(healthyState(), { quit: () => new Promise<void>((r) => (finish = r)) });
    await tui.press('q');
    await tui.waitForFrame('stopping 8 processes…');
    await tui.press('q');
    await tui.press('x');
    assert.equal(calls.filter((c) => c.method === 'quit').length, 1);
    assert.equal(calls.filter((c) => c.method === 'perform').length, 0, 'nothing else runs while stopping');
    finish();
  });

  it('Ctrl+C quits even from a text prompt', async () => {
    const { tui, calls } = app(healthyState());
    await tui.press('w');
    await tui.type('k');
    await tui.press('ctrl+c');
    assert.deepEqual(
      calls.map((c) => c.method),
      ['quit'],
    );
  });
});

describe('keys the deployment cannot do', () => {
  const observeOnly = { reason: 'attached: observe only', hint: 'act in the lab that owns it' };
  const unavailable = {
    runtime: observeOnly,
    pause: observeOnly,
    network: observeOnly,
    reconfigure: observeOnly,
    failover: observeOnly,
    traffic: observeOnly,
    reset: observeOnly,
  };

  it('are dimmed in the footer with the reason, and explain instead of running', async () => {
    const { tui, performed } = app(healthyState(), { columns: 200, rows: 45, unavailable });
    const f = await tui.waitForFrame('unavailable: attached: observe only');
    const footer = f.split('\n').at(-1) ?? '';
    assert.match(footer, /\(x kill\) · \(s stop\)/);
    assert.match(footer, /^c client A\/B · e export · \? help · q quit /, 'what works comes first');
    await pressAll(tui, 'x', 'p', 'w');
    assert.deepEqual(performed(), []);
    await tui.waitForFrame('Write a key as the current client: attached: observe only (act in the lab that owns it)');
    assert.doesNotMatch(tui.lastFrame().split('\n').at(-1) ?? '', /group A/, 'no picker opened');
  });

  it('only the keys whose capability is missing', async () => {
    // Wide enough for every key that works, then the dimmed ones and the note (they give way first).
    const { tui, performed } = app(healthyState(), {
      columns: 280,
      rows: 45,
      unavailable: { network: { reason: 'no loopback aliases' } },
    });
    const f = await tui.waitForFrame('unavailable: no loopback aliases');
    const footer = f.split('\n').at(-1) ?? '';
    assert.match(footer, /x kill/);
    assert.doesNotMatch(footer, /\(x kill\)/);
    assert.match(footer, /\(p partition\)/);
    await pressAll(tui, 'x', 'l');
    assert.deepEqual(performed(), [{ kind: 'kill', node: 'redis-1' }]);
    await tui.waitForFrame('Add latency on a link… (picker): no loopback aliases');
  });

  it('say why in the help overlay', async () => {
    const { tui } = app(healthyState(), { columns: 160, rows: 45, unavailable });
    await tui.press('?');
    const f = await tui.waitForFrame('Keys');
    assert.match(f, /x {15}Kill selected node \(kill -9\) —/);
    assert.match(f, /unavailable: attached: observe/);
    assert.match(f, /Help: every key/);
  });
});
