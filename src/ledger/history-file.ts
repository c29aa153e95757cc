// A workload's full history on disk: JSON Lines (one `JSON.stringify(op)` a line, the export's format), appended in
// batches, created owner-only in the run directory. Memory holds at most one batch; a reader gets the ops back in
// the order they were appended.
import { closeSync, constants, createReadStream, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { HistoryLine } from './export.js';
import type { HistoryOp } from './types.js';

/** A batch is written once it holds this much text, or after FLUSH_MS, whichever comes first. */
const BATCH_BYTES = 64 * 1024;
const FLUSH_MS = 1000;

export class HistoryFile {
  readonly path: string;
  readonly #stream: WriteStream;
  #batch: string[] = [];
  #batchBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #error: Error | undefined;
  #appended = 0;
  #closed: Promise<void> | undefined;
  /** Settles when the last batch handed to the stream is written (or failed). */
  #lastWrite: Promise<void> = Promise.resolve();
  readonly #onError = (err: Error) => {
    this.#error ??= err;
  };

  /**
   * Creates `path` (it must not exist: O_EXCL, so nothing planted there is followed or appended to), mode 0600.
   * Throws if it cannot be created.
   */
  constructor(path: string) {
    this.path = path;
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND, 0o600);
    try {
      this.#stream = createWriteStream('', { fd, flags: 'a', autoClose: true });
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.#stream.on('error', this.#onError);
  }

  /** Ops appended so far (written or still in the batch). */
  get appended(): number {
    return this.#appended;
  }

  /** The first write error, if any: from then on the file is incomplete and further ops are dropped. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Appends one op (or any line of a run's history: see HistoryLine). */
  append(op: HistoryOp | HistoryLine): void {
    if (this.#closed || this.#error) return;
    const line = `${JSON.stringify(op)}\n`;
    this.#batch.push(line);
    this.#batchBytes += line.length;
    this.#appended++;
    if (this.#batchBytes >= BATCH_BYTES) this.#write();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#write(), FLUSH_MS);
      // A pending batch must not keep the process alive; close() and flush() write it.
      this.#timer.unref();
    }
  }

  /** Resolves once everything appended so far is in the file (rejects with the write error, if one happened). */
  async flush(): Promise<void> {
    this.#write();
    await (this.#closed ?? this.#lastWrite);
    if (this.#error) throw this.#error;
  }

  /** Writes what is batched and closes the file; idempotent. Never rejects (see `error`). */
  close(): Promise<void> {
    if (this.#closed) return this.#closed;
    this.#write();
    this.#closed = new Promise<void>((resolve) => {
      this.#stream.end(() => resolve());
      // An end that fails (the error listener records it) still closes the descriptor.
      this.#stream.once('close', () => resolve());
    });
    // The error listener stays: closing the descriptor may still fail after 'finish', and an 'error' without a
    // listener would crash the lab. It is the stream's only listener of its kind, and goes with the stream.
    return this.#closed;
  }

  #write(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0 || this.#error) {
      this.#batch = [];
      this.#batchBytes = 0;
      return;
    }
    const text = this.#batch.join('');
    this.#batch = [];
    this.#batchBytes = 0;
    this.#lastWrite = new Promise<void>((resolve) => {
      // The callback gets a failed write's error before the stream emits it: record it here, so flush sees it.
      this.#stream.write(text, (err) => {
        if (err) this.#error ??= err;
        resolve();
      });
    });
  }
}

/** The ops of a history file in order. A last line cut short (the writer was killed mid-write) is left out. */
export async function* readHistoryFile(path: string): AsyncGenerator<HistoryOp> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let pendingError: Error | undefined;
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (pendingError) throw pendingError;
    if (line === '') continue;
    let op: HistoryOp;
    try {
      op = JSON.parse(line) as HistoryOp;
    } catch {
      // Only the last line may be torn; anything earlier is a corrupt file.
      pendingError = new Error(`${path}: line ${lineNo} is not JSON`);
      continue;
    }
    yield op;
  }
}

/** Every op of a history file, in memory: for tests and small histories only. */
export async function readHistory(path: string): Promise<HistoryOp[]> {
  const out: HistoryOp[] = [];
  for await (const op of readHistoryFile(path)) out.push(op);
  return out;
}
