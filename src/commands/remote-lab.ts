// Attaching to a deployment the lab did not start: after discovery (remote-discover.ts), one Lab per master, each
// observing its RemoteDeployment. Shared by the TUI and `watch`.
import { RemoteDeployment } from '../deployments/remote/remote-deployment.js';
import { Lab, type LabRunOptions } from '../engine/lab.js';
import type { Discovery } from './remote-discover.js';

export { type Discovery, discover } from './remote-discover.js';

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
