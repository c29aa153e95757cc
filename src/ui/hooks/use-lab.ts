// Narrow subscriptions to the lab store: a component re-renders only when its selected value changes.
import { useContext } from 'react';
import { useStore } from 'zustand';
import type { LabController } from '../../state/controller.js';
import type { LabState } from '../../state/store.js';
import { ControllerContext } from '../contexts.js';

export function useController(): LabController {
  const c = useContext(ControllerContext);
  if (!c) throw new Error('useController must be used inside <App>');
  return c;
}

/** Selectors must return primitives or references already in the state (or be wrapped in useShallow). */
export function useLab<T>(selector: (s: LabState) => T): T {
  return useStore(useController().store, selector);
}
