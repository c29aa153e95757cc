// Test helpers: wait for a condition (never a bare sleep), and find a free port block for a test.
import { canBind } from '../../src/cluster/process/ports.js';

export async function eventually<T>(
  fn: () => T | Promise<T>,
  opts: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<NonNullable<T>> {
  const end = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      throw new Error(
        `timed out after ${opts.timeoutMs} ms waiting for ${opts.what ?? 'condition'} (last: ${String(last)})`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
}

let next = 0;
/** A base port for one test, unique per test file run (pid-spread so parallel files don't collide). */
export async function freeBase(span = 110): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const base = 30000 + ((process.pid * 7 + next++ * 211) % 25000);
    let ok = true;
    for (const p of [
      base,
      base + 1,
      base + 2,
      base + 3,
      base + 4,
      base + span - 10,
      base + span - 9,
      base + span - 8,
    ]) {
      if (!(await canBind('127.0.0.1', p))) {
        ok = false;
        break;
      }
    }
    if (ok) return base;
  }
  throw new Error('no free port block for the test');
}
