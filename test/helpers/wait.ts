// Test helpers: wait for a condition (never a bare sleep), and find a free port block for a test.

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

/**
 * A base port for one test's whole block: below Linux's ephemeral range (so the lab's own outgoing links never
 * take it), away from the lab's default candidates, and free on every address the block uses.
 */
export { freeBlock as freeBase } from '../hardening/support.js';
