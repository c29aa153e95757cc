// The full-screen lab on a Sentinel deployment it did not start (`--sentinel HOST:PORT[,…]`): the same panes, events
// and failover timelines as on the lab's own cluster, read-only. The keys it cannot honour are dimmed with the reason
// (the deployment lacks the capability); f (SENTINEL FAILOVER) and K (SENTINEL CKQUORUM) ask first, naming the
// deployment. The diagnosis of `inspect` opens the action log.
import { describeAction, type LabAction } from '../actions/catalog.js';
import type { RemoteDeployment } from '../deployments/remote/remote-deployment.js';
import { diagnose } from '../diagnosis/diagnose.js';
import type { Lab } from '../engine/lab.js';
import { UserError } from '../errors.js';
import type { LabController } from '../state/controller.js';
import { runTui } from '../ui/run-tui.js';
import { guardLab } from './lifecycle.js';
import type { CommonOptions } from './options.js';
import { discover, openRemoteLab } from './remote-lab.js';
import type { SentinelFlags } from './sentinel-options.js';

/** The question before an action on a deployment the lab did not start. Pure. */
export function confirmQuestion(a: LabAction, d: Pick<RemoteDeployment, 'label' | 'topology'>): string {
  const { title } = describeAction(a, d.topology);
  return `${title} on ${d.label}, a deployment the lab did not start?`;
}

const LEVEL = { critical: 'error', warning: 'warning', info: 'info' } as const;

export async function runRemoteTui(opts: CommonOptions & SentinelFlags & { lesson?: string }): Promise<number> {
  if (opts.lesson) {
    throw new UserError("--lesson runs on the lab's own cluster, not on a deployment it did not start", {
      hint: 'Drop --lesson to watch the deployment, or drop --sentinel to take the lesson.',
      exitCode: 2,
    });
  }
  const d = await discover(opts);
  const [master, ...others] = d.masters;
  if (master === undefined) throw new UserError('The Sentinels monitor no master');
  const lab: Lab<RemoteDeployment> = await openRemoteLab(d, master);
  const guard = guardLab(lab);
  const abort = new AbortController();
  const dep = lab.deployment;
  lab.notice(
    'info',
    `Attached read-only to ${dep.label}. The lab never kills, freezes, partitions or reconfigures it; f and K ask first.`,
  );
  if (others.length) {
    lab.notice(
      'info',
      `The Sentinels also monitor ${others.map((o) => `"${o}"`).join(', ')}: this view shows "${master}".`,
      'Open another master with --master-name NAME.',
    );
  }
  for (const f of diagnose(d.facts).filter((x) => x.master === undefined || x.master === master)) {
    lab.notice(LEVEL[f.severity], `[${f.id}] ${f.title}`, f.fix[0]);
  }
  const controller: LabController = {
    store: lab.store,
    unavailable: lab.missing,
    perform: (a) => lab.perform(a),
    confirm: (a) => confirmQuestion(a, dep),
    exportRun: () => lab.exportRun(process.cwd()),
    quit: () => lab.shutdown(),
  };
  void guard.signalled.then(() => abort.abort());
  try {
    await runTui(controller, { signal: abort.signal });
  } finally {
    await lab.shutdown();
    guard.dispose();
  }
  return 0;
}
