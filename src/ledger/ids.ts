// Process-wide counters for HistoryOp.seq and opId, so ops from several actors and the workload never collide.
// The engine may inject its own allocators; these are the defaults.

export type IdAllocator = () => number;

export function createCounter(start = 0): IdAllocator {
  let n = start;
  return () => ++n;
}

/** Default allocator for `HistoryOp.seq`. */
export const nextHistorySeq: IdAllocator = createCounter();
/** Default allocator for `HistoryOp.opId` (unique per process, hence also per client). */
export const nextOpId: IdAllocator = createCounter();
