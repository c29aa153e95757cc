// Pure: what each application client has been through, kept as a few facts updated with every client result (the
// store's writer, state/bind-lab.ts, folds each result in as it is recorded). The store keeps only the latest
// LIMITS.clientResults results, so an outage longer than that window could not be measured from them: its start
// and length must be recorded as they happen, and then never change. Fixed size per client: memory stays bounded.
import type { ClientResultEvent } from '../cluster/events.js';
import type { ClientName } from '../cluster/topology.js';

/** One client's outage facts, from every result it ever had (oldest first), not only the ones the store keeps. */
export interface ClientRun {
  /** Its latest result. */
  last?: ClientResultEvent;
  /** Its latest failed result. */
  lastError?: ClientResultEvent;
  /** While failing: when the first failure of the current run of failures happened. */
  failingSince?: number;
  /** Failures in the current run of failures (0 when its latest result succeeded). */
  failingCount: number;
  /** The first success after its latest run of failures: when, on which node, how long and how many failures. */
  recovered?: { at: number; afterMs: number; failures: number; node?: string };
  /** Every result it had: how many succeeded, how many failed. */
  ok: number;
  failed: number;
}

export type ClientRuns = Record<ClientName, ClientRun>;

export function emptyClientRun(): ClientRun {
  return { failingCount: 0, ok: 0, failed: 0 };
}

export function emptyClientRuns(): ClientRuns {
  return { A: emptyClientRun(), B: emptyClientRun() };
}

/** The client's run with one more result, its newest (returns a new object; `run` is not changed). */
export function recordClientResult(run: ClientRun, r: ClientResultEvent): ClientRun {
  if (!r.ok) {
    return {
      ...run,
      last: r,
      lastError: r,
      failingSince: run.failingSince ?? r.at,
      failingCount: run.failingCount + 1,
      failed: run.failed + 1,
    };
  }
  const { failingSince, ...rest } = run;
  return {
    ...rest,
    last: r,
    failingCount: 0,
    ok: run.ok + 1,
    ...(failingSince === undefined
      ? {}
      : {
          recovered: {
            at: r.at,
            afterMs: r.at - failingSince,
            failures: run.failingCount,
            ...(r.node ? { node: r.node } : {}),
          },
        }),
  };
}

/** Both clients' runs with `results` (oldest first) folded in after `runs`. */
export function recordClientResults(runs: ClientRuns, results: readonly ClientResultEvent[]): ClientRuns {
  let next = runs;
  for (const r of results) next = { ...next, [r.client]: recordClientResult(next[r.client], r) };
  return next;
}
