// Reaps what a previous lab left behind (it was SIGKILLed, or crashed before cleanup): only processes whose
// command line names a config file inside that run's directory, and only when that run's lab process is gone.
// A run started with --keep keeps its directory (configs and logs) until `clean --all`; its processes are still
// stopped once its lab is gone, since they hold the lab's ports.
import { join } from 'node:path';
import { commandLine, forceKill, isAlive, processCwd, processesInsideEach } from './proc.js';
import { isKept, listRunDirs, proveRunRoot, readManifest, removeDir } from './run-dir.js';

export interface ReapReport {
  /** Run directories removed. */
  runs: string[];
  /** Pids killed (each proven ours by its command line). */
  killed: number[];
  /** Runs skipped because their lab is still alive. */
  live: Array<{ dir: string; labPid: number }>;
  /** Run directories kept because they were started with --keep (removed only with `includeKept`). */
  kept: string[];
}

/**
 * Is `pid` one of this run's processes? Redis rewrites its process title (the config path disappears from the
 * command line), but it chdirs to its `dir`, which is inside the run directory: that is the proof.
 */
export function isOurs(pid: number, runDir: string): boolean {
  const cwd = processCwd(pid);
  if (cwd !== undefined && (cwd === runDir || cwd.startsWith(`${runDir}/`))) return true;
  const cmd = commandLine(pid);
  return cmd?.includes(`${runDir}/`) ?? false;
}

/**
 * Throws a UserError when the root exists but is not provably ours (see run-dir.ts): nothing under someone else's
 * root is read, killed or removed. A missing root has nothing to reap.
 */
export function reapStaleRuns(
  root: string,
  opts: { includeLive?: boolean; includeKept?: boolean; selfPid?: number } = {},
): ReapReport {
  const report: ReapReport = { runs: [], killed: [], live: [], kept: [] };
  if (proveRunRoot(root) === 'missing') return report;
  const self = opts.selfPid ?? process.pid;
  const stale: Array<{ dir: string; pids: Set<number> }> = [];
  for (const dir of listRunDirs(root)) {
    const m = readManifest(dir);
    const labAlive = m !== undefined && m.labPid !== self && isAlive(m.labPid) && labLooksLikeUs(m.labPid);
    if (labAlive && !opts.includeLive) {
      report.live.push({ dir, labPid: m.labPid });
      continue;
    }
    if (m?.labPid === self) continue;
    const pids = new Set<number>();
    for (const n of Object.values(m?.nodes ?? {})) if (n.pid > 0) pids.add(n.pid);
    stale.push({ dir, pids });
  }
  // Candidates: pids from the manifest plus any process naming a file in the run dir (spawned before the manifest
  // was written, or a child of a wrapper script); one pass over the process table for every stale run.
  const inside = processesInsideEach(stale.map((s) => s.dir));
  for (const { dir, pids } of stale) {
    for (const pid of inside.get(dir) ?? []) pids.add(pid);
    for (const pid of pids) {
      if (pid === self || !isOurs(pid, dir)) continue;
      forceKill(pid);
      report.killed.push(pid);
    }
    if (isKept(dir) && !opts.includeKept) {
      report.kept.push(dir);
      continue;
    }
    removeDir(dir);
    report.runs.push(dir);
  }
  return report;
}

/** A live lab pid is trusted only if it still looks like a Node process (pids get reused). */
function labLooksLikeUs(pid: number): boolean {
  const cmd = commandLine(pid);
  return cmd === undefined || /node|tsx|redis-sentinel-lab/.test(cmd);
}

export function manifestPath(runDir: string): string {
  return join(runDir, 'lab.json');
}
