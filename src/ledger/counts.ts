// Live counts of client ops for the workload pane, folded one HistoryOp at a time (pure, allocation-light).
import type { HistoryOp, LedgerCounts } from './types.js';

export function zeroCounts(): LedgerCounts {
  return { invoked: 0, ok: 0, failed: 0, unknown: 0, errors: {} };
}

const CLIENT_FS: ReadonlySet<HistoryOp['f']> = new Set(['add', 'write', 'read']);

/** Returns new counts including `op`; faults, heals and final reads are not client ops and leave counts unchanged. */
export function countOps(counts: LedgerCounts, op: HistoryOp): LedgerCounts {
  if (!CLIENT_FS.has(op.f)) return counts;
  switch (op.type) {
    case 'invoke':
      return { ...counts, invoked: counts.invoked + 1 };
    case 'ok':
      return { ...counts, ok: counts.ok + 1 };
    case 'fail':
      return { ...counts, failed: counts.failed + 1, errors: bump(counts.errors, errorClass(op.error)) };
    case 'info':
      return { ...counts, unknown: counts.unknown + 1, errors: bump(counts.errors, errorClass(op.error)) };
  }
}

/**
 * The same fold, mutating `counts` in place: for a hot loop that owns its counts (the workload) and hands out
 * copies. Returns whether `op` was counted.
 */
export function countOpInPlace(counts: LedgerCounts, op: HistoryOp): boolean {
  if (!CLIENT_FS.has(op.f)) return false;
  switch (op.type) {
    case 'invoke':
      counts.invoked++;
      break;
    case 'ok':
      counts.ok++;
      break;
    case 'fail':
    case 'info': {
      if (op.type === 'fail') counts.failed++;
      else counts.unknown++;
      const key = errorClass(op.error);
      counts.errors[key] = (counts.errors[key] ?? 0) + 1;
      break;
    }
  }
  return true;
}

/** A copy that shares nothing with `counts`. */
export function copyCounts(counts: LedgerCounts): LedgerCounts {
  return { ...counts, errors: { ...counts.errors } };
}

function bump(errors: Record<string, number>, key: string): Record<string, number> {
  return { ...errors, [key]: (errors[key] ?? 0) + 1 };
}

// ioredis and Node phrase client-side failures in prose; map them to stable, countable words.
const CLIENT_SIDE: ReadonlyArray<[RegExp, string]> = [
  [/connect ETIMEDOUT/, 'ETIMEDOUT'],
  [/timed? ?out/i, 'TIMEOUT'],
  [/ECONNREFUSED/, 'ECONNREFUSED'],
  [/ECONNRESET/, 'ECONNRESET'],
  [/EADDRNOTAVAIL/, 'EADDRNOTAVAIL'],
  [/EHOSTUNREACH|ENETUNREACH/, 'EHOSTUNREACH'],
  [/Connection is closed|max retries per request|connection lost|socket closed/i, 'CLOSED'],
  [/Stream isn't writeable|not connected/i, 'NOTCONNECTED'],
];

/**
 * The error's class for counting: the first word when it is an upper-case code (`NOREPLICAS`, `READONLY`,
 * `NOAUTH`, `ECONNREFUSED`, …), otherwise a known client-side phrase mapped to a code, else `OTHER`.
 * The client actor's own texts keep two timeouts apart: `ETIMEDOUT` = could not connect (request not sent, a fail),
 * `TIMEOUT` = no reply to a sent request (unknown). `CLOSED` = connection lost with the request in flight.
 */
export function errorClass(error: string | undefined): string {
  if (!error) return 'UNKNOWN';
  const first = /^[A-Z][A-Z0-9_-]*(?=\s|$|:)/.exec(error.trim())?.[0];
  if (first) return first;
  for (const [re, code] of CLIENT_SIDE) if (re.test(error)) return code;
  return 'OTHER';
}
