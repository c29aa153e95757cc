// heartbeat: both application clients write a key on a timer (client A `SET rsl:hb:A <n>`, client B `SET rsl:hb:B
// <n>`), each from its own host and its own way of finding the master (asking Sentinel, or pinned to one node). The
// client pane shows their answers side by side: which node answered, the last error and when each recovered, the
// way an application would experience a failover. Needs the deployment's traffic capability.
import { z } from 'zod';
import { ms } from '../tokens.js';
import { defineAction } from './action.js';
import { clientCli } from './client.js';

/** Milliseconds between one client's heartbeat writes when the action names none. */
export const DEFAULT_HEARTBEAT_MS = 500;

export const heartbeat = defineAction({
  kind: 'heartbeat',
  schema: z.strictObject({
    kind: z.literal('heartbeat'),
    running: z.boolean(),
    everyMs: ms('everyMs', 100, 10_000).optional(),
  }),
  requires: 'traffic',
  disruptive: false,
  normalize: (a): { kind: 'heartbeat'; running: boolean; everyMs: number } => ({
    kind: 'heartbeat',
    running: a.running,
    everyMs: a.everyMs ?? DEFAULT_HEARTBEAT_MS,
  }),
  title: (a) => (a.running ? `clients A and B write every ${a.everyMs} ms` : 'stop the clients’ heartbeat'),
  line: (a) =>
    a.running ? `clients A and B each write a key every ${a.everyMs} ms` : 'stop the clients writing every few ms',
  busy: (a) => (a.running ? 'starting the heartbeat…' : 'stopping the heartbeat…'),
  equivalent: (a, t) =>
    a.running
      ? `while sleep ${a.everyMs / 1000}; do ${clientCli(t, 'A')} SET rsl:hb:A $((n+=1)); done   # and the same for client B`
      : '# stop both loops',
  execute: (a, env) =>
    a.running ? Promise.resolve(env.clients().startHeartbeat(a.everyMs)) : env.clients().stopHeartbeat(),
});
