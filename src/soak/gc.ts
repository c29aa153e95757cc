// A full garbage collection on demand, so the soak reads each round's memory with no garbage waiting to be
// collected: what it judges is memory still held. V8 only exposes `gc` when started with --expose-gc; setting the
// flag at run time and taking `gc` from a fresh context is the same thing Jest's leak detector does
// (https://github.com/jestjs/jest/blob/main/packages/jest-leak-detector/src/index.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let cached: (() => void) | null | undefined;

/** The `gc` function, or undefined where the runtime refuses to expose it. */
export function fullGc(): (() => void) | undefined {
  if (cached === undefined) {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === 'function') cached = existing;
    else {
      try {
        setFlagsFromString('--expose-gc');
        const fn: unknown = runInNewContext('gc');
        cached = typeof fn === 'function' ? (fn as () => void) : null;
      } catch {
        cached = null;
      }
    }
  }
  return cached ?? undefined;
}
