// The lab's three error kinds; `exitCodeFor` in cli.ts is the only place they become exit codes.

/** A problem the user can fix (bad flag, missing binary, invalid lesson, busy ports). Carries a hint. */
export class UserError extends Error {
  override name = 'UserError';
  readonly hint: string | undefined;
  /** Exit code: 2 for usage errors, 1 otherwise. */
  readonly exitCode: number;
  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** An external process (redis-server, a Sentinel) failed; carries the tail of its log. */
export class ProcessError extends Error {
  override name = 'ProcessError';
  readonly nodeId: string | undefined;
  readonly logTail: readonly string[];
  constructor(message: string, opts: { nodeId?: string; logTail?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.nodeId = opts.nodeId;
    this.logTail = opts.logTail ?? [];
  }
}

/** A bug in the lab itself. */
export class InternalError extends Error {
  override name = 'InternalError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
