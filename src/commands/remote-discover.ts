// Reading a deployment the lab did not start once: one read-only snapshot through the remote deployment's command
// path, interpreted into facts. Shared by `inspect` (which needs nothing more, so it loads no engine) and by
// remote-lab.ts (the TUI and `watch`). The credentials are read here (environment variables or a prompt) and handed
// on to the deployment only.
import { collectSnapshot } from '../deployments/remote/collect.js';
import { credentialsFrom, type DeploymentCredentials, promptPassword } from '../deployments/remote/credentials.js';
import { type Facts, factsFrom } from '../diagnosis/facts.js';
import { endpointText, type RawSnapshot } from '../diagnosis/snapshot.js';
import { UserError } from '../errors.js';
import type { SentinelFlags } from './sentinel-options.js';

export interface Discovery {
  facts: Facts;
  snapshot: RawSnapshot;
  credentials: DeploymentCredentials;
  /** The master names to show, sorted. */
  masters: string[];
}

/** Asks for a password on the terminal (no echo); undefined without one. */
async function ask(kind: 'data' | 'sentinel', flags: SentinelFlags): Promise<string | undefined> {
  const who =
    kind === 'data'
      ? `the data nodes${flags.user ? ` (user ${flags.user})` : ''}`
      : `the Sentinels${flags.sentinelUser ? ` (user ${flags.sentinelUser})` : ''}`;
  return promptPassword(`Password for ${who} (not shown): `);
}

/** Reads the deployment once; UserError when nothing answers or the master asked for is not monitored. */
export async function discover(flags: SentinelFlags, opts: { timeoutMs?: number } = {}): Promise<Discovery> {
  const seeds = flags.sentinel;
  if (!seeds?.length) throw new UserError('--sentinel HOST:PORT is needed', { exitCode: 2 });
  const { snapshot, credentials } = await collectSnapshot({
    seeds,
    credentials: credentialsFrom(flags),
    ...(flags.masterName ? { masterName: flags.masterName } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    ask: (kind) => ask(kind, flags),
  });
  const facts = factsFrom(snapshot);
  const masters = facts.masters.map((m) => m.name);
  if (masters.length === 0 && facts.sentinels.length === 0 && facts.notSentinels.length > 0) {
    const them = facts.notSentinels
      .map((n) => `${endpointText(n.endpoint)} (${n.mode ?? n.dataNode?.id ?? '?'})`)
      .join(', ');
    throw new UserError(`Not a Sentinel: ${them} answers as a Redis data node, not as a Sentinel`, {
      hint: "Give the Sentinels' addresses (a Sentinel listens on 26379 unless it was changed): --sentinel host:26379,…",
    });
  }
  if (masters.length === 0) {
    const monitored = [...new Set(factsFrom({ ...snapshot, masterName: undefined }).masters.map((m) => m.name))];
    throw new UserError(
      flags.masterName
        ? `No Sentinel at ${seeds.map(endpointText).join(', ')} monitors a master named "${flags.masterName}"`
        : `The Sentinels at ${seeds.map(endpointText).join(', ')} monitor no master`,
      { hint: monitored.length ? `They monitor: ${monitored.join(', ')} (--master-name NAME).` : undefined },
    );
  }
  return { facts, snapshot, credentials, masters };
}
