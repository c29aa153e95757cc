// nat: puts a host behind a NAT that remaps ports, as Docker's `-p 6581:6381` does. Its nodes are then reached only
// at their own port plus NAT_PORT_OFFSET, while they keep announcing the port they listen on (a replica in REPLCONF
// listening-port, a Sentinel in its hello messages), so Sentinel hands out an address where nothing answers
// (redis.io, "Sentinel, Docker, NAT, and possible issues"). The fix is announce-port.ts; `enabled: false` undoes it.
// Needs the deployment's network capability (the local lab's fabric).
import { z } from 'zod';
import { NAT_PORT_OFFSET, natPort, publicAddress, type Topology } from '../cluster/topology.js';
import { UserError } from '../errors.js';
import { hostRef } from '../tokens.js';
import { asIs, defineAction } from './action.js';

function nodesOn(t: Topology, host: string) {
  return t.nodes.filter((n) => n.host === host);
}

/** `-p 6581:6381 -p 6681:6481`: the port mappings of a host's nodes behind the NAT. */
export function natMappings(t: Topology, host: string): string {
  return nodesOn(t, host)
    .map((n) => `-p ${natPort(n.port)}:${n.port}`)
    .join(' ');
}

export const nat = defineAction({
  kind: 'nat',
  schema: z.strictObject({ kind: z.literal('nat'), host: hostRef, enabled: z.boolean() }),
  requires: 'network',
  // Sentinel loses a remapped master exactly as it loses a crashed one.
  disruptive: true,
  normalize: asIs,
  title: (a) => (a.enabled ? `NAT ${a.host}: ports +${NAT_PORT_OFFSET}` : `NAT ${a.host} removed`),
  line: (a) =>
    a.enabled
      ? `put ${a.host} behind a NAT (its ports published ${NAT_PORT_OFFSET} higher)`
      : `take ${a.host} out of the NAT (its own ports again)`,
  busy: (a) => (a.enabled ? `remapping ${a.host}'s ports…` : `restoring ${a.host}'s ports…`),
  equivalent(a, t) {
    const n = nodesOn(t, a.host)[0];
    const where = n ? publicAddress(t, n.id).host : a.host;
    return a.enabled
      ? `docker run ${natMappings(t, a.host)} …   # ${a.host}'s nodes answer at ${where} only on the published ports; nothing listens on their own`
      : `docker run ${nodesOn(t, a.host)
          .map((x) => `-p ${x.port}:${x.port}`)
          .join(' ')} …   # published 1:1 again`;
  },
  check(a, refs, report) {
    if (!refs.hosts.includes(a.host)) report(['host'], `unknown host "${a.host}"`);
  },
  async execute(a, env) {
    const t = env.topology;
    if (!nodesOn(t, a.host).length) throw new UserError(`${a.host} runs no node of the lab`);
    const network = env.use('network');
    if (!network.remap) throw new UserError('this deployment cannot remap ports');
    await network.remap(a.host, a.enabled ? NAT_PORT_OFFSET : 0);
    env.nemesis(a.enabled ? 'fault' : 'heal', `NAT ${a.host} ${a.enabled ? `+${NAT_PORT_OFFSET}` : 'removed'}`);
    for (const n of nodesOn(t, a.host)) env.pollNow(n.id);
    const ports = nodesOn(t, a.host)
      .map((n) => `${n.id} ${a.enabled ? `${n.port} → ${natPort(n.port)}` : `at ${n.port}`}`)
      .join(', ');
    return a.enabled ? `${a.host} behind the NAT: ${ports}` : `${a.host} published 1:1 again: ${ports}`;
  },
});
