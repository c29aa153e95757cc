// What the run's export needs and the store does not keep (its lists are bounded, and a cluster reset clears the
// view): the run's own history on disk (every client command, fault and heal, lab action, cluster reset and Sentinel
// event, one JSON line each, in the deployment's work directory; the workloads' ops are in their own files) and one
// small record per workload (its verdict and counts). Used only by Lab.exportRun. Memory stays flat: the file is
// written in batches (ledger/history-file.ts); a deployment with no work directory (one the lab only watches) keeps
// the newest MEMORY_LINES lines instead.
import { join } from 'node:path';
import type { LabEmitter } from '../cluster/events.js';
import { countOpInPlace, zeroCounts } from '../ledger/counts.js';
import type { HistoryLine, ReportWorkload } from '../ledger/export.js';
import { HistoryFile } from '../ledger/history-file.js';
import type { LedgerCounts } from '../ledger/types.js';

/** The run's own history file in the work directory (the workloads' files are `workload-<tag>.jsonl`). */
export const RUN_HISTORY_FILE = 'run-history.jsonl';
/** Lines kept in memory where there is no work directory. */
export const MEMORY_LINES = 5000;
/** Workload records kept (the oldest go first). */
const WORKLOADS = 1000;

export interface WorkloadRecord extends ReportWorkload {
  running: boolean;
  counts: LedgerCounts;
}

export class RunHistory {
  /** The file, when the deployment has a work directory (and it could be created). */
  readonly file: HistoryFile | undefined;
  /** Why the file could not be created, if it could not. */
  readonly fileError: string | undefined;
  readonly #memory: HistoryLine[] = [];
  #dropped = 0;
  readonly #workloads: WorkloadRecord[] = [];
  readonly #resets: Array<{ at: number; seq: number }> = [];
  readonly #nextSeq: () => number;
  readonly #now: () => number;

  constructor(opts: { emitter: LabEmitter; dir?: string; nextSeq: () => number; now?: () => number }) {
    this.#nextSeq = opts.nextSeq;
    this.#now = opts.now ?? Date.now;
    let file: HistoryFile | undefined;
    let fileError: string | undefined;
    if (opts.dir !== undefined) {
      try {
        file = new HistoryFile(join(opts.dir, RUN_HISTORY_FILE));
      } catch (err) {
        fileError = err instanceof Error ? err.message : String(err);
      }
    }
    this.file = file;
    this.fileError = fileError;
    const e = opts.emitter;
    e.on('history-op', (op) => {
      if (op.process === 'workload') {
        // In the workload's own file; only its counts are kept here.
        const w = this.#workloads.at(-1);
        if (w) countOpInPlace(w.counts, op);
        return;
      }
      this.#keep(op);
    });
    e.on('sentinel-event', (ev) => {
      this.#keep({
        seq: ev.seq,
        at: ev.at,
        process: ev.sentinelId,
        type: 'info',
        f: 'event',
        value: `${ev.channel} ${ev.payload}`,
        ...(ev.subjectId ? { node: ev.subjectId } : {}),
      });
    });
    e.on('action', (a) => {
      if (a.status === 'running') {
        this.#keep({
          seq: a.seq,
          at: a.at,
          process: 'lab',
          type: 'invoke',
          f: 'action',
          value: a.title,
          action: a.kind,
        });
        return;
      }
      this.#keep({
        seq: this.#nextSeq(),
        at: this.#now(),
        process: 'lab',
        type: a.status === 'ok' ? 'ok' : 'fail',
        f: 'action',
        value: a.title,
        action: a.kind,
        opId: a.seq,
        ...(a.status === 'failed' && a.result ? { error: a.result } : {}),
      });
    });
    e.on('cluster-reset', () => {
      // The reset closed the clients: a workload running then ends without a verdict.
      const last = this.#workloads.at(-1);
      if (last?.running) {
        last.running = false;
        last.note ??= 'The cluster was reset while it ran, so it was never checked: it has no verdict.';
      }
      const reset = { at: this.#now(), seq: this.#nextSeq() };
      this.#resets.push(reset);
      this.#keep({
        ...reset,
        process: 'lab',
        type: 'info',
        f: 'cluster-reset',
        value: 'fresh configs and Sentinel state',
      });
    });
    e.on('workload', (w) => {
      const last = this.#workloads.at(-1);
      if (w.running) {
        if (last?.running) return;
        this.#workloads.push({
          running: true,
          startedAt: w.startedAt ?? this.#now(),
          startSeq: this.#nextSeq(),
          ...(w.client ? { client: w.client } : {}),
          ...(w.ratePerSec !== undefined ? { ratePerSec: w.ratePerSec } : {}),
          counts: zeroCounts(),
        });
        if (this.#workloads.length > WORKLOADS) this.#workloads.shift();
        return;
      }
      if (!last) return;
      last.running = false;
      if (w.verdict) last.verdict = w.verdict;
      if (w.error) last.note = `Its final check could not run: ${w.error}`;
    });
    e.on('phase', (p) => {
      if (p === 'stopped') void this.file?.close();
    });
  }

  #keep(line: HistoryLine): void {
    if (this.file) {
      this.file.append(line);
      return;
    }
    this.#memory.push(line);
    if (this.#memory.length > MEMORY_LINES) {
      this.#memory.shift();
      this.#dropped++;
    }
  }

  /** Resolves once every line so far is in the file (rejects with its write error). */
  async flush(): Promise<void> {
    await this.file?.flush();
  }

  /** Lines kept in memory (no work directory), oldest first, and how many older ones were dropped. */
  memory(): { lines: readonly HistoryLine[]; dropped: number } {
    return { lines: [...this.#memory], dropped: this.#dropped };
  }

  /** Every workload of the run, oldest first (copies). */
  workloads(): WorkloadRecord[] {
    return this.#workloads.map((w) => ({ ...w, counts: { ...w.counts, errors: { ...w.counts.errors } } }));
  }

  /** Every cluster reset of the run: when, and its seq. */
  resets(): Array<{ at: number; seq: number }> {
    return [...this.#resets];
  }
}
