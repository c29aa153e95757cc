// Tiny builders for hand-made histories in the ledger tests.
import type { HistoryOp } from '../../src/cluster/events.js';

let seq = 0;

export function op(p: Partial<HistoryOp> & Pick<HistoryOp, 'type'>): HistoryOp {
  return { seq: ++seq, at: 0, process: 'workload', f: 'add', ...p };
}

/** invoke + completion of one add, at `at` (completion 1 ms later). */
export function add(
  opId: number,
  value: string,
  outcome: 'ok' | 'fail' | 'info',
  at: number,
  node = 'redis-1',
  extra: Partial<HistoryOp> = {},
): HistoryOp[] {
  const error =
    outcome === 'fail'
      ? 'NOREPLICAS Not enough good replicas to write.'
      : outcome === 'info'
        ? 'TIMEOUT no reply'
        : undefined;
  return [
    op({ type: 'invoke', opId, value, at, node, ...extra }),
    op({ type: outcome, opId, value, at: at + 1, node, ...(error ? { error } : {}), ...extra }),
  ];
}
