// Client actions: client A or B writes or reads a key, and the write workload starts and stops (stopping reads the
// final set back and checks every acknowledged write, see ledger/). They need the deployment's traffic capability:
// the lab only sends application traffic where it may.
import { z } from 'zod';
import { type ClientName, cliProgram, publicAddress, type Topology } from '../cluster/topology.js';
import { commandToken } from '../tokens.js';
import { asIs, defineAction } from './action.js';

const client = z.enum(['A', 'B'], { error: 'client must be "A" or "B"' });

/** Writes per second when a workload names no rate. */
export const DEFAULT_WORKLOAD_RATE = 200;

/** The redis-cli line client `c` would use: pinned to its node, or asking the Sentinels for the master first. */
export function clientCli(t: Topology, c: ClientName): string {
  const spec = t.clients[c];
  if (spec.target.kind === 'node') {
    const { host, port } = publicAddress(t, spec.target.node);
    return `${cliProgram(t)} -h ${host} -p ${port} -a ${t.password}`;
  }
  const cli = cliProgram(t);
  return `${cli} -h $(${cli} -p <sentinel> SENTINEL GET-MASTER-ADDR-BY-NAME ${t.sentinel.masterName} | head -1) -a ${t.password}`;
}

export const write = defineAction({
  kind: 'write',
  schema: z.strictObject({
    kind: z.literal('write'),
    client,
    key: commandToken('key'),
    value: commandToken('value', 256),
  }),
  requires: 'traffic',
  disruptive: false,
  normalize: asIs,
  title: (a) => `client ${a.client} SET ${a.key}`,
  line: (a) => `client ${a.client}: SET ${a.key} ${a.value}`,
  busy: (a) => `client ${a.client}: SET ${a.key}…`,
  equivalent: (a, t) => `${clientCli(t, a.client)} SET ${a.key} ${a.value}   # from ${t.clients[a.client].host}`,
  execute: (a, env) => env.clients().command(a),
});

export const read = defineAction({
  kind: 'read',
  schema: z.strictObject({ kind: z.literal('read'), client, key: commandToken('key') }),
  requires: 'traffic',
  disruptive: false,
  normalize: asIs,
  title: (a) => `client ${a.client} GET ${a.key}`,
  line: (a) => `client ${a.client}: GET ${a.key}`,
  busy: (a) => `client ${a.client}: GET ${a.key}…`,
  equivalent: (a, t) => `${clientCli(t, a.client)} GET ${a.key}`,
  execute: (a, env) => env.clients().command(a),
});

export const workloadStart = defineAction({
  kind: 'workload-start',
  schema: z.strictObject({
    kind: z.literal('workload-start'),
    client,
    ratePerSec: z
      .number({ error: 'ratePerSec must be a number' })
      .min(0.1, { error: 'ratePerSec must be at least 0.1' })
      .max(1000, { error: 'ratePerSec must be at most 1000' })
      .optional(),
  }),
  requires: 'traffic',
  disruptive: false,
  normalize: (a): { kind: 'workload-start'; client: ClientName; ratePerSec: number } => ({
    kind: 'workload-start',
    client: a.client,
    ratePerSec: a.ratePerSec ?? DEFAULT_WORKLOAD_RATE,
  }),
  title: (a) => `start workload (client ${a.client})`,
  line: (a) => `start the write workload as client ${a.client} (${a.ratePerSec}/s)`,
  busy: (a) => `starting the workload as client ${a.client}…`,
  equivalent: (a, t) => `while true; do ${clientCli(t, a.client)} SADD rsl:ledger <unique-id>; done`,
  execute: async (a, env) => env.clients().startWorkload(a.client, a.ratePerSec),
});

export const workloadStop = defineAction({
  kind: 'workload-stop',
  schema: z.strictObject({ kind: z.literal('workload-stop') }),
  requires: 'traffic',
  disruptive: false,
  normalize: asIs,
  title: () => 'stop workload',
  line: () => 'stop the workload and check the ledger',
  busy: () => 'stopping the workload…',
  equivalent: (_a, t) => `${clientCli(t, 'A')} SMEMBERS rsl:ledger   # then compare with the acknowledged ids`,
  execute: (_a, env) => env.clients().stopWorkload((timeoutMs) => env.finalRead(timeoutMs)),
});

export const CLIENT_ACTIONS = [write, read, workloadStart, workloadStop] as const;
