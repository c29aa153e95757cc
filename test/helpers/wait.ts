// Test helpers: wait for a condition (never a bare sleep), and find a free port block for a test.
import { failoverBoundMs } from '../../src/cluster/topology.js';

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

/**
 * How long a test waits for a failover after the fault that causes it: two split votes covered (`failoverBoundMs`),
 * and 5 s more for what the tests wait for after the switch (roles seen, clients moved). With three voters a split
 * vote came in 2 of 25 kills (measured at down-after 1000), with two voters more often, so a wait that covers none
 * or only one fails now and then; a wait costs nothing when the failover comes early.
 */
export function failoverWaitMs(s: { downAfterMs: number; failoverTimeoutMs: number }): number {
  return failoverBoundMs(s, 2) + 5000;
}
