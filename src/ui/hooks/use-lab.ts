// Narrow subscriptions to the lab store: a component re-renders only when its selected value changes.
// Every commit makes Ink lay out and redraw the whole frame, so an idle screen must not commit at all:
// components that derive objects select them through useLabView, which keeps the previous reference while
// the derived value is equal, and numbers that churn while the cluster idles go through useLabThrottled.
import { useContext, useEffect, useRef, useState } from 'react';
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

/** Stabilises a derived value: an equal one (by JSON) returns the previously returned reference. */
export function stableBy<T>(last: { current: { json: string | undefined; value: T } | undefined }, value: T): T {
  const json = JSON.stringify(value);
  if (last.current && last.current.json === json) return last.current.value;
  last.current = { json, value };
  return value;
}

/**
 * For selectors that build a fresh (JSON-serialisable) object or array from the state, e.g. a row's display
 * segments: the component re-renders only when that value really changes, not on every store update.
 */
export function useLabView<T>(selector: (s: LabState) => T): T {
  const last = useRef<{ json: string | undefined; value: T } | undefined>(undefined);
  return useLab((s) => stableBy(last, selector(s)));
}

/**
 * Like useLabView, but re-renders at most once per `intervalMs`. The first change after a quiet interval shows
 * at once; further changes inside the interval are shown together at its end. For values that tick on every
 * probe (lag bytes, ACK ages, sparklines) and would otherwise redraw the screen several times a second.
 */
export function useLabThrottled<T>(selector: (s: LabState) => T, intervalMs: number): T {
  const store = useController().store;
  const [snapshot, setSnapshot] = useState(() => store.getState());
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const last = useRef<{ json: string | undefined; value: T } | undefined>(undefined);
  useEffect(() => {
    let timer: NodeJS.Timeout | undefined;
    let shownAt = 0;
    const check = () => {
      const s = store.getState();
      if (JSON.stringify(selectorRef.current(s)) === last.current?.json) return false;
      setSnapshot(s);
      return true;
    };
    const show = () => {
      timer = undefined;
      if (check()) shownAt = Date.now();
    };
    // A change between the first render and this effect must not be lost.
    check();
    const unsubscribe = store.subscribe(() => {
      timer ??= setTimeout(show, Math.max(0, shownAt + intervalMs - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [store, intervalMs]);
  return stableBy(last, selector(snapshot));
}
