// A writable lab store for tests of what READS the store (panes, the headless lesson runner): the test plays the
// engine's part by setting states directly. The app's own store is created and written only by state/bind-lab.ts.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabState } from '../../src/state/store.js';

export function testLabStore(initial: LabState): StoreApi<LabState> {
  return createStore<LabState>()(() => initial);
}
