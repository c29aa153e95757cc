// Pure: the lab's Topology of one master of a deployment it did not start, from the facts discovery gathered. Node
// ids are the facts' (`redis-1`… in address order per master, `sentinel-1`… over every Sentinel found), one host per
// distinct IP (`host-1`… in address order), the settings the Sentinels and the master report, and no password: the
// credentials stay in the remote deployment's command path.
import type { HostSpec, NodeSpec, Topology } from '../../cluster/topology.js';
import { DEFAULT_REPLICATION_SETTINGS, DEFAULT_SENTINEL_SETTINGS } from '../../cluster/topology.js';
import { compareEndpoints, type Facts, namedMaster, nodeAtEndpoint, sameEndpoint } from '../../diagnosis/facts.js';
import type { Endpoint } from '../../diagnosis/snapshot.js';

export interface RemoteTopology {
  topology: Topology;
  /** Where each node really is (what Sentinel and the nodes report). */
  endpoints: Map<string, Endpoint>;
  /** Every address a node was found under (a Sentinel may have aliases), for resolving what replies name. */
  aliases: Map<string, string>;
  /** The master the Sentinels name (a majority's answer, else a node reporting role master, else the first). */
  masterId: string;
}

const key = (e: Endpoint) => `${e.host}|${e.port}`;

/** The Sentinels of `master`: those that monitor it, and those they list as peers (answering or not). */
function sentinelsOf(f: Facts, master: string) {
  const monitoring = f.sentinels.filter((s) => s.views[master] !== undefined);
  const peers = f.sentinels.filter(
    (s) =>
      !monitoring.includes(s) &&
      monitoring.some((m) =>
        m.views[master]?.sentinels.some((p) =>
          [s.endpoint, ...s.aliases].some((e) => e.host === p.ip && e.port === p.port),
        ),
      ),
  );
  return [...monitoring, ...peers].sort((a, b) => compareEndpoints(a.endpoint, b.endpoint));
}

export function remoteTopology(f: Facts, master: string): RemoteTopology {
  const m = f.masters.find((x) => x.name === master);
  if (!m) throw new Error(`no master named ${master} in the facts`);
  const sentinels = sentinelsOf(f, master);
  const named = namedMaster(f, master);
  const masterNode =
    m.nodes.find((n) => sameEndpoint(n.endpoint, named)) ??
    m.nodes.find((n) => nodeAtEndpoint(f, n.endpoint)?.replication?.role === 'master') ??
    m.nodes[0];
  if (!masterNode) throw new Error(`the Sentinels name no data node for ${master}`);

  const hostIps: string[] = [];
  const byAddress = [...m.nodes.map((n) => n.endpoint), ...sentinels.map((s) => s.endpoint)].sort(compareEndpoints);
  for (const e of byAddress) if (!hostIps.includes(e.host)) hostIps.push(e.host);
  const hosts: HostSpec[] = hostIps.map((ip, i) => ({ id: `host-${i + 1}`, ip, publicIp: ip }));
  const hostOf = (e: Endpoint) => hosts.find((h) => h.ip === e.host)?.id ?? 'host-1';

  const nodes: NodeSpec[] = [];
  const endpoints = new Map<string, Endpoint>();
  const aliases = new Map<string, string>();
  for (const n of m.nodes) {
    const fact = nodeAtEndpoint(f, n.endpoint);
    nodes.push({
      kind: 'redis',
      id: n.id,
      host: hostOf(n.endpoint),
      port: n.endpoint.port,
      initialRole: n === masterNode ? 'master' : 'replica',
      masterauth: fact?.config.hasMasterauth ?? true,
      replicaPriority: fact?.config.replicaPriority ?? 100,
      persistence: fact?.config.appendonly === 'yes',
    });
    endpoints.set(n.id, n.endpoint);
    aliases.set(key(n.endpoint), n.id);
  }
  for (const s of sentinels) {
    nodes.push({ kind: 'sentinel', id: s.id, host: hostOf(s.endpoint), port: s.endpoint.port });
    endpoints.set(s.id, s.endpoint);
    for (const e of [s.endpoint, ...s.aliases]) aliases.set(key(e), s.id);
  }

  // Settings as the Sentinel naming the master (or any that answers) reports them, and the master's own.
  const view =
    sentinels.map((s) => s.views[master]).find((v) => v?.master && sameEndpoint(v.named, named))?.master ??
    sentinels.map((s) => s.views[master]?.master).find((x) => x !== undefined);
  const masterFact = nodeAtEndpoint(f, masterNode.endpoint);
  const parallel = Number(view?.fields['parallel-syncs']);
  const topology: Topology = {
    password: '',
    // Credentials of a deployment the lab did not start stay in Addresses.auth, never in the topology.
    sentinelAuth: {},
    networkMode: 'hosts',
    hosts,
    nodes,
    sentinel: {
      ...DEFAULT_SENTINEL_SETTINGS,
      masterName: master,
      quorum: view?.quorum || DEFAULT_SENTINEL_SETTINGS.quorum,
      downAfterMs: view?.downAfterMs || DEFAULT_SENTINEL_SETTINGS.downAfterMs,
      failoverTimeoutMs: view?.failoverTimeoutMs || DEFAULT_SENTINEL_SETTINGS.failoverTimeoutMs,
      parallelSyncs: Number.isInteger(parallel) && parallel > 0 ? parallel : DEFAULT_SENTINEL_SETTINGS.parallelSyncs,
      notificationScript: false,
    },
    replication: {
      ...DEFAULT_REPLICATION_SETTINGS,
      minReplicasToWrite: masterFact?.config.minReplicasToWrite ?? 0,
      minReplicasMaxLagSec:
        masterFact?.config.minReplicasMaxLagSec ?? DEFAULT_REPLICATION_SETTINGS.minReplicasMaxLagSec,
    },
    clients: {
      A: { host: hosts[0]?.id ?? 'host-1', target: { kind: 'sentinel' } },
      B: { host: hostOf(masterNode.endpoint), target: { kind: 'node', node: masterNode.id } },
    },
  };
  return { topology, endpoints, aliases, masterId: masterNode.id };
}

/** Resolves an address as Sentinel or a node reports it to a node id of this topology. */
export function resolverOf(t: RemoteTopology): (ip: string, port: number) => string | undefined {
  return (ip, port) => t.aliases.get(`${ip}|${port}`);
}
