// Process facts the reaper needs: is a pid alive, and what is its command line (the proof it is ours).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed orphan stays a zombie until init reaps it; it holds no port and runs no code. */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return false;
  }
}

/** Command line of a process, or undefined when it is gone or unreadable. */
export function commandLine(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return raw.length ? raw.split('\0').join(' ').trim() : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Working directory of a process (Redis chdirs to its `dir`, which is inside the run directory). */
export function processCwd(pid: number): string | undefined {
  if (process.platform === 'linux') {
    try {
      return readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync('lsof', ['-a', '-p', String(pid), '-d', 'cwd', '-Fn'], { encoding: 'utf8' });
    return out
      .split('\n')
      .find((l) => l.startsWith('n'))
      ?.slice(1);
  } catch {
    return undefined;
  }
}

/** Processes whose working directory or command line lies inside `dir` (the proof a process is the lab's). */
export function processesInside(dir: string): number[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found = new Set<number>();
  if (process.platform === 'linux') {
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      const cwd = processCwd(pid);
      if (cwd && (cwd === dir || cwd.startsWith(prefix))) found.add(pid);
      else if (commandLine(pid)?.includes(prefix)) found.add(pid);
    }
    return [...found];
  }
  for (const p of processesMatching(prefix)) found.add(p.pid);
  for (const p of processesMatching('redis-server').concat(processesMatching('valkey-server'))) {
    const cwd = processCwd(p.pid);
    if (cwd && (cwd === dir || cwd.startsWith(prefix))) found.add(p.pid);
  }
  return [...found];
}

/** All processes whose command line contains `needle` (used to find orphans of a dead lab). */
export function processesMatching(needle: string): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  if (process.platform === 'linux') {
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc');
    } catch {
      return out;
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      const cmd = commandLine(pid);
      if (cmd?.includes(needle)) out.push({ pid, cmd });
    }
    return out;
  }
  try {
    const text = execFileSync('ps', ['-axo', 'pid=,command='], { encoding: 'utf8' });
    for (const line of text.split('\n')) {
      const m = /^\s*(\d+)\s+(.*)$/.exec(line);
      if (m?.[1] && m[2]?.includes(needle)) out.push({ pid: Number(m[1]), cmd: m[2] });
    }
  } catch {
    // no ps: nothing found
  }
  return out;
}

/** SIGCONT first: a SIGSTOPped process would otherwise keep its port until someone continues it. */
export function forceKill(pid: number): void {
  for (const sig of ['SIGCONT', 'SIGKILL'] as const) {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}
