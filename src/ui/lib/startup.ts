// Pure: while the cluster starts, what the lab is waiting on, in one line for the status row. The start goes through
// the readiness gaps in order (state/ready.ts): processes, the master, the replicas' sync, then what each Sentinel
// sees. Only the first kind still open is named, with the mechanism that closes it where the wait is Sentinel's own
// timing (a lesson that starts the Sentinels knowing only the master waits ~2 s for their hellos: 01-tour).
import { initialMaster, redisNodes, sentinelNodes, type Topology } from '../../cluster/topology.js';
import type { ReadinessGap } from '../../state/ready.js';

/** Whether `ids` name every one of `all` (more than one), and how to say who they are: "all 3 Sentinels", else the ids. */
function who(ids: string[], all: string[], plural: string): { everyone: boolean; text: string } {
  const named = all.filter((id) => ids.includes(id));
  const everyone = named.length === all.length && all.length > 1;
  return { everyone, text: everyone ? `all ${all.length} ${plural}` : named.join(', ') };
}

/** `gaps` as readinessGaps lists them: the first kind still open is the one the start is waiting on. */
export function startupWaitText(gaps: readonly ReadinessGap[], topology: Topology): string | undefined {
  const kind = gaps[0]?.kind;
  if (!kind) return undefined;
  const ids = gaps.filter((g) => g.kind === kind).map((g) => g.node);
  const master = initialMaster(topology).id;
  const sentinels = sentinelNodes(topology).map((n) => n.id);
  const replicas = redisNodes(topology)
    .map((n) => n.id)
    .filter((id) => id !== master);
  switch (kind) {
    case 'process':
      return `starting ${
        who(
          ids,
          topology.nodes.map((n) => n.id),
          'processes',
        ).text
      }`;
    case 'master':
      return `waiting for ${master} to answer as master`;
    case 'replica-sync':
      return `${who(ids, replicas, 'replicas').text} syncing with ${master} (a full sync, then the link is up)`;
    case 'sentinel':
      return `waiting for ${who(ids, sentinels, 'Sentinels').text} to see ${master}`;
    case 'sentinel-replicas':
      return `${who(ids, sentinels, 'Sentinels').text} finding the replicas: a Sentinel reads ${master}'s INFO when it connects, then every 10 s`;
    case 'sentinel-peers': {
      const w = who(ids, sentinels, 'Sentinels');
      return `${w.text} finding ${w.everyone ? 'each other' : 'the other Sentinels'}: each Sentinel says hello every 2 s on __sentinel__:hello`;
    }
  }
}
