import './force-color.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { colorModeFromEnv } from '../../src/ui/theme/tokens.js';
import { frozenReplicaState, masterKilledState } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

describe('colour modes', () => {
  it('NO_COLOR (any value, even empty) selects no colour', () => {
    assert.equal(colorModeFromEnv({ NO_COLOR: '' }), 'none');
    assert.equal(colorModeFromEnv({ NO_COLOR: '1' }), 'none');
    assert.equal(colorModeFromEnv({}), 'color');
  });

  for (const state of [masterKilledState, frozenReplicaState]) {
    it(`${state.name}: colour mode emits SGR codes, none mode emits no escape codes and keeps the meaning`, async () => {
      const color = renderApp(state(), { columns: 160, rows: 45, colorMode: 'color' });
      const plain = renderApp(state(), { columns: 160, rows: 45, colorMode: 'none' });
      cleanup.push(color.tui.unmount, plain.tui.unmount);
      await color.tui.waitForFrame('Topology');
      await plain.tui.waitForFrame('Topology');
      await color.tui.press('j');
      await plain.tui.press('j');
      await plain.tui.press('tab');
      const raw = color.tui.rawFrame();
      assert.match(raw, /\x1b\[3\dm|\x1b\[9\dm|\x1b\[38;/, 'coloured output has colour codes');
      const rawPlain = plain.tui.rawFrame();
      assert.equal(rawPlain.includes('\x1b['), false, 'NO_COLOR output has no escape codes at all');
      // Meaning survives without colour: role tags, state symbols, selection and focus marks.
      for (const text of ['[M]', '[R]', '[S]', '▶ [S] sentinel-1', '╔═', '✗']) assert.ok(rawPlain.includes(text), text);
    });
  }
});
