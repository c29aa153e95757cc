// Plays setup/solution entries against a lab: actions through `perform` (exactly what the keyboard does), waits by
// polling the store until a goal holds. Shared by the headless checker and the controller's playSolution.
import { type ActionOutcome, actionLine, type LabAction } from '../actions/catalog.js';
import type { LabStore } from '../state/store.js';
import { evaluateGoal, holdingDetail, trackHold } from './checks.js';
import { describeGoal } from './describe.js';
import type { Measurement } from './measured.js';
import type { Goal, SolutionEntry } from './schema.js';
import { isWaitFor } from './schema.js';
import type { StepMark } from './types.js';

export interface PlayTarget {
  store: LabStore;
  perform(action: LabAction): Promise<ActionOutcome>;
}

export interface PlayOptions {
  /** The step's mark, so waits count events since the step started. */
  since: StepMark;
  now?: () => number;
  /** Store polling period while waiting. @default 100 */
  pollMs?: number;
  /** Stops between entries and while waiting. */
  signal?: AbortSignal;
  /** Called before each entry (for "playing 2/4: kill redis-1"). */
  onEntry?(index: number, entry: SolutionEntry): void;
}

export interface PlayResult {
  ok: boolean;
  /** What happened, or what went wrong ("kill redis-1 failed: unknown node"). */
  detail: string;
}

export const DEFAULT_POLL_MS = 100;

/** Actions whose failure is an answer from Redis rather than a broken solution. */
const CLIENT_COMMANDS: ReadonlySet<LabAction['kind']> = new Set(['write', 'read']);

export async function playEntries(
  entries: readonly SolutionEntry[],
  target: PlayTarget,
  opts: PlayOptions,
): Promise<PlayResult> {
  const done: string[] = [];
  for (const [i, entry] of entries.entries()) {
    if (opts.signal?.aborted) return { ok: false, detail: 'stopped' };
    opts.onEntry?.(i, entry);
    if (isWaitFor(entry)) {
      const w = await waitForGoal(target.store, entry.waitFor, { ...opts, timeoutMs: entry.timeoutMs });
      if (!w.met)
        return { ok: false, detail: `waited ${entry.timeoutMs} ms for "${describeGoal(entry.waitFor)}": ${w.detail}` };
      done.push(`waited: ${w.detail}`);
      continue;
    }
    let outcome: ActionOutcome;
    try {
      outcome = await target.perform(entry);
    } catch (err) {
      outcome = { ok: false, text: err instanceof Error ? err.message : String(err) };
    }
    // A refused client command (NOREPLICAS, READONLY…) is what many steps are about: Redis answered, so it is
    // recorded as a client result and the playback goes on. Any other failed action stops it.
    if (!outcome.ok && !CLIENT_COMMANDS.has(entry.kind)) {
      return { ok: false, detail: `${actionLine(entry)} failed: ${outcome.text}` };
    }
    done.push(outcome.text);
  }
  return { ok: true, detail: done.join('; ') || 'nothing to do' };
}

export interface WaitResult {
  met: boolean;
  detail: string;
  ms: number;
  /** What the goal measured at the last evaluation. */
  measured: Measurement[];
}

/** Polls the store until `goal` holds (for its holdMs) or `timeoutMs` passes. */
export async function waitForGoal(
  store: LabStore,
  goal: Goal,
  opts: Omit<PlayOptions, 'onEntry'> & { timeoutMs: number },
): Promise<WaitResult> {
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
  const holdMs = goal.holdMs ?? 0;
  const start = now();
  let heldSince: number | undefined;
  for (;;) {
    const t = now();
    const r = evaluateGoal(goal, { state: store.getState(), now: t, since: opts.since });
    const held = trackHold(heldSince, r.met, t, holdMs);
    heldSince = held.heldSince;
    if (held.satisfied) return { met: true, detail: r.detail, ms: t - start, measured: r.measured };
    if (t - start >= opts.timeoutMs)
      return { met: false, detail: holdingDetail(r.detail, held, t, holdMs), ms: t - start, measured: r.measured };
    if (opts.signal?.aborted) return { met: false, detail: 'stopped', ms: t - start, measured: r.measured };
    await sleep(Math.min(pollMs, Math.max(1, opts.timeoutMs - (t - start))));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
