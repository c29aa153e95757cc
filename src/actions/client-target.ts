// client-target: points an application client at the Sentinels (it asks them for the master, and asks again on
// +switch-master, on READONLY and when its connection drops), or pins it to one data node's address, as a client
// configured with a plain host and port is. Needs the deployment's traffic capability.
import { z } from 'zod';
import { cliProgram, publicAddress } from '../cluster/topology.js';
import { redisRef } from '../tokens.js';
import { asIs, defineAction } from './action.js';

const TARGET = 'target must be "sentinel" or a Redis node id like "redis-2"';

export const clientTarget = defineAction({
  kind: 'client-target',
  schema: z.strictObject({
    kind: z.literal('client-target'),
    client: z.enum(['A', 'B'], { error: 'client must be "A" or "B"' }),
    // One message for both forms: as a union, zod reports only the node id's pattern for any other word.
    target: z
      .string({ error: TARGET })
      .refine((s) => s === 'sentinel' || redisRef.safeParse(s).success, { error: TARGET }),
  }),
  requires: 'traffic',
  disruptive: false,
  normalize: asIs,
  title: (a) =>
    a.target === 'sentinel' ? `client ${a.client} asks the Sentinels` : `pin client ${a.client} to ${a.target}`,
  line: (a) =>
    a.target === 'sentinel'
      ? `client ${a.client} asks the Sentinels for the master`
      : `pin client ${a.client} to ${a.target}'s address`,
  busy: (a) => `reconfiguring client ${a.client}…`,
  equivalent(a, t) {
    if (a.target === 'sentinel') {
      const cli = cliProgram(t);
      return `${cli} -h $(${cli} -p <sentinel> SENTINEL GET-MASTER-ADDR-BY-NAME ${t.sentinel.masterName} | head -1) -a ${t.password}   # ask again after +switch-master, READONLY or a lost connection`;
    }
    const { host, port } = publicAddress(t, a.target);
    return `${cliProgram(t)} -h ${host} -p ${port} -a ${t.password}   # a fixed address: no Sentinel involved`;
  },
  check(a, refs, report) {
    if (a.target !== 'sentinel' && !refs.redis.has(a.target)) report(['target'], `unknown node "${a.target}"`);
    if (a.target === 'sentinel' && refs.sentinels.size === 0) report(['target'], 'the topology has no Sentinels');
  },
  execute: (a, env) =>
    env.clients().retarget(a.client, a.target === 'sentinel' ? { kind: 'sentinel' } : { kind: 'node', node: a.target }),
});
