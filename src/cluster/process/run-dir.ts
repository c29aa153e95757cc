// Private run directories and the run manifest that lets a later start reap a SIGKILLed lab's processes.
//
// Every path the lab creates under the run root is proven ours before it is used: a directory owned by this uid,
// not a symbolic link, and not accessible to group or others (0700). The root has a predictable name in a shared
// /tmp, so another user could create it first and plant a redis.conf (with `loadmodule`, code that runs as the
// lab's user). Once the root is ours and 0700, nobody but us (or root) can rename or add anything inside it, and in
// a sticky /tmp nobody else can rename the root itself. The node's directory and config file are proven again
// before every (re)start (proveNodeFiles), so a swapped directory or a planted config is never executed.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
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
  /** The command-line client the lab's copy-paste lines name (absent in older manifests: redis-cli). */
  cli?: import('../topology.js').CliProgram;
  /** The server program (absent in older manifests: redis-server). */
  server?: import('../topology.js').ServerProgram;
}

/** This process's uid (the owner every lab path must have). */
export function myUid(): number {
  return process.getuid?.() ?? userInfo().uid;
}

/** Root of all runs: RSL_RUN_ROOT, or <tmp>/redis-sentinel-lab-<uid>. */
export function runRoot(env: NodeJS.ProcessEnv = process.env): string {
  // Absolute, so every config and manifest names the same place whatever directory a later command runs in.
  if (env.RSL_RUN_ROOT) return resolve(env.RSL_RUN_ROOT);
  let uid: string;
  try {
    uid = String(myUid());
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
/** A run directory holding this file was started with --keep: only `clean --all` removes it. */
export const KEEP_MARKER = 'kept';

// ---------------------------------------------------------------------------------------------------------------
// Pure: what the facts about one path mean.

/** The facts `lstat` gives about one path (undefined: it does not exist). */
export interface PathFacts {
  kind: 'dir' | 'file' | 'symlink' | 'other';
  uid: number;
  /** Permission bits (mode & 0o7777). */
  mode: number;
}

/** ok: usable as is; tighten: ours, but readable by others (chmod 0700 fixes it); refuse: never use it. */
export type PathVerdict = { verdict: 'ok' } | { verdict: 'tighten' } | { verdict: 'refuse'; problem: string };

export function factsOf(st: Stats): PathFacts {
  const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  return { kind, uid: st.uid, mode: st.mode & 0o7777 };
}

export const octal = (mode: number) => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/**
 * A directory the lab created (root, run dir, node dir) or will run from. Ours and not writable by others is safe
 * to tighten to 0700 (nobody else could have put anything inside); writable by others is refused, because someone
 * else may already have put files in it.
 */
export function judgePrivateDir(f: PathFacts, uid: number): PathVerdict {
  if (f.kind === 'symlink') return { verdict: 'refuse', problem: 'is a symbolic link' };
  if (f.kind !== 'dir') return { verdict: 'refuse', problem: 'is not a directory' };
  if (f.uid !== uid) return { verdict: 'refuse', problem: `belongs to uid ${f.uid}, not to you (uid ${uid})` };
  if (f.mode & 0o022) return { verdict: 'refuse', problem: `can be changed by other users (mode ${octal(f.mode)})` };
  if (f.mode & 0o077) return { verdict: 'tighten' };
  return { verdict: 'ok' };
}

/** A config file the lab is about to hand to redis-server: ours, a regular file, not writable by anyone else. */
export function judgePrivateFile(f: PathFacts, uid: number): PathVerdict {
  if (f.kind === 'symlink') return { verdict: 'refuse', problem: 'is a symbolic link' };
  if (f.kind !== 'file') return { verdict: 'refuse', problem: 'is not a regular file' };
  if (f.uid !== uid) return { verdict: 'refuse', problem: `belongs to uid ${f.uid}, not to you (uid ${uid})` };
  if (f.mode & 0o022) return { verdict: 'refuse', problem: `can be changed by other users (mode ${octal(f.mode)})` };
  return { verdict: 'ok' };
}

/**
 * A directory above the run root (after resolving symlinks): if someone else owns it, or can write to it without
 * the sticky bit, they can rename the root away and put their own in its place. Root-owned directories (`/`,
 * `/tmp` with its sticky bit) are fine.
 */
export function judgeAncestor(f: PathFacts, uid: number): PathVerdict {
  if (f.uid !== uid && f.uid !== 0)
    return { verdict: 'refuse', problem: `belongs to uid ${f.uid}, who could replace what is inside it` };
  if (f.mode & 0o022 && !(f.mode & 0o1000))
    return {
      verdict: 'refuse',
      problem: `can be changed by other users (mode ${octal(f.mode)}, no sticky bit), who could replace what is inside it`,
    };
  return { verdict: 'ok' };
}

// ---------------------------------------------------------------------------------------------------------------
// Effects: lstat, mkdir, chmod — and clear refusals.

function lstatFacts(path: string): PathFacts | undefined {
  try {
    return factsOf(lstatSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

const ROOT_HINT = (root: string) =>
  [
    'Someone else may have created it to plant files the lab would run.',
    `Remove it (as its owner, or as root: rm -rf ${JSON.stringify(root)}), or choose a root of your own:`,
    '  RSL_RUN_ROOT=/some/private/dir redis-sentinel-lab …',
  ].join('\n');

/** The refusal for a run root (or a directory above it) that is not provably ours. */
function refuseRoot(root: string, path: string, problem: string): UserError {
  const what = path === root ? `The lab's run root ${root}` : `The lab's run root ${root} is inside ${path}, which`;
  return new UserError(`${what} ${problem}; the lab will not use it.`, { hint: ROOT_HINT(root) });
}

/** Every existing directory above `root`, real path, from `/` down. */
function realAncestors(root: string): string[] {
  let parent = dirname(root);
  while (lstatFacts(parent) === undefined && dirname(parent) !== parent) parent = dirname(parent);
  let real: string;
  try {
    real = realpathSync(parent);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (let p = real; ; p = dirname(p)) {
    out.unshift(p);
    if (dirname(p) === p) break;
  }
  return out;
}

export type RootState =
  | { state: 'missing' }
  | { state: 'ok' }
  | { state: 'tighten'; mode: number }
  | { state: 'refused'; error: UserError };

/** Doctor's view (no side effects): would the lab use this root, tighten it, create it, or refuse it? */
export function inspectRunRoot(root: string): RootState {
  const uid = myUid();
  try {
    for (const a of realAncestors(root)) {
      const f = lstatFacts(a);
      const v = f ? judgeAncestor(f, uid) : { verdict: 'ok' as const };
      if (v.verdict === 'refuse') return { state: 'refused', error: refuseRoot(root, a, v.problem) };
    }
    const f = lstatFacts(root);
    if (!f) return { state: 'missing' };
    const v = judgePrivateDir(f, uid);
    if (v.verdict === 'refuse') return { state: 'refused', error: refuseRoot(root, root, v.problem) };
    return v.verdict === 'tighten' ? { state: 'tighten', mode: f.mode } : { state: 'ok' };
  } catch (err) {
    return {
      state: 'refused',
      error: new UserError(`Cannot inspect the lab's run root ${root}: ${(err as Error).message}`, {
        hint: 'Choose another with RSL_RUN_ROOT=/some/private/dir.',
        cause: err,
      }),
    };
  }
}

/**
 * Proves an existing run root ours (tightening 0755 to 0700); 'missing' when there is none. Throws a UserError
 * naming the path and the fix otherwise. Never creates anything (clean, and the reaper before a start).
 */
export function proveRunRoot(root: string): 'missing' | 'ok' {
  const s = inspectRunRoot(root);
  if (s.state === 'refused') throw s.error;
  if (s.state === 'missing') return 'missing';
  if (s.state === 'tighten') chmodSync(root, 0o700);
  return 'ok';
}

function checkControlChars(root: string): void {
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
}

const cannotCreate = (root: string, err: unknown) =>
  new UserError(`Cannot create the lab's run directory under ${root}: ${(err as Error).message}`, {
    hint: 'Make the directory writable, or choose another with RSL_RUN_ROOT=/some/writable/dir.',
    cause: err,
  });

/** Creates the run root if missing (mode 0700, with any missing parents), then proves it ours. */
export function ensureRunRoot(root: string): void {
  checkControlChars(root);
  // Refuse before creating anything when a directory above the root is someone else's.
  const before = inspectRunRoot(root);
  if (before.state === 'refused') throw before.error;
  if (before.state === 'missing') {
    try {
      mkdirSync(root, { recursive: true, mode: 0o700 });
    } catch (err) {
      // EEXIST: something appeared meanwhile (or a dangling symlink); judged below like anything else.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(root, err);
    }
  }
  proveRunRoot(root);
}

/** Proves one directory the lab created (run dir, node dir) is still ours and private; throws otherwise. */
export function provePrivateDir(path: string, what: string): void {
  const f = lstatFacts(path);
  if (!f) throw new UserError(`The lab's ${what} ${path} is gone.`, { hint: 'Start the lab again.' });
  const v = judgePrivateDir(f, myUid());
  if (v.verdict === 'refuse') {
    throw new UserError(`The lab's ${what} ${path} ${v.problem}; the lab will not use it.`, {
      hint: 'Someone changed the lab’s private files. Quit, remove the run directory, and start again.',
    });
  }
  if (v.verdict === 'tighten') chmodSync(path, 0o700);
}

export function createRunDir(root: string, runId: string, opts: { keep?: boolean } = {}): string {
  ensureRunRoot(root);
  const dir = join(root, `${RUN_PREFIX}${runId}`);
  try {
    // Not recursive: it must be new, made by us now.
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    throw cannotCreate(root, err);
  }
  provePrivateDir(dir, 'run directory');
  if (opts.keep) {
    writeFileSync(
      join(dir, KEEP_MARKER),
      'Started with --keep: the next start and `clean` leave this directory alone; `clean --all` removes it.\n',
      { mode: 0o600 },
    );
  }
  return dir;
}

/**
 * Before redis-server is (re)started on `confPath`: the config file, its node directory and, for the lab's layout
 * `<root>/run-<id>/<node>/<file>`, the run directory and the root are all still ours and private. Throws a UserError.
 */
export function proveNodeFiles(confPath: string, nodeDir: string): void {
  const dirs = new Set<string>();
  const runDir = dirname(nodeDir);
  if (basename(runDir).startsWith(RUN_PREFIX)) {
    const root = dirname(runDir);
    const s = inspectRunRoot(root);
    if (s.state === 'refused') throw s.error;
    if (s.state === 'missing') throw new UserError(`The lab's run root ${root} is gone.`);
    if (s.state === 'tighten') chmodSync(root, 0o700);
    dirs.add(runDir);
  }
  dirs.add(nodeDir);
  dirs.add(dirname(confPath));
  for (const d of dirs) provePrivateDir(d, d === runDir ? 'run directory' : 'node directory');
  const f = lstatFacts(confPath);
  // A missing config is redis-server's to report (it says why in its log); anything else must be ours.
  if (!f) return;
  const v = judgePrivateFile(f, myUid());
  if (v.verdict === 'refuse') {
    throw new UserError(`The config file ${confPath} ${v.problem}; the lab will not start redis-server with it.`, {
      hint: 'Someone changed the lab’s private files. Quit, remove the run directory, and start again.',
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------

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

export function isKept(dir: string): boolean {
  return lstatFacts(join(dir, KEEP_MARKER))?.kind === 'file';
}

/**
 * The run directories under `root` that are provably the lab's (ours, real directories, not writable by others).
 * Anything else (a symlink, someone else's directory) is never read, reaped or attached to.
 */
export function listRunDirs(root: string): string[] {
  const uid = myUid();
  try {
    return readdirSync(root)
      .filter((n) => n.startsWith(RUN_PREFIX))
      .map((n) => join(root, n))
      .filter((p) => {
        const f = lstatFacts(p);
        return f !== undefined && judgePrivateDir(f, uid).verdict !== 'refuse';
      });
  } catch {
    return [];
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
