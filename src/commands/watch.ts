// `redis-sentinel-lab watch`: stream the live view, Sentinel events and failover timelines — attached to a running
// `up` when there is one, else on a cluster of its own. `--json` prints NDJSON records: event, view, failover.

import { formatTimeline } from '../cluster/observe/failover-timeline.js';
import type { FailoverTimeline } from '../cluster/observe/types.js';
import { isAlive } from '../cluster/process/proc.js';
import { listRunDirs, readManifest, runRoot } from '../cluster/process/run-dir.js';
import { redisNodes } from '../cluster/topology.js';
import { Lab } from '../engine/lab.js';
import { formatSummary, summarizeView } from '../engine/view-summary.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';
import type { SentinelFlags } from './sentinel-options.js';

export function findLiveRun(
  root: string,
): { dir: string; manifest: NonNullable<ReturnType<typeof readManifest>> } | undefined {
  for (const dir of listRunDirs(root)) {
    const m = readManifest(dir);
    if (m && m.labPid !== process.pid && isAlive(m.labPid)) return { dir, manifest: m };
  }
  return undefined;
}

export async function watchCommand(opts: CommonOptions & SentinelFlags & { attach?: boolean }): Promise<number> {
  // A deployment the lab did not start (--sentinel): read-only, one lab per master (watch-remote.ts).
  if (opts.sentinel) return (await import('./watch-remote.js')).watchRemote(opts);
  const live = opts.attach === false ? undefined : findLiveRun(runRoot());
  const lab: Lab = live
    ? await Lab.attach({ runDir: live.dir, manifest: live.manifest })
    : await Lab.create({
        binary: await findBinary(opts),
        basePort: opts.basePort,
        strictPorts: opts.basePort !== undefined,
        keep: opts.keep,
      });
  const basePort = redisNodes(lab.topology)[0]?.port;
  const guard = guardLab(lab);
  const json = Boolean(opts.json);
  const print = (rec: Record<string, unknown>, human: string) =>
    process.stdout.write(json ? `${JSON.stringify({ ts: new Date().toISOString(), ...rec })}\n` : `${human}\n`);
  const time = () => new Date().toISOString().slice(11, 23);
  try {
    print(
      { type: 'status', attached: Boolean(live), runId: lab.runId, basePort },
      live
        ? `attached to the running lab (pid ${live.manifest.labPid}, run ${lab.runId})`
        : 'starting a cluster of its own…',
    );
    lab.emitter.on('sentinel-event', (e) =>
      print(
        {
          type: 'event',
          sentinel: e.sentinelId,
          channel: e.channel,
          payload: e.payload,
          gloss: e.gloss,
          severity: e.severity,
        },
        `${time()} ${e.sentinelId} ${e.channel} ${e.payload}\n             ${e.gloss}`,
      ),
    );
    let lastView = '';
    const seenPhases = new Map<string, number>();
    const onState = () => {
      const s = lab.store.getState();
      const v = summarizeView(s);
      const key = JSON.stringify(v);
      if (key !== lastView) {
        lastView = key;
        print({ type: 'view', view: v }, `${time()} view: ${formatSummary(v)}`);
      }
      for (const f of s.failovers) reportFailover(f, seenPhases, print);
    };
    const unsub = lab.store.subscribe(onState);
    if (!live) {
      const started = lab.start();
      const first = await Promise.race([started.then(() => 'ready' as const), guard.signalled]);
      if (first === 'ready') print({ type: 'ready', readyMs: (await started).readyMs }, 'cluster ready');
      else {
        unsub();
        await lab.shutdown();
        return 0;
      }
    }
    await guard.signalled;
    unsub();
    await lab.shutdown();
    return 0;
  } catch (err) {
    await lab.shutdown();
    throw err;
  } finally {
    guard.dispose();
  }
}

export function reportFailover(
  f: FailoverTimeline,
  seen: Map<string, number>,
  print: (rec: Record<string, unknown>, human: string) => void,
): void {
  const n = Object.keys(f.phases).length + Object.keys(f.switchedBy).length + (f.done ? 1 : 0);
  if ((seen.get(f.id) ?? 0) === n) return;
  seen.set(f.id, n);
  print({ type: 'failover', failover: f }, `failover ${f.id}:\n  ${formatTimeline(f).join('\n  ')}`);
}
