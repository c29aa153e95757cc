// `watch --sentinel HOST:PORT[,…] [--json]`: streams a Sentinel deployment the lab did not start — every Sentinel's
// events, the live view and failover timelines, like `watch` on the lab's own cluster — read-only, one lab per
// master (each record names its master; an event that names none and belongs to no failover the lab can tell is
// printed once, without one). Ends on Ctrl+C / SIGTERM, leaving the deployment exactly as it was.
import { sentinelNodes } from '../cluster/topology.js';
import type { RemoteDeployment } from '../deployments/remote/remote-deployment.js';
import { endpointText } from '../diagnosis/snapshot.js';
import type { Lab } from '../engine/lab.js';
import { guardLab } from './lifecycle.js';
import type { CommonOptions } from './options.js';
import { discover, openRemoteLab } from './remote-lab.js';
import type { SentinelFlags } from './sentinel-options.js';
import { streamLab } from './watch.js';

export async function watchRemote(opts: CommonOptions & SentinelFlags): Promise<number> {
  const d = await discover(opts);
  const labs: Array<Lab<RemoteDeployment>> = [];
  const guard = guardLab({
    shutdownSync: () => {
      for (const l of labs) l.shutdownSync();
    },
  });
  const json = Boolean(opts.json);
  const several = d.masters.length > 1;
  const print = (master: string | undefined, rec: Record<string, unknown>, human: string) => {
    const about = master === undefined ? {} : { master };
    process.stdout.write(
      json
        ? `${JSON.stringify({ schemaVersion: 1, ts: new Date().toISOString(), ...about, ...rec })}\n`
        : `${several && master !== undefined ? `[${master}] ` : ''}${human}\n`,
    );
  };
  // Every lab watching a Sentinel gets its events that belong to no master it can tell: the first prints them.
  const printsUnattributed = new Map<string, string>();
  const time = () => new Date().toISOString().slice(11, 23);
  const unsubscribe: Array<() => void> = [];
  try {
    for (const master of d.masters) {
      const lab = await openRemoteLab(d, master);
      labs.push(lab);
      const dep = lab.deployment;
      const nodes = dep.topology.nodes.map((n) => ({
        id: n.id,
        kind: n.kind,
        address: endpointText(dep.addresses.public(n.id)),
      }));
      print(
        master,
        { type: 'status', attached: true, remote: true, deployment: dep.label, runId: lab.runId, nodes },
        `attached read-only to ${dep.label}: ${nodes.map((n) => `${n.id} ${n.address}`).join(', ')}`,
      );
      for (const s of sentinelNodes(dep.topology)) {
        if (!printsUnattributed.has(s.id)) printsUnattributed.set(s.id, master);
      }
      unsubscribe.push(
        streamLab(
          lab,
          (rec, human, e) => {
            if (e === undefined || e.master !== undefined) print(master, rec, human);
            else if (printsUnattributed.get(e.sentinelId) === master) print(undefined, rec, human);
          },
          time,
          { now: true },
        ),
      );
      let noticeSeq = 0;
      const onNotices = () => {
        for (const n of lab.store.getState().notices) {
          if (n.seq <= noticeSeq) continue;
          noticeSeq = n.seq;
          print(master, { type: 'notice', level: n.level, text: n.text }, `${time()} ${n.level}: ${n.text}`);
        }
      };
      unsubscribe.push(lab.store.subscribe(onNotices));
      onNotices();
    }
    await guard.signalled;
    return 0;
  } finally {
    for (const u of unsubscribe) u();
    for (const l of labs) await l.shutdown();
    guard.dispose();
  }
}
