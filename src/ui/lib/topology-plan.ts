// How the topology pane lays out its rows, as a pure function, so that the pane and the ↑/↓ keys agree on the
// order of the node rows: grouped by host (host-1's redis-1 and sentinel-1, then host-2's …) when every host line
// fits, else one line per node (data nodes, then Sentinels). Selecting "the next node" walks this order, so ↓
// always lands on the row under the selection.
import { selectMastership } from '../../state/selectors.js';
import type { LabState } from '../../state/store.js';

export interface TopologyPlan {
  /** One heading per host, its nodes under it. */
  roomy: boolean;
  /** Hosts shown (those with a node or a client), in topology order. */
  hosts: string[];
  /** Node ids in the order their rows appear. */
  order: string[];
  /** Rows the split-brain and Sentinel-disagreement warnings take. */
  warnings: number;
}

/** Below this inner width host headings do not fit beside the node rows' columns. */
export const ROOMY_MIN_COLUMNS = 50;

export function topologyPlan(
  s: Pick<LabState, 'topology' | 'faults' | 'redis' | 'sentinels'>,
  size: { width: number; height: number } | undefined,
): TopologyPlan {
  const t = s.topology;
  const hosts = t.hosts
    .map((h) => h.id)
    .filter((h) => t.nodes.some((n) => n.host === h) || t.clients.A.host === h || t.clients.B.host === h);
  const m = selectMastership(s as LabState);
  const warnings = (m.claims.length > 1 ? 1 : 0) + (m.disagreement ? m.disagreement.split('; ').length : 0);
  // No topology pane on screen (the lesson alone): the host order, as the pane shows it when there is room.
  const roomy =
    size === undefined ||
    (hosts.length + t.nodes.length + s.faults.length + warnings <= size.height && size.width >= ROOMY_MIN_COLUMNS);
  const order = roomy
    ? hosts.flatMap((h) => t.nodes.filter((n) => n.host === h).map((n) => n.id))
    : [...t.nodes.filter((n) => n.kind === 'redis'), ...t.nodes.filter((n) => n.kind === 'sentinel')].map((n) => n.id);
  return { roomy, hosts, order, warnings };
}
