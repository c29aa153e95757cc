// Finds the redis-server (or valkey-server) binary and checks its version. Sentinel runs as `<server> <conf> --sentinel`.
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { userCacheDir } from '../../cache-dir.js';
import { UserError } from '../../errors.js';
import type { CliProgram } from '../topology.js';

export type ServerFlavor = 'redis' | 'valkey';

export interface ServerBinary {
  path: string;
  flavor: ServerFlavor;
  version: string;
  /** Where the path came from: flag, env, PATH. */
  source: 'flag' | 'env' | 'path';
  /** The command-line client copy-paste lines name (`chooseClient`); redis-cli when absent. */
  cli?: CliProgram;
}

export interface ParsedVersion {
  flavor: ServerFlavor;
  version: string;
  major: number;
  minor: number;
}

/** Parses `redis-server --version` ("Redis server v=7.0.15 sha=…") or Valkey's ("Valkey server v=8.0.1 …"). */
export function parseServerVersion(output: string): ParsedVersion | undefined {
  const m = /\b(Redis|Valkey) server v=(\d+)\.(\d+)\.(\d+)/i.exec(output);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined;
  return {
    flavor: m[1].toLowerCase() === 'valkey' ? 'valkey' : 'redis',
    version: `${m[2]}.${m[3]}.${m[4]}`,
    major: Number(m[2]),
    minor: Number(m[3]),
  };
}

/** Redis >= 7.0 or Valkey >= 7.2: `bind-source-addr` (Redis 7.0) is what lets hosts have their own address. */
export function isSupportedVersion(v: ParsedVersion): boolean {
  if (v.flavor === 'valkey') return v.major > 7 || (v.major === 7 && v.minor >= 2);
  return v.major >= 7;
}

export const INSTALL_HINT = [
  'Install Redis 7 or newer (or Valkey 7.2+), then run this again:',
  '  Debian/Ubuntu:  sudo apt-get install redis-server',
  '  macOS:          brew install redis',
  '  Fedora/RHEL:    sudo dnf install redis        (or: sudo dnf install valkey)',
  '  Arch:           sudo pacman -S valkey',
  'Or point the lab at a binary:  --redis-server /path/to/redis-server   (or REDIS_SERVER=/path/to/redis-server)',
].join('\n');

export interface ResolveInput {
  flag?: string | undefined;
  env?: string | undefined;
  pathEnv?: string | undefined;
  /** How long `<binary> --version` may take (default 5 s). */
  versionTimeoutMs?: number;
  /**
   * A file remembering each binary's version by its identity (device, inode, size, mtime, ctime): the same file is
   * not run again (`--version` costs tens of ms of every start). Any change to the file runs it again; scripts and
   * unsupported versions are never remembered.
   */
  versionCache?: string | undefined;
}

/** The lab's version cache in the user's cache directory (undefined: no cache). */
export function defaultVersionCache(): string | undefined {
  const dir = userCacheDir();
  return dir ? join(dir, 'server-versions.json') : undefined;
}

type VersionCacheFile = Record<string, { id: string; version: ParsedVersion }>;

/** The identity of the file at `path` now: replacing or rewriting it changes at least one of these. */
function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
  } catch {
    return undefined;
  }
}

function readVersionCache(file: string): VersionCacheFile {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as VersionCacheFile) : {};
  } catch {
    return {};
  }
}

function cachedVersion(file: string, path: string): ParsedVersion | undefined {
  const e = readVersionCache(file)[path];
  const id = fileIdentity(path);
  if (!e || !id || e.id !== id) return undefined;
  const v = e.version;
  if (!v || (v.flavor !== 'redis' && v.flavor !== 'valkey') || typeof v.version !== 'string') return undefined;
  // Derived again from the version string, so a hand-edited entry cannot claim a different major.
  return parseServerVersion(`${v.flavor === 'valkey' ? 'Valkey' : 'Redis'} server v=${v.version}`);
}

/** Scripts (`#!`) are never remembered: what a wrapper runs can change while the wrapper stays the same. */
function isScript(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(2);
      return readSync(fd, head, 0, 2, 0) === 2 && head.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return true;
  }
}

function rememberVersion(file: string, path: string, version: ParsedVersion): void {
  if (!isSupportedVersion(version) || isScript(path)) return;
  const id = fileIdentity(path);
  if (!id) return;
  try {
    const all = readVersionCache(file);
    all[path] = { id, version };
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // no cache: the next start runs --version again
  }
}

/** How long `<binary> --version` may run before it is killed (with anything it started). */
export const VERSION_TIMEOUT_MS = 5000;

/**
 * Pure: the ordered list of candidates to try. A bare name (`redis-server`, no slash) given by --redis-server or
 * REDIS_SERVER is looked up on PATH, as a shell would; a name with a slash is used as it is.
 */
export function binaryCandidates(input: ResolveInput): Array<{ path: string; source: ServerBinary['source'] }> {
  const dirs = (input.pathEnv ?? '').split(delimiter).filter(Boolean);
  const explicit = input.flag
    ? { value: input.flag, source: 'flag' as const }
    : input.env
      ? { value: input.env, source: 'env' as const }
      : undefined;
  if (explicit) {
    if (explicit.value.includes('/')) return [{ path: explicit.value, source: explicit.source }];
    return dirs.map((d) => ({ path: join(d, explicit.value), source: explicit.source }));
  }
  const out: Array<{ path: string; source: ServerBinary['source'] }> = [];
  for (const name of ['redis-server', 'valkey-server']) {
    for (const d of dirs) out.push({ path: join(d, name), source: 'path' });
  }
  return out;
}

/**
 * Pure: the command-line client the lab's copy-paste lines name. redis-cli when it is on PATH (the source note's
 * name, and what Redis, Homebrew's and Fedora's Valkey install); else valkey-cli when that is (Debian's and Ubuntu's
 * Valkey packages install only valkey-cli); else the server's own client.
 */
export function chooseClient(flavor: ServerFlavor, onPath: (name: CliProgram) => boolean): CliProgram {
  if (onPath('redis-cli')) return 'redis-cli';
  if (onPath('valkey-cli')) return 'valkey-cli';
  return flavor === 'valkey' ? 'valkey-cli' : 'redis-cli';
}

/** Whether an executable file of that name is in one of PATH's directories. */
function onPath(name: string, pathEnv: string | undefined): boolean {
  return (pathEnv ?? '')
    .split(delimiter)
    .filter(Boolean)
    .some((d) => isExecutable(join(d, name)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    // X_OK also holds for a directory (search permission): without this, REDIS_SERVER=/some/dir was "run" and
    // reported as "did not report a Redis version", and a directory named redis-server on PATH stopped the search.
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export interface VersionProbe {
  version: ParsedVersion | undefined;
  /** True when `--version` did not finish in time and was killed. */
  timedOut: boolean;
}

/**
 * Runs `<path> --version` in its own process group with a deadline: a binary that hangs (or a wrapper script whose
 * child keeps the output pipe open) is killed at the deadline with everything it started, and nothing is left.
 */
export async function probeServerVersion(path: string, timeoutMs = VERSION_TIMEOUT_MS): Promise<VersionProbe> {
  // Loaded here: a start whose binary's version is remembered never runs it (nor loads execa).
  const { execa } = await import('execa');
  const sp = execa(path, ['--version'], {
    reject: false,
    timeout: timeoutMs,
    stdin: 'ignore',
    killSignal: 'SIGKILL',
    killDescendants: true,
    forceKillAfterDelay: false,
  });
  const r = await sp;
  // Anything it left running in its group (a background child that closed its output) goes too.
  try {
    sp.kill('SIGKILL');
  } catch {
    // gone
  }
  return { version: parseServerVersion(`${r.stdout ?? ''}\n${r.stderr ?? ''}`), timedOut: r.timedOut };
}

export async function readServerVersion(
  path: string,
  timeoutMs = VERSION_TIMEOUT_MS,
): Promise<ParsedVersion | undefined> {
  return (await probeServerVersion(path, timeoutMs)).version;
}

/** Resolves the server binary: --redis-server, REDIS_SERVER, redis-server on PATH, valkey-server on PATH. */
export async function resolveServerBinary(input: ResolveInput): Promise<ServerBinary> {
  const candidates = binaryCandidates(input);
  const explicit = input.flag ? 'flag' : input.env ? 'env' : undefined;
  const given = input.flag ?? input.env ?? '';
  const what = explicit === 'flag' ? '--redis-server' : 'REDIS_SERVER';
  let found = false;
  for (const c of candidates) {
    if (!isExecutable(c.path)) {
      if (explicit && given.includes('/')) {
        throw new UserError(`${what} points at ${c.path}, which is not an executable file.`, { hint: INSTALL_HINT });
      }
      continue;
    }
    found = true;
    const timeoutMs = input.versionTimeoutMs ?? VERSION_TIMEOUT_MS;
    const known = input.versionCache ? cachedVersion(input.versionCache, c.path) : undefined;
    const probe = known ? { version: known, timedOut: false } : await probeServerVersion(c.path, timeoutMs);
    const v = probe.version;
    if (v && !known && input.versionCache) rememberVersion(input.versionCache, c.path, v);
    if (!v) {
      throw new UserError(
        probe.timedOut
          ? `\`${c.path} --version\` did not finish within ${timeoutMs / 1000} s; it was stopped.`
          : `${c.path} did not report a Redis or Valkey version (tried \`${c.path} --version\`).`,
        { hint: INSTALL_HINT },
      );
    }
    if (!isSupportedVersion(v)) {
      throw new UserError(
        `${c.path} is ${v.flavor === 'valkey' ? 'Valkey' : 'Redis'} ${v.version}; the lab needs Redis >= 7.0 or Valkey >= 7.2 (for bind-source-addr).`,
        { hint: INSTALL_HINT },
      );
    }
    const cli = chooseClient(v.flavor, (name) => onPath(name, input.pathEnv));
    return { path: c.path, flavor: v.flavor, version: v.version, source: c.source, cli };
  }
  if (explicit && !found) {
    throw new UserError(`${what} is ${JSON.stringify(given)}, and no executable of that name is on PATH.`, {
      hint: INSTALL_HINT,
    });
  }
  throw new UserError('No redis-server (or valkey-server) was found on PATH.', { hint: INSTALL_HINT });
}
