// Attach mode on screen (a deployment the lab did not start: no runtime capability). A node's state is what the probes
// observe, never a process state the lab cannot know: one that does not answer reads "no answer since …", one that
// refuses the lab's login "refused", and replication comes only from INFO. The screen says it is attached, not the
// sandbox; the Keys pane dims what does not apply; titles name the monitored master. Also the sandbox's own words:
// h/H say why they have nothing to do, the header counts nodes down apart from the faults h/H heal, a notice does not
// outlive the step or view it was given in, and the help overlay keeps a gutter between its columns.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { CAPABILITIES, type MissingCapabilities } from '../../src/deployments/deployment.js';
import { REMOTE_REASON } from '../../src/deployments/remote/remote-deployment.js';
import type { LabState } from '../../src/state/store.js';
import { observedText } from '../../src/ui/components/Header.js';
import { helpGroups, helpLayout } from '../../src/ui/components/HelpOverlay.js';
import { clockTime, notAnswering } from '../../src/ui/lib/observed.js';
import { uiOps } from '../../src/ui/state/ui-store.js';
import { healthyState, lessonState, masterKilledState, T0 } from '../fixtures/ui-states.js';
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

/** What `--sentinel host:port` lacks (src/deployments/remote/remote-deployment.ts): everything but failover. */
const REMOTE: MissingCapabilities = Object.fromEntries(
  CAPABILITIES.filter((c) => c !== 'failover').map((c) => [c, REMOTE_REASON]),
);

/**
 * A foreign deployment monitored as "prodmaster", as the remote deployment leaves the store (every process "running":
 * the lab has no process state of its own there): the master and sentinel-1 killed from outside, redis-3 refusing the
 * lab's password.
 */
function attachedState(): LabState {
  const s = healthyState();
  s.topology = { ...s.topology, sentinel: { ...s.topology.sentinel, masterName: 'prodmaster' } };
  s.redis['redis-1'] = { id: 'redis-1', at: T0 + 40_000, reachable: false, error: 'not connected (end)' };
  s.redis['redis-3'] = {
    id: 'redis-3',
    at: T0 + 41_000,
    reachable: false,
    error: 'WRONGPASS invalid username-password pair or user is disabled.',
  };
  s.sentinels['sentinel-1'] = { id: 'sentinel-1', at: T0 + 42_000, reachable: false, replicas: [], sentinels: [] };
  return s;
}

const row = (frame: string, id: string) => frame.split('\n').find((l) => new RegExp(`\\] ${id} `).test(l)) ?? '';

describe('attach mode: what the lab observes, not process states', () => {
  it('a node that does not answer reads "no answer since …", one that refuses the login "refused"; never "running"', async () => {
    const { tui } = app(attachedState(), { columns: 160, rows: 45, unavailable: REMOTE });
    const f = await tui.waitForFrame('Topology');
    assert.doesNotMatch(f, /● running/, f);
    assert.match(row(f, 'redis-1'), new RegExp(`✗ no answer +since ${clockTime(T0 + 40_000)}: not connect`));
    assert.match(row(f, 'sentinel-1'), new RegExp(`✗ no answer .*since ${clockTime(T0 + 42_000)}`));
    assert.match(row(f, 'redis-3'), /⚠ refused .*WRONGPASS/);
    assert.match(row(f, 'redis-2'), /● answers/);
    // Replication only from INFO: redis-3's is unknown, not "not replicating".
    assert.doesNotMatch(f, /not replicating/);
    assert.match(f, /redis-3 +⚠ refused · no INFO: replication unknown/);
    assert.match(f, /● answers ⚠ refused ✗ no answer/, 'the legend');
  });

  it('the header says attached and names who does not answer; the Keys pane dims what does not apply', async () => {
    const { tui } = app(attachedState(), { columns: 160, rows: 45, unavailable: REMOTE });
    const f = await tui.waitForFrame('Topology');
    const header = f.split('\n')[0] ?? '';
    assert.match(header, /│ attached/);
    assert.doesNotMatch(f, /sandbox/i);
    assert.match(header, /╳ redis-1, sentinel-1 no answer · redis-3 refused the lab's login/);
    assert.match(f, /Attached to "prodmaster": dimmed keys/);
    assert.match(f, /f {7}Manual failover \(SENTINEL FAILOVER pro/);
    assert.match(f, /x {7}Kill selected node \(kill -9\) \(unavaila/);
    assert.match(f, /redis-1 · role \? · host-1 [\d.:]+ · ✗ n/, 'the node pane too');
    assert.match(f.split('\n').at(-2) ?? '', /only watched/, 'the idle hint offers no x/s/z');
  });

  it('nodes that refuse the login are counted as such, not as "not answering"', async () => {
    const s = healthyState();
    const wrongpass = 'WRONGPASS invalid username-password pair or user is disabled.';
    for (const id of ['redis-2', 'redis-3']) s.redis[id] = { id, at: T0 + 41_000, reachable: false, error: wrongpass };
    assert.deepEqual(observedText(notAnswering(s)), {
      any: true,
      full: "╳ redis-2, redis-3 refused the lab's login",
      short: "╳ 2 refused the lab's login",
    });
    s.redis['redis-1'] = { id: 'redis-1', at: T0 + 40_000, reachable: false, error: 'not connected (end)' };
    assert.equal(observedText(notAnswering(s)).short, "╳ 1 not answering · 2 refused the lab's login");
    const { tui } = app(s, { columns: 160, rows: 45, unavailable: REMOTE });
    const f = await tui.waitForFrame('Topology');
    assert.match(f, /Topology[^\n]*1 not answering · 2 refused the lab's login/, f);
    assert.doesNotMatch(f, /3 not answering/);
  });

  it('the Clients pane does not offer w, r and g, which are dimmed there', async () => {
    const { tui } = app(attachedState(), { columns: 200, rows: 70, unavailable: REMOTE });
    const f = await tui.waitForFrame('Clients');
    assert.match(f, /only watched: the lab sends it no reads or writes/, f);
    assert.doesNotMatch(f, /w writes a key/);
    const own = app(healthyState(), { columns: 200, rows: 70 });
    assert.match(await own.tui.waitForFrame('Clients'), /w writes a key, r reads one/, 'the sandbox still offers them');
  });

  it('titles name the monitored master, not mymaster', () => {
    const titles = helpGroups(REMOTE, 'prodmaster').flatMap((g) => g.entries.map((e) => e.title));
    assert.ok(titles.some((t) => t.startsWith('Manual failover (SENTINEL FAILOVER prodmaster)')));
    assert.ok(titles.some((t) => t.includes('SENTINEL CKQUORUM prodmaster')));
    assert.ok(!titles.some((t) => t.includes('mymaster')));
  });
});

describe('heal and the count of faults', () => {
  it('h and H say why they have nothing to do, and what brings a killed node back', async () => {
    const { tui, performed } = app(masterKilledState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('redis-1 killed');
    await tui.press('h');
    await tui.waitForFrame(
      'Heal one fault… (picker): no network fault to heal (h/H heal partitions and latency); R restarts redis-1',
    );
    await tui.press('H');
    await tui.waitForFrame('Heal all faults: no network fault to heal');
    assert.deepEqual(performed(), []);
  });
});

describe('x, s and z on a node that is not running', () => {
  it("name the node's state and the key that brings it back", async () => {
    const { tui, performed } = app(masterKilledState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('redis-1 killed');
    await tui.press('z');
    await tui.waitForFrame('Freeze / thaw selected node (SIGSTOP / SIGCONT): redis-1 has exited: R starts it again');
    await tui.press('s');
    await tui.waitForFrame('Stop selected node gracefully (SHUTDOWN): redis-1 has exited: R starts it again');
    await tui.press('x');
    await tui.waitForFrame('Kill selected node (kill -9): redis-1 has exited: R starts it again');
    assert.doesNotMatch(tui.lastFrame(), /not available now/);
    assert.deepEqual(performed(), []);
  });
});

describe('the status line', () => {
  it('a notice does not outlive the step or the view it was given in', async () => {
    const { tui, uiStore, store } = app(lessonState(), { columns: 160, rows: 45 });
    await tui.waitForFrame('Topology');
    const text = 'Predict first: here is the question; press 1–4 to answer.';
    uiOps.notice(uiStore, 'info', text);
    await tui.waitForFrame(text);
    const s = store.getState();
    const lesson = s.lesson;
    assert.ok(lesson);
    store.setState({ lesson: { ...lesson, stepIndex: lesson.stepIndex + 1 } });
    await tui.waitFor((f) => !f.includes(text));
    uiOps.notice(uiStore, 'info', text);
    await tui.waitForFrame(text);
    uiStore.setState({ lessonFull: true });
    await tui.waitFor((f) => !f.includes(text));
  });
});

describe('help overlay', () => {
  it('keeps a gutter between columns: a wrapped title never runs into the next column’s key', async () => {
    const { tui } = app(healthyState(), { columns: 160, rows: 45 });
    await tui.press('?');
    const f = await tui.waitForFrame('Esc or ? closes');
    const { colWidth, columns } = helpLayout(160, 45);
    assert.ok(columns.length > 1);
    const body = f.split('\n').filter((l) => l.startsWith('║') && !l.includes('Esc or ? closes'));
    for (const l of body) {
      for (let k = 1; k < columns.length; k++) {
        const edge = 1 + k * colWidth;
        assert.equal(l.slice(edge - 2, edge), '  ', `no gutter before column ${k + 1}:\n${l}`);
      }
    }
  });
});
