// Private run directories (mode 0700) and the run manifest that lets a later start reap a SIGKILLed lab's processes.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

export interface RunManifest {
  runId: string;
  labPid: number;
  startedAt: number;
  basePort: number;
  /** Node id -> last known pid and its config path (the proof that a pid is ours). */
  nodes: Record<string, { pid: number; conf: string }>;
  /** What `watch` needs to attach to this run. */
  shape?: import('../topology.js').TopologyShape;
  networkMode?: import('../topology.js').NetworkMode;
}

/** Root of all runs: RSL_RUN_ROOT, or <tmp>/redis-sentinel-lab-<uid>. */
export function runRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.RSL_RUN_ROOT) return env.RSL_RUN_ROOT;
  let uid: string;
  try {
    uid = String(userInfo().uid);
  } catch {
    uid = 'user';
  }
  return join(tmpdir(), `redis-sentinel-lab-${uid}`);
}

export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const RUN_PREFIX = 'run-';
export const MANIFEST = 'lab.json';

export function createRunDir(root: string, runId: string): string {
  // Every config names files inside the run directory, and no config line can hold a control character: a newline
  // in RSL_RUN_ROOT (or TMPDIR) used to surface as an InternalError (exit 70) after the directory was created.
  if (/[\x00-\x1f\x7f]/.test(root)) {
    throw new UserError(
      `The run directory root ${JSON.stringify(root)} contains a control character (newline, tab…).`,
      {
        hint: 'Redis config files cannot name such a path. Choose another with RSL_RUN_ROOT=/some/writable/dir.',
      },
    );
  }
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const dir = join(root, `${RUN_PREFIX}${runId}`);
    mkdirSync(dir, { mode: 0o700 });
    return dir;
  } catch (err) {
    throw new UserError(`Cannot create the lab's run directory under ${root}: ${(err as Error).message}`, {
      hint: 'Make the directory writable, or choose another with RSL_RUN_ROOT=/some/writable/dir.',
      cause: err,
    });
  }
}

/** Atomic write (temp + rename), so a crash never leaves a half-written manifest. */
export function writeManifest(dir: string, m: RunManifest): void {
  const tmp = join(dir, `.${MANIFEST}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(m, null, 2), { mode: 0o600 });
  renameSync(tmp, join(dir, MANIFEST));
}

export function readManifest(dir: string): RunManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as RunManifest;
    if (typeof m.labPid !== 'number' || typeof m.nodes !== 'object') return undefined;
    return m;
  } catch {
    return undefined;
  }
}

export function listRunDirs(root: string): string[] {
  try {
    return readdirSync(root)
      .filter((n) => n.startsWith(RUN_PREFIX))
      .map((n) => join(root, n))
      .filter((p) => {
        try {
          return statSync(p).isDirectory();
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
