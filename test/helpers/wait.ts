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

/**
 * How long a test that leaves only two Sentinels to vote waits for their failover. Two candidates that ask for
 * votes at the same moment each vote for themselves and neither reaches the majority; a Sentinel tries the same
 * master again only two times failover-timeout after its attempt began (redis.io, Sentinel: the `failover-timeout`
 * option). The wait covers `splitVotes` such rounds, two by default: a wait costs nothing when the failover comes
 * early, and each split vote seen in CI so far came from a wait that covered none.
 */
export function twoVoterFailoverMs(s: { downAfterMs: number; failoverTimeoutMs: number }, splitVotes = 2): number {
  // SDOWN: down-after plus up to one PING period (1 s); ODOWN: the next round of is-master-down-by-addr (each second).
  const detectMs = s.downAfterMs + 2000;
  // Each attempt starts up to 1 s late, at random, so that Sentinels do not all ask at once.
  const desyncMs = 1000;
  // The election, SLAVEOF NO ONE, the promotion seen in INFO (each second during a failover), the reconfiguration.
  const finishMs = 10_000;
  return detectMs + desyncMs + splitVotes * (2 * s.failoverTimeoutMs + desyncMs) + finishMs;
}
