// A write followed by WAIT, as one client sends them on one connection: SET key value, then WAIT numreplicas timeout.
// WAIT blocks until that many replicas acknowledged the connection's earlier writes, or the timeout passes, and
// answers how many did; it never undoes the write (redis.io/commands/wait). Needs the traffic capability.
import { z } from 'zod';
import { commandToken, count, ms } from '../tokens.js';
import { asIs, defineAction } from './action.js';
import { clientCli } from './client.js';

export const waitAction = defineAction({
  kind: 'wait',
  schema: z.strictObject({
    kind: z.literal('wait'),
    client: z.enum(['A', 'B'], { error: 'client must be "A" or "B"' }),
    key: commandToken('key'),
    value: commandToken('value', 256),
    replicas: count('replicas', 0, 9),
    // WAIT's 0 means "block forever"; a lesson always bounds it.
    timeoutMs: ms('timeoutMs', 1, 30_000),
  }),
  requires: 'traffic',
  disruptive: false,
  normalize: asIs,
  title: (a) => `client ${a.client} SET ${a.key} + WAIT ${a.replicas} ${a.timeoutMs}`,
  line: (a) => `client ${a.client}: SET ${a.key} ${a.value}, then WAIT ${a.replicas} ${a.timeoutMs}`,
  busy: (a) => `client ${a.client}: SET ${a.key}, WAIT ${a.replicas} ${a.timeoutMs}…`,
  equivalent: (a, t) =>
    `printf 'SET ${a.key} ${a.value}\\nWAIT ${a.replicas} ${a.timeoutMs}\\n' | ${clientCli(t, a.client)}   # one connection, from ${t.clients[a.client].host}`,
  execute: (a, env) => env.clients().writeWait(a),
});
