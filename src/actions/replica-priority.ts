// replica-priority on one data node: the first thing Sentinel compares when it picks a replica to promote (lower
// wins; 0 means never), then the replication offset, then the run id (sentinel.c, compareSlavesForPromotion).
// CONFIG SET plus a best-effort CONFIG REWRITE, like masterauth; Sentinel sees the value at its next INFO to the
// node. Needs reconfigure.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { count, redisRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

export const replicaPriority = defineAction({
  kind: 'replica-priority',
  schema: z.strictObject({
    kind: z.literal('replica-priority'),
    node: redisRef,
    priority: count('priority', 0, 1000),
  }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `replica-priority ${a.priority} on ${a.node}`,
  line: (a) => `replica-priority ${a.priority} on ${a.node}${a.priority === 0 ? ' (never promoted)' : ''}`,
  busy: (a) => `setting replica-priority ${a.priority} on ${a.node}…`,
  equivalent: (a, t) => `${cliLine(t, a.node)} CONFIG SET replica-priority ${a.priority}   # old name: slave-priority`,
  check(a, refs, report) {
    if (!refs.redis.has(a.node)) report(['node'], unknownNode(a.node));
  },
  async execute(a, env) {
    const n = env.node(a.node);
    if (n.kind !== 'redis') throw new UserError(`${a.node} is a Sentinel; replica-priority belongs to Redis nodes`);
    // Live at once; a failed rewrite only means a restart would forget it.
    await env.use('reconfigure').configSet(n.id, [['replica-priority', a.priority]], { rewrite: 'best-effort' });
    env.pollNow(n.id);
    return `replica-priority ${a.priority} on ${n.id}`;
  },
});
