// announce-port: the fix for a node behind the lab's NAT (nat.ts). A replica announces the port it is published at
// (`replica-announce-port`, sent to its master as REPLCONF listening-port, so it shows up in the master's INFO where
// Sentinel discovers replicas); a Sentinel announces it in its hello messages (`SENTINEL CONFIG SET announce-port`).
// A replica only introduces itself when it connects, so the action also drops its link to the master (CLIENT KILL
// TYPE master), which it re-opens at once with a partial resync; a replica still syncing is waited for first (the
// deployment's reconnectReplica). `published: false` announces its own port again.
// Needs the deployment's reconfigure capability.
import { z } from 'zod';
import { natPort, nodeById, publicAddress, type Topology } from '../cluster/topology.js';
import { UserError } from '../errors.js';
import { nodeRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

function announced(t: Topology, node: string, published: boolean): number | undefined {
  const n = t.nodes.find((x) => x.id === node);
  return n && (published ? natPort(n.port) : n.port);
}

export const announcePort = defineAction({
  kind: 'announce-port',
  schema: z.strictObject({ kind: z.literal('announce-port'), node: nodeRef, published: z.boolean() }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a, t) => `${a.node} announces port ${announced(t, a.node, a.published) ?? '?'}`,
  line: (a) => `${a.node} announces its ${a.published ? 'published (NAT)' : 'own'} port`,
  busy: (a) => `${a.node}: announcing its ${a.published ? 'published' : 'own'} port…`,
  equivalent(a, t) {
    const port = announced(t, a.node, a.published) ?? '<port>';
    // Announcing the published port means the node sits behind the NAT: reach it there too.
    const n = nodeById(t, a.node);
    const cli =
      a.published && n
        ? cliLine(t, a.node).replace(`-p ${publicAddress(t, a.node).port}`, `-p ${natPort(n.port)}`)
        : cliLine(t, a.node);
    return a.node.startsWith('sentinel')
      ? `${cli} SENTINEL CONFIG SET announce-port ${port}`
      : `${cli} CONFIG SET replica-announce-port ${port}; ${cli} CONFIG REWRITE; ${cli} CLIENT KILL TYPE master   # reconnect, so the master hears the new port`;
  },
  check(a, refs, report) {
    if (!refs.redis.has(a.node) && !refs.sentinels.has(a.node)) report(['node'], unknownNode(a.node));
  },
  async execute(a, env) {
    const n = env.node(a.node);
    const port = announced(env.topology, n.id, a.published);
    if (port === undefined) throw new UserError(`unknown node "${a.node}"`);
    const r = env.use('reconfigure');
    if (n.kind === 'sentinel') {
      if (!r.sentinelConfigSet) throw new UserError('this deployment cannot change a Sentinel’s settings');
      await r.sentinelConfigSet(n.id, 'announce-port', port);
    } else {
      if (!r.reconnectReplica) throw new UserError('this deployment cannot make a replica reconnect');
      await r.configSet(n.id, [['replica-announce-port', port]], { rewrite: 'best-effort' });
      await r.reconnectReplica(n.id);
    }
    env.pollNow(n.id);
    return `${n.id} announces port ${port}`;
  },
});
