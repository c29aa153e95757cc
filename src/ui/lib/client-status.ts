// Pure: what one application client has been through: its latest answer, its last error, since when it has been
// failing and when it recovered (the first success after its last run of failures). The facts come from the store's
// per-client record (state/client-runs.ts), kept as each result arrives, not from the latest results the store
// keeps (LIMITS.clientResults): an outage longer than that window keeps its start and its length.
// The client pane shows client A and client B side by side with this.
import type { ClientName, ClientSpec } from '../../cluster/topology.js';
import type { ClientRun } from '../../state/client-runs.js';
import type { ClientResult, LabState } from '../../state/store.js';

export interface ClientStatus {
  client: ClientName;
  /** Where it sends its requests: asks the Sentinels, or pinned to one node. */
  target: ClientSpec['target'];
  host: string;
  /** Its latest result. */
  last?: ClientResult;
  /** Its latest failed result. */
  lastError?: ClientResult;
  /** While failing: the first failure of the current run of failures. */
  failingSince?: number;
  /** While failing: how many failures the current run has had. */
  failingCount?: number;
  /** When it last recovered: the first success after a run of failures, how long and how many failures it ended. */
  recovered?: { at: number; afterMs: number; failures: number; node?: string };
}

/** The status of `client` from its record in the store. */
export function clientStatus(
  run: ClientRun,
  client: ClientName,
  spec: { host: string; target: ClientSpec['target'] },
): ClientStatus {
  const out: ClientStatus = { client, target: spec.target, host: spec.host };
  if (!run.last) return out;
  out.last = run.last;
  if (run.lastError) out.lastError = run.lastError;
  if (!run.last.ok && run.failingSince !== undefined) {
    out.failingSince = run.failingSince;
    out.failingCount = run.failingCount;
  }
  if (run.recovered) out.recovered = run.recovered;
  return out;
}

/** Both clients, with any client-target change applied over the topology's choice. */
export function clientStatuses(s: LabState): [ClientStatus, ClientStatus] {
  const spec = (c: ClientName) => ({
    host: s.topology.clients[c].host,
    target: s.clientTargets[c] ?? s.topology.clients[c].target,
  });
  return [clientStatus(s.clientRuns.A, 'A', spec('A')), clientStatus(s.clientRuns.B, 'B', spec('B'))];
}

/** "asks Sentinel" / "pinned to redis-1". */
export function targetWords(target: ClientSpec['target']): string {
  return target.kind === 'sentinel' ? 'asks Sentinel' : `pinned to ${target.node}`;
}
