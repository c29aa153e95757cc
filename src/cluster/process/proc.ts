// Process facts the reaper needs: is a pid alive, and what is its command line (the proof it is ours).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
