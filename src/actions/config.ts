// Config actions on data nodes: the min-replicas write guard and masterauth. Both CONFIG SET the running node and
// CONFIG REWRITE its file, so a restart keeps the change; they need the deployment's reconfigure capability.
import { z } from 'zod';
import { cliProgram, redisNodes } from '../cluster/topology.js';
import { UserError } from '../errors.js';
import { count, redisRef } from '../tokens.js';
import { asIs, cliLine, defineAction, unknownNode } from './action.js';

export const minReplicas = defineAction({
  kind: 'min-replicas',
  schema: z.strictObject({
    kind: z.literal('min-replicas'),
    toWrite: count('toWrite', 0, 9),
    maxLagSec: count('maxLagSec', 0, 3600).optional(),
    node: redisRef.optional(),
  }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a, t) =>
    `min-replicas-to-write ${a.toWrite}, max-lag ${a.maxLagSec ?? t.replication.minReplicasMaxLagSec} on ${a.node ?? 'every Redis node'}`,
  line: (a) =>
    `min-replicas-to-write ${a.toWrite}${a.maxLagSec !== undefined ? `, max-lag ${a.maxLagSec} s` : ''}${a.node ? ` on ${a.node}` : ''}`,
  busy: (a) => `setting min-replicas-to-write ${a.toWrite}…`,
  equivalent: (a, t) =>
    `${a.node ? cliLine(t, a.node) : `${cliProgram(t)}${t.password ? ` -a ${t.password}` : ''}`} CONFIG SET min-replicas-to-write ${a.toWrite}   # old name: min-slaves-to-write; and CONFIG SET min-replicas-max-lag ${a.maxLagSec ?? t.replication.minReplicasMaxLagSec}`,
  check(a, refs, report) {
    if (a.node !== undefined && !refs.redis.has(a.node)) report(['node'], unknownNode(a.node));
    if (a.toWrite > refs.replicas) {
      report(['toWrite'], `${a.toWrite} good replicas required but the topology has ${refs.replicas}`);
    }
  },
  async execute(a, env) {
    const t = env.topology;
    // Every data node, not only the master: the guard must already be in place on whichever replica is promoted.
    const targets = a.node ? [env.node(a.node).id] : redisNodes(t).map((n) => n.id);
    const lag = a.maxLagSec ?? t.replication.minReplicasMaxLagSec;
    const reconfigure = env.use('reconfigure');
    const results = await Promise.allSettled(
      targets.map((id) =>
        reconfigure.configSet(id, [
          ['min-replicas-to-write', a.toWrite],
          ['min-replicas-max-lag', lag],
        ]),
      ),
    );
    const failed = targets.filter((_, i) => results[i]?.status === 'rejected');
    for (const id of targets) env.pollNow(id);
    return failed.length
      ? `set on ${targets.length - failed.length} node(s); unreachable: ${failed.join(', ')}`
      : `set on ${targets.join(', ')}`;
  },
});

export const masterauth = defineAction({
  kind: 'masterauth',
  schema: z.strictObject({ kind: z.literal('masterauth'), node: redisRef, enabled: z.boolean() }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `${a.enabled ? 'set' : 'remove'} masterauth on ${a.node}`,
  line: (a) => `${a.enabled ? 'set' : 'remove'} masterauth on ${a.node}`,
  busy: (a) => `${a.enabled ? 'setting' : 'removing'} masterauth on ${a.node}…`,
  equivalent: (a, t) => `${cliLine(t, a.node)} CONFIG SET masterauth ${a.enabled ? t.password : '""'}`,
  check(a, refs, report) {
    if (!refs.redis.has(a.node)) report(['node'], unknownNode(a.node));
  },
  async execute(a, env) {
    const n = env.node(a.node);
    if (n.kind !== 'redis') throw new UserError(`${a.node} is a Sentinel; masterauth belongs to Redis nodes`);
    // The value is live at once; a failed rewrite only means a restart would forget it.
    await env
      .use('reconfigure')
      .configSet(n.id, [['masterauth', a.enabled ? env.topology.password : '']], { rewrite: 'best-effort' });
    env.pollNow(n.id);
    return `masterauth ${a.enabled ? 'set' : 'removed'} on ${n.id}`;
  },
});

export const CONFIG_ACTIONS = [minReplicas, masterauth] as const;
