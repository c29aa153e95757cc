// The ledger workload: SADD unique ids (`<runTag>-<n>`) into one set through a ClientActor at a steady rate
// (or as fast as N in-flight requests allow). Memory stays flat however long it runs: live counts, and for the final
// check a compact per-element table (ledger/recorder.ts); the full history goes to a JSON Lines file when asked.

import type { CheckOptions } from '../../ledger/check.js';
import { copyCounts, countOpInPlace, zeroCounts } from '../../ledger/counts.js';
import { HistoryFile, readHistory } from '../../ledger/history-file.js';
import { type IdAllocator, nextHistorySeq } from '../../ledger/ids.js';
import { LedgerRecorder } from '../../ledger/recorder.js';
import type { LedgerCounts, LedgerVerdict } from '../../ledger/types.js';
import type { HistoryOp } from '../events.js';
import { ClientActor, type ClientActorOptions, type ClientOpResult } from './client-actor.js';

export const DEFAULT_SET_KEY = 'rsl:ledger';
export const DEFAULT_RATE_PER_SEC = 200;

export interface WorkloadOptions {
  /** An actor to drive, or options for one the workload owns (process `workload`) and closes on stop. */
  actor: ClientActor | ClientActorOptions;
  /** Prefix of every element; unique per run so elements of other runs can be told apart. */
  runTag: string;
  setKey?: string;
  /** Adds per second; 0 or 'max' = as fast as `concurrency` in-flight requests allow. */
  ratePerSec?: number | 'max';
  /** In-flight requests in 'max' mode, and the cap on in-flight requests in rate mode. */
  concurrency?: number;
  /** false: run the identical loop but keep no history, counts or callbacks (the overhead benchmark). */
  recording?: boolean;
  /**
   * Where the full history goes (the verdict never needs it: the recorder keeps what it does):
   * `{ file }` streams it to a new JSON Lines file (owner-only; it must not exist yet); `'memory'` keeps every op in
   * an array (grows without bound: small tests and the benchmark's baseline only); absent: nowhere.
   */
  history?: { file: string } | 'memory';
  onOp?: (op: HistoryOp) => void;
  onCounts?: (counts: LedgerCounts) => void;
  countsIntervalMs?: number;
  /** In 'max' mode, how long one lane pauses after a failed or unknown add (keeps refusals from spinning). */
  failBackoffMs?: number;
  now?: () => number;
  nextSeq?: IdAllocator;
}

export interface WorkloadStats {
  issued: number;
  ok: number;
  failed: number;
  unknown: number;
  startedAt?: number;
  stoppedAt?: number;
}

const RATE_TICK_MS = 5;

export class Workload {
  readonly actor: ClientActor;
  readonly runTag: string;
  readonly setKey: string;
  readonly #ownsActor: boolean;
  readonly #rate: number;
  readonly #concurrency: number;
  readonly #recording: boolean;
  readonly #o: WorkloadOptions;
  readonly #now: () => number;
  readonly #seq: IdAllocator;
  readonly #recorder: LedgerRecorder;
  readonly #file: HistoryFile | undefined;
  readonly #memory: HistoryOp[] | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #stats: WorkloadStats = { issued: 0, ok: 0, failed: 0, unknown: 0 };
  readonly #counts: LedgerCounts = zeroCounts();
  #countsDirty = false;
  #running = false;
  #n = 0;
  #ticker: NodeJS.Timeout | undefined;
  #countsTimer: NodeJS.Timeout | undefined;
  #unlisten: (() => void) | undefined;
  #lanes: Promise<void>[] = [];

  constructor(options: WorkloadOptions) {
    this.#o = options;
    this.runTag = options.runTag;
    this.setKey = options.setKey ?? DEFAULT_SET_KEY;
    this.#ownsActor = !(options.actor instanceof ClientActor);
    this.actor =
      options.actor instanceof ClientActor
        ? options.actor
        : new ClientActor({
            process: 'workload',
            ...options.actor,
            ...(options.nextSeq ? { nextSeq: options.nextSeq } : {}),
          });
    const rate = options.ratePerSec ?? DEFAULT_RATE_PER_SEC;
    this.#rate = rate === 'max' ? 0 : Math.max(0, rate);
    this.#concurrency = Math.max(1, options.concurrency ?? (this.#rate === 0 ? 32 : 256));
    this.#recording = options.recording ?? true;
    this.#now = options.now ?? Date.now;
    this.#seq = options.nextSeq ?? nextHistorySeq;
    this.#recorder = new LedgerRecorder({ runTag: this.runTag });
    const history = this.#recording ? options.history : undefined;
    this.#memory = history === 'memory' ? [] : undefined;
    this.#file = typeof history === 'object' ? new HistoryFile(history.file) : undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Plain counters kept in both modes (cheap; what the benchmark reads). */
  stats(): Readonly<WorkloadStats> {
    return { ...this.#stats };
  }

  /** A snapshot of the live counts (the workload folds into its own copy in place). */
  counts(): LedgerCounts {
    return copyCounts(this.#counts);
  }

  /** The history file, when the history goes to one. */
  get historyFile(): HistoryFile | undefined {
    return this.#file;
  }

  /** Elements the final check knows of, and the bytes its table holds (what the workload keeps per write). */
  ledgerSize(): { elements: number; tableBytes: number } {
    return { elements: this.#recorder.elements, tableBytes: this.#recorder.tableBytes };
  }

  /**
   * The full history so far, read back into memory: this workload's client ops plus anything passed to `note`.
   * Empty when it is kept nowhere. For tests and small runs; the export copies the file instead.
   */
  async history(): Promise<HistoryOp[]> {
    if (this.#memory) return [...this.#memory];
    if (!this.#file) return [];
    await this.#file.flush();
    return readHistory(this.#file.path);
  }

  /** Appends a fault/heal (or any) op so history and faults read together; assigns seq/at when missing. */
  note(op: Omit<HistoryOp, 'seq' | 'at'> & { seq?: number; at?: number }): void {
    if (!this.#recording) return;
    this.#keep({ ...op, seq: op.seq ?? this.#seq(), at: op.at ?? this.#now() });
  }

  #keep(op: HistoryOp): void {
    this.#recorder.add(op);
    this.#file?.append(op);
    this.#memory?.push(op);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stats.startedAt = this.#now();
    this.#stats.stoppedAt = undefined;
    if (this.#recording) {
      this.#unlisten = this.actor.listen((op) => this.#record(op));
      this.#countsTimer = setInterval(() => this.#flushCounts(), this.#o.countsIntervalMs ?? 250);
    }
    if (this.#rate === 0) {
      this.#lanes = Array.from({ length: this.#concurrency }, () => this.#lane());
    } else {
      this.#startTicker();
    }
  }

  /** Stops issuing, waits for every in-flight request to complete, flushes counts; closes an owned actor. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    await Promise.all(this.#lanes);
    this.#lanes = [];
    await Promise.all([...this.#inFlight]);
    clearInterval(this.#countsTimer);
    this.#countsTimer = undefined;
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#stats.stoppedAt = this.#now();
    this.#flushCounts();
  }

  /** Stops (if running), closes the history file and the actor if the workload created it. */
  async close(): Promise<void> {
    await this.stop();
    await this.#file?.close();
    if (this.#ownsActor) await this.actor.close();
  }

  /**
   * Reads the final set (after heal and convergence, on the current master) and runs the set checker.
   * Members that are not this run's elements are left out and reported as `anomalies.foreignMembers`.
   */
  async finalCheck(
    readMembers: () => Promise<{ node: string; members: readonly string[] }>,
    options: CheckOptions = {},
  ): Promise<LedgerVerdict> {
    const { node, members } = await readMembers();
    const own = new RegExp(`^${escapeRegExp(this.runTag)}-\\d+$`);
    const mine = members.filter((m) => own.test(m));
    const at = this.#now();
    this.note({ process: 'workload', type: 'ok', f: 'final-read', node, value: `${mine.length} members`, at });
    return this.#recorder.verdict(
      { node, members: mine, at },
      { ...options, foreignMembers: members.length - mine.length },
    );
  }

  #record(op: HistoryOp): void {
    this.#keep(op);
    if (countOpInPlace(this.#counts, op)) this.#countsDirty = true;
    this.#o.onOp?.(op);
  }

  #flushCounts(): void {
    if (!this.#countsDirty) return;
    this.#countsDirty = false;
    this.#o.onCounts?.(copyCounts(this.#counts));
  }

  #issue(): Promise<ClientOpResult> {
    this.#n++;
    this.#stats.issued++;
    const p = this.actor.add(this.setKey, `${this.runTag}-${this.#n}`);
    this.#inFlight.add(p);
    return p.then((r) => {
      this.#inFlight.delete(p);
      if (r.kind === 'ok') this.#stats.ok++;
      else if (r.kind === 'fail') this.#stats.failed++;
      else this.#stats.unknown++;
      return r;
    });
  }

  async #lane(): Promise<void> {
    const backoff = this.#o.failBackoffMs ?? 50;
    while (this.#running) {
      const r = await this.#issue();
      if (!r.ok && this.#running) await new Promise((res) => setTimeout(res, backoff));
    }
  }

  #startTicker(): void {
    const t0 = this.#now();
    let due = 0;
    this.#ticker = setInterval(() => {
      const target = Math.floor(((this.#now() - t0) * this.#rate) / 1000);
      while (due < target && this.#inFlight.size < this.#concurrency) {
        due++;
        void this.#issue();
      }
      // Slots skipped because too many requests hang are dropped, not made up later in a burst.
      due = target;
    }, RATE_TICK_MS);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
