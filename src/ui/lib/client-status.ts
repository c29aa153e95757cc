// Pure: what one application client has been through, from its results (newest last): its latest answer, its last
// error, since when it has been failing, and when it recovered (the first success after its last run of failures).
// The client pane shows client A and client B side by side with this.
import type { ClientName, ClientSpec } from '../../cluster/topology.js';
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
  /** When it last recovered: the first success after a run of failures, and how long those failures lasted. */
  recovered?: { at: number; afterMs: number; node?: string };
}

/** The status of `client` from the lab's client results (oldest first). */
export function clientStatus(
  results: readonly ClientResult[],
  client: ClientName,
  spec: { host: string; target: ClientSpec['target'] },
): ClientStatus {
  const mine = results.filter((r) => r.client === client);
  const out: ClientStatus = { client, target: spec.target, host: spec.host };
  const last = mine[mine.length - 1];
  if (!last) return out;
  out.last = last;
  let runStart: number | undefined;
  for (const r of mine) {
    if (!r.ok) {
      out.lastError = r;
      runStart ??= r.at;
    } else if (runStart !== undefined) {
      out.recovered = { at: r.at, afterMs: r.at - runStart, ...(r.node ? { node: r.node } : {}) };
      runStart = undefined;
    }
  }
  if (!last.ok && runStart !== undefined) out.failingSince = runStart;
  return out;
}

/** Both clients, with any client-target change applied over the topology's choice. */
export function clientStatuses(s: LabState): [ClientStatus, ClientStatus] {
  const spec = (c: ClientName) => ({
    host: s.topology.clients[c].host,
    target: s.clientTargets[c] ?? s.topology.clients[c].target,
  });
  return [clientStatus(s.clientResults, 'A', spec('A')), clientStatus(s.clientResults, 'B', spec('B'))];
}

/** "asks Sentinel" / "pinned to redis-1". */
export function targetWords(target: ClientSpec['target']): string {
  return target.kind === 'sentinel' ? 'asks Sentinel' : `pinned to ${target.node}`;
}
