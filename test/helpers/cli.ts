// Runs the real CLI as a child process (under the same Node, through tsx), for end-to-end command tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

export interface CliChild {
  child: ChildProcess;
  lines: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching `pred` (rejects on timeout or exit). */
  waitLine(pred: (l: string) => boolean, timeoutMs: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();

/** SIGKILLs every CLI child still running (for `after` hooks of tests that failed midway). */
export function killAllClis(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

/** tsx's loader by absolute URL: `--import tsx` would resolve from the child's working directory. */
const TSX = import.meta.resolve('tsx');

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, opts: { cwd?: string } = {}): CliChild {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.on('exit', () => live.delete(child));
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<{ pred: (l: string) => boolean; resolve: (l: string) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    for (const w of [...waiters]) {
      if (w.pred(l)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(l);
      }
    }
  });
  createInterface({ input: child.stderr! }).on('line', (l) => stderr.push(l));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr,
    exited,
    waitLine(pred, timeoutMs) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching line within ${timeoutMs} ms.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pred,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(`exited before a matching line.\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr.join('\n')}`),
          );
        });
      });
    },
  };
}

/** Runs the CLI to completion. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
  opts: { cwd?: string } = {},
) {
  const c = startCli(args, env, opts);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), timeoutMs);
  const r = await c.exited;
  clearTimeout(timer);
  return { ...r, stdout: c.lines.join('\n'), stderr: c.stderr.join('\n') };
}
