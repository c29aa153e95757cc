// `redis-sentinel-lab watch`: stream the live view, Sentinel events and failover timelines — attached to the running
// lab selected by --run or --base-port (or the only one running), else on a cluster of its own. `--json` prints
// NDJSON records (docs/json.md): status, ready, view, event, failover, detached. An attached watch follows the lab
// through its control socket: it shows node processes as that lab sees them (a kill from outside is "exited" with
// its signal) and ends with a `detached` record and exit 0 as soon as the lab stops.
import type { z } from 'zod';
import type { ActionRecord, NodeExit, NodeStateChange, SentinelEvent } from '../cluster/events.js';
import type { ActiveFault } from '../cluster/fabric/plan.js';
import { failoverRecord, formatTimeline } from '../cluster/observe/failover-timeline.js';
import type { FailoverTimeline } from '../cluster/observe/types.js';
import { isAlive } from '../cluster/process/proc.js';
import { redisNodes } from '../cluster/topology.js';
import type { Deployment } from '../deployments/deployment.js';
import type { NodeFacts } from '../engine/control.js';
import { Lab } from '../engine/lab.js';
import { everyNodeProbed, formatSummary, summarizeView } from '../engine/view-summary.js';
import { errorMessage, UserError } from '../errors.js';
import { followLab } from './control-client.js';
import type { WatchDetached, WatchEvent, WatchFailover, WatchReady, WatchStatus, WatchView } from './json-schemas.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';
import { out, watchOutputReader } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { selectLab } from './select-lab.js';
import type { SentinelFlags } from './sentinel-options.js';

/** How often the attached lab's process is checked, besides its control socket (an old lab may have none). */
const LAB_PID_POLL_MS = 250;

type Rec =
  | z.input<typeof WatchStatus>
  | z.input<typeof WatchReady>
  | z.input<typeof WatchView>
  | z.input<typeof WatchEvent>
  | z.input<typeof WatchFailover>
  | z.input<typeof WatchDetached>;
type Body<R> = R extends unknown ? Omit<R, 'schemaVersion' | 'ts'> : never;

export async function watchCommand(
  opts: CommonOptions & SentinelFlags & { attach?: boolean; run?: string },
): Promise<number> {
  // A deployment the lab did not start (--sentinel): read-only, one lab per master (watch-remote.ts).
  if (opts.sentinel) return (await import('./watch-remote.js')).watchRemote(opts);
  if (opts.attach === false && opts.run !== undefined) {
    throw new UserError('--run names a running lab to attach to; --no-attach starts a cluster of its own', {
      hint: 'Drop one of the two.',
      exitCode: 2,
    });
  }
  const live =
    opts.attach === false
      ? undefined
      : selectLab({ basePort: opts.basePort, run: opts.run }, { allowNone: true, allowNoMatch: true });
  const lab: Lab = live
    ? await Lab.attach({ runDir: live.dir, manifest: live.manifest })
    : await Lab.create({
        binary: await findBinary(opts),
        basePort: opts.basePort,
        strictPorts: opts.basePort !== undefined,
        keep: opts.keep,
      });
  const basePort = redisNodes(lab.topology)[0]?.port ?? null;
  const guard = guardLab(lab);
  const stopWatchingReader = watchOutputReader();
  const json = Boolean(opts.json);
  const print = (rec: Body<Rec>, human: string) =>
    out(
      json
        ? `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, ts: new Date().toISOString(), ...rec })}\n`
        : `${human}\n`,
    );
  const time = () => new Date().toISOString().slice(11, 23);
  let detach: ((why: string) => void) | undefined;
  const detached = new Promise<string>((resolve) => {
    detach = resolve;
  });
  const cleanups: Array<() => void> = [];
  try {
    print(
      { type: 'status', attached: Boolean(live), runId: lab.runId, basePort, labPid: live?.manifest.labPid ?? null },
      live
        ? `attached to the running lab (pid ${live.manifest.labPid}, run ${lab.runId}, base port ${live.manifest.basePort})`
        : 'starting a cluster of its own…',
    );
    if (live) {
      // A signal ends the watch even while the lab has not answered yet (it may be stopped or hung).
      const following = followAttached(lab, live.dir, live.manifest.labPid, (why) => detach?.(why));
      const first = await Promise.race([following, guard.signalled.then(() => undefined)]);
      if (first === undefined) {
        void following.then((cs) => {
          for (const c of cs) c();
        });
        await lab.shutdown();
        return 0;
      }
      cleanups.push(...first);
    }
    cleanups.push(streamLab(lab, print, time));
    if (!live) {
      const started = lab.start();
      const first = await Promise.race([started.then(() => 'ready' as const), guard.signalled]);
      if (first === 'ready') print({ type: 'ready', readyMs: (await started).readyMs }, 'cluster ready');
      else {
        for (const c of cleanups) c();
        await lab.shutdown();
        return 0;
      }
    }
    const end = await Promise.race([guard.signalled.then(() => undefined), detached]);
    for (const c of cleanups.splice(0)) c();
    if (end !== undefined) print({ type: 'detached', reason: end }, `detached: ${end}`);
    await lab.shutdown();
    return 0;
  } catch (err) {
    for (const c of cleanups) c();
    await lab.shutdown();
    throw err;
  } finally {
    stopWatchingReader();
    guard.dispose();
  }
}

/**
 * The records every watch prints for one lab — each Sentinel event, the view when it changes (from the first complete
 * probe round on), each failover timeline when it changes — for `watch` and `watch --sentinel` alike (`now`: the
 * current view at once, if there is one yet). An event record's printer also gets the event. Returns the unsubscribe.
 */
export function streamLab(
  lab: Lab<Deployment>,
  print: (rec: Body<Rec>, human: string, event?: SentinelEvent) => void,
  time: () => string,
  opts: { now?: boolean } = {},
): () => void {
  const onEvent = (e: SentinelEvent) =>
    print(
      {
        type: 'event',
        sentinel: e.sentinelId,
        channel: e.channel,
        payload: e.payload,
        gloss: e.gloss,
        severity: e.severity,
        subject: e.subjectId ?? null,
      },
      `${time()} ${e.sentinelId} ${e.channel} ${e.payload}\n             ${e.gloss}`,
      e,
    );
  lab.emitter.on('sentinel-event', onEvent);
  let lastView = '';
  const seen = new Map<string, string>();
  const onState = () => {
    const s = lab.store.getState();
    // No view before every node was probed once: it would call the nodes not probed yet unreachable.
    const v = everyNodeProbed(s) ? summarizeView(s) : undefined;
    const key = JSON.stringify(v);
    if (v && key !== lastView) {
      lastView = key;
      print({ type: 'view', view: v }, `${time()} view: ${formatSummary(v)}`);
    }
    for (const f of s.failovers) reportFailover(f, seen, print);
  };
  const unsub = lab.store.subscribe(onState);
  // A lab observed already may have been probed already; else its first view comes with its first probe round.
  if (opts.now) onState();
  return () => {
    unsub();
    lab.emitter.off('sentinel-event', onEvent);
  };
}

/**
 * Follows an attached lab: its node facts become this view's (emitted on this lab's bus, so the store folds them
 * like its own), and `gone` runs when it stops — its control socket says so, or its process is gone.
 */
async function followAttached(
  lab: Lab,
  runDir: string,
  labPid: number,
  gone: (why: string) => void,
): Promise<Array<() => void>> {
  const cleanups: Array<() => void> = [];
  const poll = setInterval(() => {
    if (!isAlive(labPid)) gone(`the lab process ${labPid} is gone`);
  }, LAB_PID_POLL_MS);
  cleanups.push(() => clearInterval(poll));
  try {
    const close = await followLab(runDir, {
      onGone: gone,
      onMessage: (m) => {
        if (m.type === 'hello') {
          const nodes = (m.nodes ?? {}) as Record<string, NodeFacts>;
          for (const [id, n] of Object.entries(nodes)) applyFacts(lab, id, n);
          // Faults already in force when this watch attached (a lab of an older version sends none).
          for (const f of (m.faults ?? []) as ActiveFault[]) lab.emitter.emit('fault-applied', f);
        } else if (m.type === 'node-state') {
          const { type: _t, ...e } = m;
          lab.emitter.emit('node-state', e as unknown as NodeStateChange);
        } else if (m.type === 'node-exited') {
          const { type: _t, ...e } = m;
          lab.emitter.emit('node-exited', { ...(e as unknown as Omit<NodeExit, 'logTail'>), logTail: [] });
        } else if (m.type === 'action' && m.record) {
          lab.emitter.emit('action', m.record as ActionRecord);
        } else if ((m.type === 'fault-applied' || m.type === 'fault-healed') && m.fault) {
          lab.emitter.emit(m.type, m.fault as ActiveFault);
        } else if (m.type === 'cluster-reset') {
          // The lab started a new cluster: its failovers and epochs start over (bind-lab.ts clears them).
          lab.emitter.emit('cluster-reset');
        }
      },
    });
    cleanups.push(close);
  } catch (err) {
    // An older lab without a control socket: its process is still watched.
    process.stderr.write(`note: following the lab by its process only (${errorMessage(err)})\n`);
  }
  return cleanups;
}

function applyFacts(lab: Lab, id: string, n: NodeFacts): void {
  const at = Date.now();
  if (n.exit) {
    lab.emitter.emit('node-exited', {
      id,
      at: n.exit.at,
      code: n.exit.code,
      signal: n.exit.signal,
      expected: n.exit.expected,
      logTail: [],
    });
  }
  lab.emitter.emit('node-state', { id, state: n.state, ...(n.pid !== undefined ? { pid: n.pid } : {}), at });
}

export function reportFailover(
  f: FailoverTimeline,
  seen: Map<string, string>,
  print: (rec: Body<Rec>, human: string) => void,
): void {
  const record = failoverRecord(f);
  const key = JSON.stringify(record);
  if (seen.get(f.id) === key) return;
  seen.set(f.id, key);
  print({ type: 'failover', failover: record }, `failover ${f.id}:\n  ${formatTimeline(f).join('\n  ')}`);
}
