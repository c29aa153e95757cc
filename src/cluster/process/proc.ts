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
  return processesInsideEach([dir]).get(dir) ?? [];
}

/** The same for several directories with one pass over the process table (the reaper checks every old run). */
export function processesInsideEach(dirs: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>(dirs.map((d) => [d, []]));
  if (dirs.length === 0) return out;
  const within = (path: string | undefined, dir: string) =>
    path !== undefined && (path === dir || path.startsWith(`${dir.replace(/\/$/, '')}/`));
  const names = (cmd: string | undefined, dir: string) => cmd?.includes(`${dir.replace(/\/$/, '')}/`) ?? false;
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
      const cwd = processCwd(pid);
      let cmd: string | undefined | null = null;
      for (const dir of dirs) {
        if (within(cwd, dir)) {
          out.get(dir)?.push(pid);
          continue;
        }
        if (cmd === null) cmd = commandLine(pid);
        if (names(cmd, dir)) out.get(dir)?.push(pid);
      }
    }
    return out;
  }
  for (const dir of dirs) {
    const found = new Set<number>();
    const prefix = `${dir.replace(/\/$/, '')}/`;
    for (const p of processesMatching(prefix)) found.add(p.pid);
    for (const p of processesMatching('redis-server').concat(processesMatching('valkey-server'))) {
      if (within(processCwd(p.pid), dir)) found.add(p.pid);
    }
    out.set(dir, [...found]);
  }
  return out;
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

/**
 * Does process group `pgid` still have a live member? A zombie does not count: it holds no port and runs no code,
 * and an orphaned one may wait a long time for init to reap it.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      // After the command name: state, ppid, pgrp, …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
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

/** The real uid a process runs as, or undefined when it is gone or cannot be read. */
export function processUid(pid: number): number | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (process.platform === 'linux') {
    try {
      const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m?.[1] === undefined ? undefined : Number(m[1]);
    } catch {
      return undefined;
    }
  }
  try {
    const out = execFileSync('ps', ['-o', 'uid=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return /^\d+$/.test(out) ? Number(out) : undefined;
  } catch {
    return undefined;
  }
}

/** What a process is doing, from the state letter of /proc/<pid>/stat (proc(5)); undefined off Linux. */
export type ProcessRunState = 'running' | 'stopped' | 'zombie' | 'gone';

/** Pure: the state letter after the command name in a /proc/<pid>/stat line. */
export function parseStatState(stat: string): ProcessRunState {
  const letter = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  // T: stopped by a signal (SIGSTOP, kill -STOP); t: stopped by a tracer; Z: exited, not yet reaped; X: dead.
  if (letter === 'T' || letter === 't') return 'stopped';
  if (letter === 'Z') return 'zombie';
  if (letter === 'X' || letter === '') return 'gone';
  return 'running';
}

/** The process's run state (Linux: /proc/<pid>/stat; elsewhere `ps -o stat=`). */
export function processRunState(pid: number): ProcessRunState {
  if (!Number.isInteger(pid) || pid <= 0) return 'gone';
  if (process.platform === 'linux') {
    try {
      return parseStatState(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return 'gone';
    }
  }
  try {
    const s = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    if (!s) return 'gone';
    return s.startsWith('T') ? 'stopped' : s.startsWith('Z') ? 'zombie' : 'running';
  } catch {
    return 'gone';
  }
}
