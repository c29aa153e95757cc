// Which running lab a command (`watch`, `do`) talks to: the one named by --run or --base-port; with neither, the only
// one running; with several, none (the command refuses and lists them). A lab is a candidate only when its run
// directory is ours (listRunDirs proves owner and mode) and its lab process is alive and runs as us: on a shared
// machine another user's lab is never attached to or driven.
import { isAlive, processUid } from '../cluster/process/proc.js';
import { listRunDirs, myUid, type RunManifest, readManifest, runRoot } from '../cluster/process/run-dir.js';
import { UserError } from '../errors.js';

export interface RunningLab {
  dir: string;
  manifest: RunManifest;
}

export interface LabSelector {
  basePort?: number;
  /** A run id (`mhx3k2-a1b2c3`) or its directory name (`run-mhx3k2-a1b2c3`). */
  run?: string;
}

/** The labs running under `root` that are provably ours, oldest first. */
export function runningLabs(root: string = runRoot(), uid: number = myUid()): RunningLab[] {
  const out: RunningLab[] = [];
  for (const dir of listRunDirs(root)) {
    const m = readManifest(dir);
    if (!m || m.labPid === process.pid || !isAlive(m.labPid)) continue;
    // The run directory is ours (listRunDirs); so must the process be that serves it.
    if (processUid(m.labPid) !== uid) continue;
    out.push({ dir, manifest: m });
  }
  return out.sort((a, b) => a.manifest.startedAt - b.manifest.startedAt);
}

/** One line per lab: run id, base port, pid, started. */
export function formatLabList(labs: readonly RunningLab[]): string {
  return labs
    .map(
      (l) =>
        `  run ${l.manifest.runId}  base port ${l.manifest.basePort}  pid ${l.manifest.labPid}  started ${new Date(l.manifest.startedAt).toISOString()}`,
    )
    .join('\n');
}

export type Choice =
  | { kind: 'one'; lab: RunningLab }
  | { kind: 'none' }
  | { kind: 'no-match'; what: string }
  | { kind: 'several' };

/** Pure: the lab the selector names among `labs`. */
export function chooseLab(labs: readonly RunningLab[], sel: LabSelector): Choice {
  if (sel.run !== undefined || sel.basePort !== undefined) {
    const run = sel.run?.replace(/^run-/, '');
    const hits = labs.filter(
      (l) =>
        (run === undefined || l.manifest.runId === run) &&
        (sel.basePort === undefined || l.manifest.basePort === sel.basePort),
    );
    const what = [run !== undefined && `run ${run}`, sel.basePort !== undefined && `base port ${sel.basePort}`]
      .filter(Boolean)
      .join(' and ');
    if (hits.length === 1 && hits[0]) return { kind: 'one', lab: hits[0] };
    return hits.length === 0 ? { kind: 'no-match', what } : { kind: 'several' };
  }
  if (labs.length === 0) return { kind: 'none' };
  if (labs.length === 1 && labs[0]) return { kind: 'one', lab: labs[0] };
  return { kind: 'several' };
}

/**
 * The lab to talk to, or a UserError (exit 1) that says why and lists the running labs. `allowNone` returns
 * undefined when nothing at all was asked for and nothing runs (watch then starts a cluster of its own).
 */
export function selectLab(
  sel: LabSelector,
  opts: { root?: string; allowNone?: boolean; allowNoMatch?: boolean } = {},
): RunningLab | undefined {
  const labs = runningLabs(opts.root ?? runRoot());
  const c = chooseLab(labs, sel);
  const listing = labs.length ? `Running labs:\n${formatLabList(labs)}` : 'No lab of yours is running.';
  switch (c.kind) {
    case 'one':
      return c.lab;
    case 'none':
      if (opts.allowNone) return undefined;
      throw new UserError('No lab of yours is running.', {
        hint: 'Start one with `redis-sentinel-lab up` (or the full-screen lab) first.',
      });
    case 'no-match':
      if (opts.allowNoMatch && sel.run === undefined) return undefined;
      throw new UserError(`No running lab of yours has ${c.what}.`, { hint: listing });
    case 'several':
      throw new UserError('Several labs of yours are running; say which one with --run ID or --base-port N.', {
        hint: listing,
      });
  }
}
