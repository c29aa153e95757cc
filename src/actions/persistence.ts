// persistence: the append-only file on or off on one data node (CONFIG SET appendonly + CONFIG REWRITE). Without
// it, a master that restarts comes back empty and its replicas copy the empty dataset (redis.io, "Safety of
// replication when master has persistence turned off"). Turning it on waits until the first rewrite has put the
// whole dataset in the file, so a crash right after still reloads it. Needs the deployment's reconfigure capability.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { redisRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

export const persistence = defineAction({
  kind: 'persistence',
  schema: z.strictObject({ kind: z.literal('persistence'), node: redisRef, enabled: z.boolean() }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `appendonly ${a.enabled ? 'yes' : 'no'} on ${a.node} (persistence ${a.enabled ? 'on' : 'off'})`,
  line: (a) => `appendonly ${a.enabled ? 'yes' : 'no'} on ${a.node} (persistence ${a.enabled ? 'on' : 'off'})`,
  busy: (a) => `${a.enabled ? 'turning on' : 'turning off'} the append-only file on ${a.node}…`,
  equivalent: (a, t) =>
    `${cliLine(t, a.node)} CONFIG SET appendonly ${a.enabled ? 'yes' : 'no'}; ${cliLine(t, a.node)} CONFIG REWRITE`,
  check(a, refs, report) {
    if (!refs.redis.has(a.node)) report(['node'], unknownNode(a.node));
  },
  async execute(a, env) {
    const n = env.node(a.node);
    if (n.kind !== 'redis') throw new UserError(`${a.node} is a Sentinel; persistence belongs to Redis nodes`);
    const r = env.use('reconfigure');
    if (!r.persistence) throw new UserError('this deployment cannot change persistence');
    await r.persistence(n.id, a.enabled);
    env.pollNow(n.id);
    return a.enabled ? `${n.id} writes an append-only file (and has written its data)` : `${n.id} has no persistence`;
  },
});
