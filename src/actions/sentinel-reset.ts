// SENTINEL RESET on one Sentinel: it forgets the replicas, the other Sentinels and the failover state of the master
// and discovers them again, the replicas from the master's INFO (every 10 s) and its peers from their hello messages
// (every 2 s). The lesson way to watch discovery happen (sentinel.c, sentinelResetMaster). Needs reconfigure.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { sentinelRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

export const sentinelReset = defineAction({
  kind: 'sentinel-reset',
  schema: z.strictObject({ kind: z.literal('sentinel-reset'), sentinel: sentinelRef }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `SENTINEL RESET on ${a.sentinel}`,
  line: (a) => `SENTINEL RESET on ${a.sentinel}`,
  busy: (a) => `SENTINEL RESET on ${a.sentinel}…`,
  equivalent: (a, t) => `${cliLine(t, a.sentinel)} SENTINEL RESET ${t.sentinel.masterName}`,
  check(a, refs, report) {
    if (!refs.sentinels.has(a.sentinel)) report(['sentinel'], unknownNode(a.sentinel));
  },
  async execute(a, env) {
    const n = env.node(a.sentinel);
    if (n.kind !== 'sentinel') throw new UserError(`${a.sentinel} is not a Sentinel`);
    const reset = await env.use('reconfigure').sentinelReset(n.id);
    env.pollNow(n.id);
    return `${n.id} reset ${reset} master${reset === 1 ? '' : 's'}; it rediscovers the replicas and Sentinels`;
  },
});
