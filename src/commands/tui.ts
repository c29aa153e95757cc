// The default command: the full-screen lab. Needs a real terminal; points elsewhere when there is none.
import { UserError } from '../errors.js';
import type { CommonOptions } from './options.js';
import type { SentinelFlags } from './sentinel-options.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

export function terminalProblem(env: NodeJS.ProcessEnv, stdinTTY: boolean, stdoutTTY: boolean): string | undefined {
  if (!stdinTTY || !stdoutTTY) return 'This is not an interactive terminal, so the full-screen lab cannot open.';
  if (env.TERM === 'dumb') return 'TERM=dumb cannot draw the full-screen lab.';
  return undefined;
}

export const HEADLESS_HINT = [
  'Use the headless commands instead:',
  '  redis-sentinel-lab up [--json]                 start the cluster and print how to reach it',
  '  redis-sentinel-lab watch [--json]              stream the live view and Sentinel events',
  '  redis-sentinel-lab lesson run <id> --headless  run a lesson end to end',
  '  redis-sentinel-lab watch|inspect --sentinel H:P  stream or diagnose a deployment the lab did not start',
].join('\n');

export async function tuiCommand(
  opts: CommonOptions & SentinelFlags & { lesson?: string; sandbox?: boolean },
): Promise<number> {
  const problem = terminalProblem(process.env, Boolean(process.stdin.isTTY), Boolean(process.stdout.isTTY));
  if (problem) throw new UserError(problem, { hint: HEADLESS_HINT, exitCode: 2 });
  const { runLabTui } = await import('./tui-run.js');
  return runLabTui(opts);
}
