// Attaching to a deployment the lab did not start: discovery (one read-only snapshot through the remote deployment's
// command path), then one Lab per master, each observing its RemoteDeployment. Shared by the TUI, `watch` and
// `inspect`; the credentials are read here (environment variables or a prompt) and handed to the deployment only.

import { collectSnapshot } from '../deployments/remote/collect.js';
import { credentialsFrom, type DeploymentCredentials, promptPassword } from '../deployments/remote/credentials.js';
import { RemoteDeployment } from '../deployments/remote/remote-deployment.js';
import { type Facts, factsFrom } from '../diagnosis/facts.js';
import { endpointText, type RawSnapshot } from '../diagnosis/snapshot.js';
import { Lab, type LabRunOptions } from '../engine/lab.js';
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

/** Opens a lab observing one master; its deployment's notices go to the lab's notice channel. */
export async function openRemoteLab(
  d: Discovery,
  master: string,
  opts: LabRunOptions = {},
): Promise<Lab<RemoteDeployment>> {
  const lab = await Lab.open(
    (events) => RemoteDeployment.open({ events, facts: d.facts, master, credentials: d.credentials }),
    opts,
  );
  lab.deployment.onNotice = (level, text, hint) => lab.notice(level, text, hint);
  await lab.observe();
  return lab;
}
