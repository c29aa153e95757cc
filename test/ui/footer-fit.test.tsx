// The footer at the widths people use: an open lesson keeps its keys (n next first) over the node and cluster
// keys, and help and quit stay at every width from 80 columns, even beside a long "unavailable" note (attach mode).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { MissingCapabilities } from '../../src/deployments/deployment.js';
import { FOOTER_PRIORITY, type FooterHint, fitHints, footerHints, hintWidth } from '../../src/ui/keymap/footer.js';
import { calculateLayout } from '../../src/ui/layout.js';
import { createUiStore } from '../../src/ui/state/ui-store.js';
import { frozenReplicaState, healthyState, lessonState } from '../fixtures/ui-states.js';
import { fakeController } from './fake-controller.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

const footer = (f: string) => f.split('\n').at(-1) ?? '';
const lineWidth = (hs: readonly FooterHint[]) => hs.reduce((n, h, i) => n + hintWidth(h) + (i ? 3 : 0), 0);

// What `--sentinel host:port` reports (src/deployments/remote/remote-deployment.ts): one long reason for all.
const watchOnly = {
  reason: 'the lab did not start this deployment: it only watches it (and asks Sentinel for a failover, confirmed)',
};
const attached: MissingCapabilities = {
  runtime: watchOnly,
  pause: watchOnly,
  network: watchOnly,
  reconfigure: watchOnly,
  traffic: watchOnly,
  reset: watchOnly,
};

function hintsOf(state: ReturnType<typeof healthyState>, columns: number, unavailable?: MissingCapabilities) {
  const { controller } = fakeController(state, { lesson: state.lesson !== undefined, unavailable });
  const layout = calculateLayout({ columns, rows: 35, sandbox: state.lesson === undefined });
  return footerHints({ controller, lab: controller.store.getState(), ui: createUiStore().getState(), layout });
}

describe('footer in a lesson', () => {
  for (const columns of [80, 100, 120, 160]) {
    it(`shows n next, the other lesson keys, help and quit at ${columns} columns`, async () => {
      const r = renderApp(lessonState(), { columns, rows: columns < 100 ? 24 : 35 });
      cleanup.push(() => r.tui.unmount());
      const f = footer(await r.tui.waitForFrame('q quit'));
      assert.match(f, /(^| )n next( |$)/, f);
      assert.match(f, /\? help · q quit/, f);
      const keys = ['L lesson/cluster', 'i hint', 'v solution', 'P play', ...(columns >= 100 ? ['b back'] : [])];
      for (const key of keys) assert.ok(f.includes(key), `${key} in: ${f}`);
      assert.ok(f.length <= columns, `${f.length} columns`);
    });
  }

  it('drops the node and cluster keys before the lesson keys, and keeps the registry order', () => {
    const all = hintsOf(lessonState(), 80);
    const fitted = fitHints(all, 80);
    assert.ok(lineWidth(fitted) <= 80, `${lineWidth(fitted)} wide`);
    const ids = fitted.map((h) => h.id);
    for (const id of ['lesson.next', 'lessonView.toggle', 'lesson.hint', 'lesson.solution', 'lesson.play'])
      assert.ok(ids.includes(id), `${id} kept: ${ids.join(' ')}`);
    assert.ok(!ids.includes('node.kill'), 'a node key goes first');
    const order = all.map((h) => h.label);
    const shown = fitted.map((h) => order.indexOf(h.label));
    assert.deepEqual(
      shown,
      [...shown].sort((a, b) => a - b),
      'same order as unfitted',
    );
    // Each wider line keeps what a narrower one kept.
    let previous: string[] = [];
    for (let w = 80; w <= 240; w += 10) {
      const labels = fitHints(all, w).map((h) => h.label);
      for (const l of previous) assert.ok(labels.includes(l), `${l} kept at ${w}`);
      previous = labels;
    }
  });

  it('lists every lesson key it ranks, so a rename in the registry cannot silently demote one', async () => {
    const { actions } = await import('../../src/ui/keymap/actions.js');
    for (const id of FOOTER_PRIORITY) assert.ok(id in actions, id);
  });
});

describe('footer in attach mode', () => {
  for (const columns of [80, 100]) {
    it(`keeps help and quit at ${columns} columns, shortening or dropping the note first`, async () => {
      const r = renderApp(healthyState(), { columns, rows: 35, unavailable: attached });
      cleanup.push(() => r.tui.unmount());
      const f = footer(await r.tui.waitForFrame('q quit'));
      assert.match(f, /\? help · q quit/, f);
      assert.ok(f.length <= columns, `${f.length} columns`);
    });
  }

  it('shortens the note to the room the hints leave, and shows it whole when it fits', () => {
    const all = hintsOf(healthyState(), 120, attached);
    const note = all.find((h) => h.note);
    assert.ok(note && note.label.length > 100, 'the long note');
    for (const width of [80, 100, 125, 160]) {
      const fitted = fitHints(all, width);
      const labels = fitted.map((h) => h.label);
      assert.ok(labels.includes('help') && labels.includes('quit'), `help and quit at ${width}: ${labels.join(' ')}`);
      assert.ok(lineWidth(fitted) <= width, `${lineWidth(fitted)} > ${width}`);
      const shown = fitted.find((h) => h.note);
      if (shown && shown.label !== note.label) {
        assert.ok(shown.label.endsWith('…'), shown.label);
        assert.ok(note.label.startsWith(shown.label.slice(0, -1)), shown.label);
      }
    }
    const wide = fitHints(all, 400);
    assert.equal(wide.at(-1)?.label, note.label, 'whole, last, when there is room');
    assert.equal(wide.length, all.length);
  });
});

describe('footer in attach mode: the keys that work first', () => {
  const works = ['f failover', 'K ckquorum', 'e export', '? help', 'q quit'];
  for (const [columns, rows] of [
    [80, 24],
    [120, 35],
    [200, 45],
  ] as const) {
    it(`shows f, K, e, help and quit before any dimmed key at ${columns}x${rows}`, async () => {
      const r = renderApp(healthyState(), { columns, rows, unavailable: attached });
      cleanup.push(() => r.tui.unmount());
      const f = footer(await r.tui.waitForFrame('q quit'));
      for (const key of works) assert.ok(f.includes(key), `${key} in: ${f}`);
      const firstDimmed = f.indexOf('(');
      if (firstDimmed >= 0) assert.ok(firstDimmed > f.indexOf('q quit'), `dimmed after the keys that work: ${f}`);
      assert.ok(f.length <= columns, `${f.length} columns`);
    });
  }

  it('a dimmed key is never kept at the cost of one that works (not even h heal)', () => {
    const all = hintsOf(healthyState(), 200, attached);
    const heal = all.find((h) => h.label === 'heal');
    assert.ok(heal?.dimmed, 'h heal is dimmed attached');
    const dimmedAt = all.findIndex((h) => h.dimmed);
    assert.ok(
      all.slice(dimmedAt).every((h) => h.dimmed),
      `the dimmed keys come last: ${all.map((h) => h.label).join(' · ')}`,
    );
    for (let width = 80; width <= 240; width += 5) {
      const fitted = fitHints(all, width);
      const labels = fitted.map((h) => h.label);
      for (const l of ['failover', 'ckquorum', 'export', 'help', 'quit'])
        assert.ok(labels.includes(l), `${l} kept at ${width}: ${labels.join(' · ')}`);
      if (fitted.some((h) => h.dimmed && !h.note))
        for (const h of all.filter((x) => !x.dimmed))
          assert.ok(labels.includes(h.label), `${h.label} kept before a dimmed key at ${width}: ${labels.join(' · ')}`);
      assert.ok(lineWidth(fitted) <= width, `${lineWidth(fitted)} > ${width}`);
    }
    assert.ok(!fitHints(all, 80).some((h) => h.label === 'heal'), 'no dimmed (h heal) at 80 columns');
  });

  it('the sandbox footer does not change: K and e only take room the other keys leave', () => {
    const labels = (columns: number) => fitHints(hintsOf(healthyState(), columns), columns).map((h) => h.label);
    assert.deepEqual(labels(80), ['kill', 'stop', 'freeze', 'restart', 'partition', 'help', 'quit']);
    const wide = labels(200);
    for (const l of ['min-replicas', 'help', 'quit', 'select', 'pane', 'misconfigure'])
      assert.ok(wide.includes(l), `${l} at 200: ${wide.join(' · ')}`);
    assert.ok(labels(400).includes('ckquorum') && labels(400).includes('export'), 'with room to spare');
  });
});

describe('footer: the node keys', () => {
  function nodeHints(state: ReturnType<typeof healthyState>, columns: number, rows: number, selectedNode: string) {
    const { controller } = fakeController(state, { lesson: state.lesson !== undefined });
    const layout = calculateLayout({ columns, rows, sandbox: state.lesson === undefined });
    const ui = { ...createUiStore().getState(), selectedNode };
    return footerHints({ controller, lab: controller.store.getState(), ui, layout }).map((h) => h.label);
  }

  it('name the node they act on while the lesson hides the cluster, and not beside it', () => {
    const alone = nodeHints(lessonState(), 80, 24, 'sentinel-1');
    for (const label of ['kill sentinel-1', 'stop sentinel-1', 'freeze sentinel-1', 'restart sentinel-1'])
      assert.ok(alone.includes(label), `${label} in: ${alone.join(' · ')}`);
    const beside = nodeHints(lessonState(), 160, 45, 'sentinel-1');
    for (const label of ['kill', 'stop', 'freeze', 'restart'])
      assert.ok(beside.includes(label), `${label} in: ${beside.join(' · ')}`);
    assert.ok(!beside.some((l) => l.includes('sentinel-1')), beside.join(' · '));
  });

  it('z says thaw when the selected node is frozen', () => {
    const state = frozenReplicaState();
    assert.equal(state.processes['redis-2']?.state, 'frozen');
    assert.ok(nodeHints(state, 160, 45, 'redis-2').includes('thaw'));
    assert.ok(nodeHints(state, 160, 45, 'redis-1').includes('freeze'));
  });
});
