import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ActionSpec, actionEntries, GROUPS, type Scope } from '../../src/ui/keymap/actions.js';
import { fitHints, footerHints } from '../../src/ui/keymap/footer.js';
import { formatKey, isValidKey, keyNames } from '../../src/ui/keymap/keys.js';
import { calculateLayout, type PaneId } from '../../src/ui/layout.js';
import { createUiStore } from '../../src/ui/state/ui-store.js';
import { healthyState, lessonState } from '../fixtures/ui-states.js';
import { fakeController } from './fake-controller.js';

const PANES: PaneId[] = ['topology', 'lag', 'events', 'lesson', 'node', 'client', 'actions'];
const MODALS = ['help', 'prompt', 'partition', 'latency', 'heal', 'confirm'] as const;

function chains(): Array<{ name: string; members: Array<[string, ActionSpec]> }> {
  const of = (scope: Scope, filter: (a: ActionSpec) => boolean = () => true) =>
    actionEntries.filter(([, a]) => a.scope === scope && filter(a));
  return [
    ...PANES.map((p) => ({ name: `pane ${p}`, members: [...of(p), ...of('global')] })),
    ...MODALS.map((m) => ({
      name: `modal ${m}`,
      members: [...of(`modal:${m}`), ...of('global', (a) => a.always === true)],
    })),
    { name: 'too small', members: actionEntries.filter(([, a]) => a.onSmallScreen) },
  ];
}

describe('key registry', () => {
  it('gives every action a dotted id, a title, a known group and at least one valid key', () => {
    for (const [id, a] of actionEntries) {
      assert.match(id, /^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/, id);
      assert.ok(a.title.trim().length > 3, `${id} has a title`);
      assert.ok(GROUPS.includes(a.group), `${id} group ${a.group}`);
      assert.ok(a.keys.length >= 1, `${id} has keys`);
      for (const k of a.keys) assert.ok(isValidKey(k), `${id}: invalid key "${k}"`);
      assert.equal(new Set(a.keys).size, a.keys.length, `${id} repeats a key`);
    }
  });

  it('binds no key twice within one scope chain', () => {
    for (const chain of chains()) {
      const seen = new Map<string, { id: string; spec: ActionSpec }>();
      for (const [id, a] of chain.members) {
        for (const k of a.keys) {
          const prev = seen.get(k);
          // A global binding that yields to the focused pane (the lesson's PgUp/PgDn) may share a pane's key.
          if (prev && a.yieldsToPane && a.scope === 'global' && prev.spec.scope !== 'global') continue;
          assert.equal(prev?.id, undefined, `${chain.name}: "${k}" is bound to both ${prev?.id} and ${id}`);
          seen.set(k, { id, spec: a });
        }
      }
    }
  });

  it('disables a yielding global action while a pane with the same key is focused', () => {
    const { controller } = fakeController(lessonState(), { lesson: true });
    const lab = controller.store.getState();
    const layout = calculateLayout({ columns: 120, rows: 35, sandbox: false });
    for (const [id, a] of actionEntries) {
      if (!a.yieldsToPane) continue;
      for (const [otherId, b] of actionEntries) {
        if (b.scope === 'global' || b.scope.startsWith('modal:') || !b.keys.some((k) => a.keys.includes(k))) continue;
        const ui = { ...createUiStore().getState(), focus: b.scope as PaneId, scroll: { lesson: 1 } };
        assert.equal(a.when?.({ controller, lab, ui, layout }), false, `${id} while ${otherId}'s pane is focused`);
      }
    }
  });

  it('has no empty group', () => {
    for (const g of GROUPS)
      assert.ok(
        actionEntries.some(([, a]) => a.group === g),
        `group ${g} is empty`,
      );
  });

  it('lets text prompts type every printable key (prompt actions use named keys only)', () => {
    for (const [id, a] of actionEntries) {
      if (a.scope !== 'modal:prompt') continue;
      for (const k of a.keys) assert.ok(k.length > 1, `${id} would swallow "${k}" while typing`);
    }
    // Global actions that stay active in modals must not be plain characters either.
    for (const [id, a] of actionEntries) if (a.always) for (const k of a.keys) assert.ok(k.length > 1, id);
  });

  it('keeps quit reachable everywhere', () => {
    for (const chain of chains()) {
      assert.ok(
        chain.members.some(([, a]) => a.keys.includes('ctrl+c')),
        `${chain.name} cannot quit with Ctrl+C`,
      );
    }
  });

  it('turns Ink key events into registry names', () => {
    const none = {
      upArrow: false,
      downArrow: false,
      leftArrow: false,
      rightArrow: false,
      pageDown: false,
      pageUp: false,
      home: false,
      end: false,
      return: false,
      escape: false,
      ctrl: false,
      shift: false,
      tab: false,
      backspace: false,
      delete: false,
      meta: false,
      super: false,
      hyper: false,
      capsLock: false,
      numLock: false,
    };
    assert.deepEqual(keyNames('', { ...none, upArrow: true }), ['up']);
    assert.deepEqual(keyNames('', { ...none, tab: true, shift: true }), ['shift+tab']);
    assert.deepEqual(keyNames('c', { ...none, ctrl: true }), ['ctrl+c']);
    assert.deepEqual(keyNames('jk', none), ['j', 'k']);
    assert.deepEqual(keyNames(' ', none), ['space']);
    assert.deepEqual(keyNames('\t\t', none), ['tab', 'tab']);
    assert.deepEqual(keyNames('R', { ...none, shift: true }), ['R']);
    assert.equal(formatKey('pageup'), 'PgUp');
    assert.equal(formatKey('ctrl+r'), 'Ctrl+R');
  });

  it('builds the footer from enabled actions and drops hints to fit', () => {
    const { controller } = fakeController(healthyState());
    const layout = calculateLayout({ columns: 120, rows: 35, sandbox: true });
    const ui = createUiStore().getState();
    const hints = footerHints({ controller, lab: controller.store.getState(), ui, layout });
    const labels = hints.map((h) => h.label);
    assert.ok(labels.includes('kill'));
    assert.ok(!labels.includes('heal'), 'heal is hidden while nothing is broken');
    assert.ok(!labels.includes('next'), 'lesson keys are hidden in the sandbox');
    const fitted = fitHints(hints, 40);
    const width = fitted.reduce((n, h, i) => n + h.keys.length + 1 + h.label.length + (i ? 3 : 0), 0);
    assert.ok(width <= 40, `footer ${width} wide`);
    assert.ok(
      fitted.some((h) => h.label === 'help'),
      'help survives',
    );
  });
});

describe('keys and the action catalog', () => {
  it('every key that performs a catalog action declares its kind, so dimming covers it', async () => {
    const layout = calculateLayout({ columns: 120, rows: 35, sandbox: true });
    for (const [id, spec] of actionEntries) {
      if (spec.scope !== 'global' || id.startsWith('app.') || id.startsWith('lesson.')) continue;
      const fake = fakeController(healthyState());
      const uiStore = createUiStore();
      spec.run({
        controller: fake.controller,
        lab: fake.store.getState(),
        ui: uiStore.getState(),
        uiStore,
        layout,
        exit: () => {},
      });
      await new Promise((r) => setImmediate(r));
      for (const a of fake.performed()) {
        assert.ok(spec.performs?.includes(a.kind), `${id} performs ${a.kind} without declaring it`);
      }
    }
  });
});
