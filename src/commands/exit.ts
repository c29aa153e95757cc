// The one place errors become exit codes and messages.
import { InternalError, ProcessError, UserError } from '../errors.js';

/** 130 (128 + SIGINT, the shell convention): a headless lesson command stopped by a signal, after its cleanup. */
export const EXIT = { ok: 0, failure: 1, usage: 2, bug: 70, interrupted: 130 } as const;

export function reportError(err: unknown, write: (s: string) => void = (s) => process.stderr.write(s)): number {
  if (err instanceof UserError) {
    write(`error: ${err.message}\n`);
    if (err.hint) write(`${err.hint}\n`);
    return err.exitCode;
  }
  if (err instanceof ProcessError) {
    write(`error: ${err.message}\n`);
    if (err.logTail.length)
      write(`last lines of ${err.nodeId ?? 'its'} log:\n${err.logTail.map((l) => `  ${l}`).join('\n')}\n`);
    return EXIT.failure;
  }
  const e = err instanceof Error ? err : new InternalError(String(err));
  write(
    `redis-sentinel-lab hit a bug: ${e.stack ?? e.message}\nPlease report it with the command you ran and \`redis-sentinel-lab doctor\` output.\n`,
  );
  return EXIT.bug;
}
