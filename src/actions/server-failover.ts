// The data node's own coordinated failover, the FAILOVER command (Redis >= 6.2): the master pauses writes (CLIENT
// PAUSE WRITE), waits until a replica has its whole replication stream, demotes itself, then promotes that replica
// (PSYNC FAILOVER) and unpauses (redis.io/commands/failover). Sentinel takes no part and is not told. Needs the
// deployment's failover capability. Disruptive: Sentinel later sees its master report the replica role and fails
// over on its own (sentinel.c, sentinelCheckSubjectivelyDown).
import { z } from 'zod';
import { publicAddress } from '../cluster/topology.js';
import { UserError } from '../errors.js';
import { ms, redisRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

export const serverFailover = defineAction({
  kind: 'server-failover',
  schema: z
    .strictObject({
      kind: z.literal('server-failover'),
      /** The master to send FAILOVER to. */
      node: redisRef,
      /** The replica to promote; without it the first replica to catch up. */
      to: redisRef.optional(),
      /** How long the master waits for the replica to catch up before it gives up (or, with force, fails over). */
      timeoutMs: ms('timeoutMs', 1, 60_000).optional(),
      force: z.boolean().optional(),
    })
    .superRefine((a, ctx) => {
      if (a.force && (a.to === undefined || a.timeoutMs === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['force'],
          message: 'force needs both to and timeoutMs (as FAILOVER does)',
        });
      }
      if (a.to !== undefined && a.to === a.node) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `a master cannot fail over to itself (${a.node})` });
      }
    }),
  requires: 'failover',
  disruptive: true,
  normalize: asIs,
  title: (a) => `FAILOVER on ${a.node}${a.to ? ` to ${a.to}` : ''}`,
  line: (a) => `FAILOVER on ${a.node}${a.to ? ` to ${a.to}` : ''}${a.timeoutMs ? ` (timeout ${a.timeoutMs} ms)` : ''}`,
  busy: (a) => `FAILOVER on ${a.node}…`,
  equivalent: (a, t) => {
    const to = a.to ? publicAddress(t, a.to) : undefined;
    return [
      `${cliLine(t, a.node)} FAILOVER`,
      to ? ` TO ${to.host} ${to.port}` : '',
      to && a.force ? ' FORCE' : '',
      a.timeoutMs !== undefined ? ` TIMEOUT ${a.timeoutMs}` : '',
    ].join('');
  },
  check(a, refs, report) {
    if (!refs.redis.has(a.node)) report(['node'], unknownNode(a.node));
    if (a.to !== undefined && !refs.redis.has(a.to)) report(['to'], unknownNode(a.to));
  },
  async execute(a, env) {
    const n = env.node(a.node);
    if (n.kind !== 'redis') throw new UserError(`${a.node} is a Sentinel; FAILOVER is sent to a master`);
    const to = a.to === undefined ? undefined : publicAddress(env.topology, env.node(a.to).id);
    const reply = await env.use('failover').serverFailover(n.id, {
      ...(to ? { to } : {}),
      ...(a.timeoutMs === undefined ? {} : { timeoutMs: a.timeoutMs }),
      ...(a.force ? { force: true } : {}),
    });
    env.pollNow(n.id);
    if (a.to) env.pollNow(a.to);
    return `FAILOVER on ${n.id}: ${reply}`;
  },
});
