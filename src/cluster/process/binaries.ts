// Finds the redis-server (or valkey-server) binary and checks its version. Sentinel runs as `<server> <conf> --sentinel`.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { UserError } from '../../errors.js';

export type ServerFlavor = 'redis' | 'valkey';

export interface ServerBinary {
  path: string;
  flavor: ServerFlavor;
  version: string;
  /** Where the path came from: flag, env, PATH. */
  source: 'flag' | 'env' | 'path';
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
}

/** Pure: the ordered list of candidates to try. */
export function binaryCandidates(input: ResolveInput): Array<{ path: string; source: ServerBinary['source'] }> {
  if (input.flag) return [{ path: input.flag, source: 'flag' }];
  if (input.env) return [{ path: input.env, source: 'env' }];
  const dirs = (input.pathEnv ?? '').split(delimiter).filter(Boolean);
  const out: Array<{ path: string; source: ServerBinary['source'] }> = [];
  for (const name of ['redis-server', 'valkey-server']) {
    for (const d of dirs) out.push({ path: join(d, name), source: 'path' });
  }
  return out;
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

export async function readServerVersion(path: string): Promise<ParsedVersion | undefined> {
  const r = await execa(path, ['--version'], { reject: false, timeout: 5000, stdin: 'ignore' });
  return parseServerVersion(`${r.stdout ?? ''}\n${r.stderr ?? ''}`);
}

/** Resolves the server binary: --redis-server, REDIS_SERVER, redis-server on PATH, valkey-server on PATH. */
export async function resolveServerBinary(input: ResolveInput): Promise<ServerBinary> {
  const candidates = binaryCandidates(input);
  const explicit = candidates[0]?.source === 'flag' || candidates[0]?.source === 'env';
  for (const c of candidates) {
    if (!isExecutable(c.path)) {
      if (explicit) {
        const what = c.source === 'flag' ? '--redis-server' : 'REDIS_SERVER';
        throw new UserError(`${what} points at ${c.path}, which is not an executable file.`, { hint: INSTALL_HINT });
      }
      continue;
    }
    const v = await readServerVersion(c.path);
    if (!v) {
      throw new UserError(`${c.path} did not report a Redis or Valkey version (tried \`${c.path} --version\`).`, {
        hint: INSTALL_HINT,
      });
    }
    if (!isSupportedVersion(v)) {
      throw new UserError(
        `${c.path} is ${v.flavor === 'valkey' ? 'Valkey' : 'Redis'} ${v.version}; the lab needs Redis >= 7.0 or Valkey >= 7.2 (for bind-source-addr).`,
        { hint: INSTALL_HINT },
      );
    }
    return { path: c.path, flavor: v.flavor, version: v.version, source: c.source };
  }
  throw new UserError('No redis-server (or valkey-server) was found on PATH.', { hint: INSTALL_HINT });
}
