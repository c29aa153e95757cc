// The set checker folded op by op into a compact table, so a workload that runs for hours keeps no list of ops:
// the verdict from a LedgerRecorder fed a history equals `checkLedger` over the same history (test/ledger/
// recorder.test.ts feeds both the same generated histories), at 11 bytes per element instead of the few hundred
// bytes that keeping the ops took (~340 per write in `npm run bench`'s baseline).
//
// The workload's elements are `<runTag>-<n>` with n counting up from 1, so each element's facts live in typed arrays
// indexed by n, in pages of 4096 created as n grows. Anything else (another run's value, a non-canonical number, an
// n far beyond the pages, a time or node that does not fit its column) falls back to a Map, so any history at all
// gets the same verdict; only the workload's own values are compact.
import { type CheckOptions, type ElementFacts, type FinalRead, type Outcome, verdictFrom } from './check.js';
import type { HistoryOp, LedgerAnomalies, LedgerVerdict } from './types.js';

const PAGE_BITS = 12;
const PAGE_SIZE = 1 << PAGE_BITS;
const SLOT_MASK = PAGE_SIZE - 1;
/** Element numbers the table takes: the workload's counter never gets near. */
const MAX_N = 0xffff_ffff;

// status byte: bits 0-2 the outcome code, bits 3-4 how many invokes named the element (0, 1, 2 = two or more).
const NONE = 0; // no such element
const SEEN = 1; // an element, no attempt completed yet
const CODE: Record<Outcome, number> = { fail: 2, info: 3, ok: 4 }; // ordered as the checker's strength
const OUTCOME: ReadonlyArray<Outcome | undefined> = [undefined, undefined, 'fail', 'info', 'ok'];
const OUTCOME_MASK = 0b111;
const INVOKE_SHIFT = 3;
const INVOKES_MASK = 0b11 << INVOKE_SHIFT;

/** In `at`/`node` columns: the real value is in the wide map (it did not fit). */
const WIDE_AT = 0xffff_ffff;
const WIDE_NODE = 0xffff;

interface Page {
  status: Uint8Array;
  /** First ack time as an offset from the recorder's `#atBase`, in ms. */
  at: Uint32Array;
  /** First ack node: 1 + index into `#nodes`; 0 = the ack named no node. */
  node: Uint16Array;
  /** Order of first appearance (shared with the fallback elements). */
  rank: Uint32Array;
}

interface FallbackElement {
  invokes: number;
  outcome?: Outcome;
  ackAt?: number;
  ackNode?: string;
  rank: number;
}

/** An invoke whose completion has not come yet. */
interface Attempt {
  value?: string;
  node?: string;
}

/**
 * One process's attempts, named as `attemptKey` names them: by opId, or by seq when the op has none (two name
 * spaces). A Map keyed by the number treats two numbers as one key exactly when their text is the same (0 and -0,
 * NaN), so no key string is built per op.
 */
interface ProcessAttempts {
  openByOp: Map<number, Attempt>;
  openBySeq: Map<number, Attempt>;
  /** Attempts that completed: one bit per id, a Set for odd numbers. */
  doneByOp: IdSet;
  doneBySeq: IdSet;
}

/** A set of numbers as `attemptKey` spells them: a paged bitmap for non-negative safe integers, else their text. */
class IdSet {
  static readonly #PAGE_BITS = 15; // 32768 ids = 4 KB a page
  static readonly #PAGE_WORDS = 2 ** IdSet.#PAGE_BITS / 32;
  readonly #pages = new Map<number, Uint32Array>();
  readonly #other = new Set<string>();
  // The last page used: a process numbers its attempts upwards, so most ids fall on it.
  #lastIndex = -1;
  #lastPage: Uint32Array | undefined;

  has(id: number): boolean {
    if (!IdSet.#bitmapped(id)) return this.#other.has(String(id));
    const page = this.#page(id, false);
    const bit = id % 2 ** IdSet.#PAGE_BITS;
    return page !== undefined && ((page[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }
  add(id: number): void {
    if (!IdSet.#bitmapped(id)) {
      this.#other.add(String(id));
      return;
    }
    const page = this.#page(id, true) as Uint32Array;
    const bit = id % 2 ** IdSet.#PAGE_BITS;
    page[bit >>> 5] = (page[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }
  delete(id: number): void {
    if (!IdSet.#bitmapped(id)) {
      this.#other.delete(String(id));
      return;
    }
    const page = this.#page(id, false);
    const bit = id % 2 ** IdSet.#PAGE_BITS;
    if (page) page[bit >>> 5] = (page[bit >>> 5] ?? 0) & ~(1 << (bit & 31));
  }
  #page(id: number, create: boolean): Uint32Array | undefined {
    const index = Math.floor(id / 2 ** IdSet.#PAGE_BITS);
    if (index === this.#lastIndex) return this.#lastPage;
    let page = this.#pages.get(index);
    if (!page) {
      if (!create) return undefined;
      page = new Uint32Array(IdSet.#PAGE_WORDS);
      this.#pages.set(index, page);
    }
    this.#lastIndex = index;
    this.#lastPage = page;
    return page;
  }
  // -0 counts as 0, as String(-0) does in attemptKey.
  static #bitmapped(id: number): boolean {
    return Number.isSafeInteger(id) && id >= 0;
  }
}

export interface RecorderOptions {
  /** The workload's element prefix: `<runTag>-<n>` elements go to the compact table. */
  runTag?: string;
}

export class LedgerRecorder {
  readonly #prefix: string | undefined;
  readonly #pages: Array<Page | undefined> = [];
  readonly #fallback = new Map<string, FallbackElement>();
  readonly #wideAt = new Map<number, number>();
  readonly #wideNode = new Map<number, string>();
  readonly #nodes: string[] = [];
  readonly #nodeIndex = new Map<string, number>();
  /** Every process's attempts: open (invoked, not completed yet) and completed. */
  readonly #attempts = new Map<string, ProcessAttempts>();
  /** The last process's attempts: a workload's ops all come from one. */
  #lastProcess: string | undefined;
  #lastAttempts: ProcessAttempts | undefined;
  #atBase: number | undefined;
  #rank = 0;
  #elements = 0;
  #anomalies = { completionsWithoutInvoke: 0, duplicateCompletions: 0, duplicateElements: 0 };

  constructor(options: RecorderOptions = {}) {
    this.#prefix = options.runTag === undefined ? undefined : `${options.runTag}-`;
  }

  /** Distinct elements seen so far. */
  get elements(): number {
    return this.#elements;
  }

  /** Bytes held by the compact table (typed arrays only; the fallback maps are empty for the workload's own ops). */
  get tableBytes(): number {
    let n = 0;
    for (const p of this.#pages)
      if (p) n += p.status.byteLength + p.at.byteLength + p.node.byteLength + p.rank.byteLength;
    return n;
  }

  /** Folds one op in; exactly what `checkLedger` does with it, in the same order (by `attemptKey`). */
  add(op: HistoryOp): void {
    if (op.f !== 'add') return;
    const p = this.#attemptsOf(op.process);
    const byOp = op.opId !== undefined;
    const id = byOp ? (op.opId as number) : op.seq;
    const open = byOp ? p.openByOp : p.openBySeq;
    const done = byOp ? p.doneByOp : p.doneBySeq;
    if (op.type === 'invoke') {
      if (op.value !== undefined) this.#invoked(op.value);
      // A second invoke under the same key replaces the attempt, completed or not (as in checkLedger).
      done.delete(id);
      open.set(id, { value: op.value, node: op.node });
      return;
    }
    const attempt = open.get(id);
    if (!attempt) {
      if (done.has(id)) {
        this.#anomalies.duplicateCompletions++;
        return;
      }
      this.#anomalies.completionsWithoutInvoke++;
    } else open.delete(id);
    done.add(id);
    const value = attempt?.value ?? op.value;
    if (value !== undefined) this.#settle(value, op.type, op.at, op.node ?? attempt?.node);
  }

  #attemptsOf(process: string): ProcessAttempts {
    if (process === this.#lastProcess && this.#lastAttempts) return this.#lastAttempts;
    let p = this.#attempts.get(process);
    if (!p) {
      p = { openByOp: new Map(), openBySeq: new Map(), doneByOp: new IdSet(), doneBySeq: new IdSet() };
      this.#attempts.set(process, p);
    }
    this.#lastProcess = process;
    this.#lastAttempts = p;
    return p;
  }

  /** The verdict for a final read; the recorder is left as it was, so more ops and another verdict may follow. */
  verdict(final: FinalRead, options: CheckOptions = {}): LedgerVerdict {
    // Invokes still open may or may not have been applied: unknown (checkLedger settles them as `info`).
    const pending = new Set<string>();
    let pendingInvokes = 0;
    for (const p of this.#attempts.values()) {
      for (const open of [p.openByOp, p.openBySeq]) {
        for (const a of open.values()) {
          if (a.value === undefined) continue;
          pendingInvokes++;
          pending.add(a.value);
        }
      }
    }
    // Which elements the final read holds: a bit per table slot, the rest by value.
    const presentBits = new Map<number, Uint8Array>();
    const presentOther = new Set<string>();
    let presentInTable = 0;
    for (const m of final.members) {
      if (this.#fallback.size > 0 && this.#fallback.has(m)) {
        presentOther.add(m);
        continue;
      }
      const n = this.#number(m);
      const page = n < 0 ? undefined : this.#pages[n >>> PAGE_BITS];
      if (n < 0 || !page || ((page.status[n & SLOT_MASK] ?? 0) & OUTCOME_MASK) === NONE) {
        presentOther.add(m);
        continue;
      }
      let bits = presentBits.get(n >>> PAGE_BITS);
      if (!bits) {
        bits = new Uint8Array(PAGE_SIZE);
        presentBits.set(n >>> PAGE_BITS, bits);
      }
      if (bits[n & SLOT_MASK] === 0) {
        bits[n & SLOT_MASK] = 1;
        presentInTable++;
      }
    }
    let unexpected = 0;
    for (const m of presentOther) if (!this.#fallback.has(m)) unexpected++;

    const anomalies: LedgerAnomalies = {
      ...this.#anomalies,
      pendingInvokes,
      foreignMembers: options.foreignMembers ?? 0,
    };
    return verdictFrom(
      this.#facts(pending, presentBits, presentOther),
      { ...final, finalCount: presentInTable + presentOther.size, unexpected },
      anomalies,
      options,
    );
  }

  *#facts(
    pending: ReadonlySet<string>,
    presentBits: ReadonlyMap<number, Uint8Array>,
    presentOther: ReadonlySet<string>,
  ): Generator<ElementFacts> {
    const withPending = (outcome: Outcome | undefined, value: string): Outcome | undefined =>
      pending.has(value) && (outcome === undefined || CODE[outcome] < CODE.info) ? 'info' : outcome;
    for (let p = 0; p < this.#pages.length; p++) {
      const page = this.#pages[p];
      if (!page) continue;
      const bits = presentBits.get(p);
      for (let slot = 0; slot < PAGE_SIZE; slot++) {
        const status = page.status[slot] ?? 0;
        const code = status & OUTCOME_MASK;
        if (code === NONE) continue;
        const n = p * PAGE_SIZE + slot;
        const value = `${this.#prefix}${n}`;
        const outcome = withPending(OUTCOME[code], value);
        const ok = code === CODE.ok;
        yield {
          value,
          outcome,
          ackAt: ok ? this.#ackAt(page, slot, n) : undefined,
          ackNode: ok ? this.#ackNode(page, slot, n) : undefined,
          present: bits !== undefined && bits[slot] === 1,
          rank: page.rank[slot] ?? 0,
        };
      }
    }
    for (const [value, e] of this.#fallback) {
      yield {
        value,
        outcome: withPending(e.outcome, value),
        ackAt: e.ackAt,
        ackNode: e.ackNode,
        present: presentOther.has(value),
        rank: e.rank,
      };
    }
  }

  #ackAt(page: Page, slot: number, n: number): number | undefined {
    const v = page.at[slot] ?? 0;
    return v === WIDE_AT ? this.#wideAt.get(n) : (this.#atBase ?? 0) + v;
  }

  #ackNode(page: Page, slot: number, n: number): string | undefined {
    const v = page.node[slot] ?? 0;
    if (v === WIDE_NODE) return this.#wideNode.get(n);
    return v === 0 ? undefined : this.#nodes[v - 1];
  }

  /** n for a canonical `<runTag>-<n>` (ASCII digits, no sign, no leading zero, at most MAX_N), else -1. */
  #number(value: string): number {
    const prefix = this.#prefix;
    if (prefix === undefined) return -1;
    const from = prefix.length;
    const digits = value.length - from;
    if (digits < 1 || digits > 10 || !value.startsWith(prefix)) return -1;
    if (digits > 1 && value.charCodeAt(from) === 0x30) return -1;
    let n = 0;
    for (let i = from; i < value.length; i++) {
      const d = value.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n <= MAX_N ? n : -1;
  }

  /**
   * Finds or creates the element (checkLedger's `record`): its table number n (its slot in the pages), or its
   * fallback entry.
   */
  #record(value: string): number | FallbackElement {
    if (this.#fallback.size > 0) {
      const f = this.#fallback.get(value);
      if (f) return f;
    }
    const n = this.#number(value);
    if (n >= 0) {
      const page = this.#pages[n >>> PAGE_BITS];
      if (page && ((page.status[n & SLOT_MASK] ?? 0) & OUTCOME_MASK) !== NONE) return n;
    }
    this.#elements++;
    const rank = this.#rank++;
    // A table page is made only next to the ones there are, so a stray huge n cannot allocate a sparse table.
    if (n >= 0 && n >>> PAGE_BITS <= this.#pages.length + 1) {
      const p = n >>> PAGE_BITS;
      let page = this.#pages[p];
      if (!page) {
        page = {
          status: new Uint8Array(PAGE_SIZE),
          at: new Uint32Array(PAGE_SIZE),
          node: new Uint16Array(PAGE_SIZE),
          rank: new Uint32Array(PAGE_SIZE),
        };
        while (this.#pages.length < p) this.#pages.push(undefined);
        this.#pages[p] = page;
      }
      const slot = n & SLOT_MASK;
      page.status[slot] = SEEN;
      page.rank[slot] = rank;
      return n;
    }
    const f: FallbackElement = { invokes: 0, rank };
    this.#fallback.set(value, f);
    return f;
  }

  #invoked(value: string): void {
    const e = this.#record(value);
    if (typeof e === 'number') {
      const page = this.#pages[e >>> PAGE_BITS] as Page;
      const slot = e & SLOT_MASK;
      const status = page.status[slot] ?? 0;
      const invokes = (status & INVOKES_MASK) >>> INVOKE_SHIFT;
      if (invokes === 1) this.#anomalies.duplicateElements++;
      if (invokes < 2) page.status[slot] = (status & ~INVOKES_MASK) | ((invokes + 1) << INVOKE_SHIFT);
    } else if (++e.invokes === 2) this.#anomalies.duplicateElements++;
  }

  /** checkLedger's `settle`: the strongest outcome wins; the first ack keeps its time and node. */
  #settle(value: string, outcome: Outcome, at: number, node: string | undefined): void {
    const e = this.#record(value);
    if (typeof e !== 'number') {
      if (e.outcome === undefined || CODE[outcome] > CODE[e.outcome]) e.outcome = outcome;
      if (outcome === 'ok' && e.ackAt === undefined) {
        e.ackAt = at;
        e.ackNode = node;
      }
      return;
    }
    const n = e; // the element's number in the table
    const page = this.#pages[n >>> PAGE_BITS] as Page;
    const slot = n & SLOT_MASK;
    const status = page.status[slot] ?? 0;
    const code = status & OUTCOME_MASK;
    if (CODE[outcome] <= code) return; // an ok is final, so its ack time and node are already set
    page.status[slot] = (status & ~OUTCOME_MASK) | CODE[outcome];
    if (outcome !== 'ok') return;
    this.#atBase ??= Number.isSafeInteger(at) ? at : undefined;
    const offset = this.#atBase === undefined ? -1 : at - this.#atBase;
    if (Number.isSafeInteger(offset) && offset >= 0 && offset < WIDE_AT) page.at[slot] = offset;
    else {
      page.at[slot] = WIDE_AT;
      this.#wideAt.set(n, at);
    }
    page.node[slot] = this.#nodeCode(node, n);
  }

  #nodeCode(node: string | undefined, n: number): number {
    if (node === undefined) return 0;
    let i = this.#nodeIndex.get(node);
    if (i === undefined) {
      if (this.#nodes.length >= WIDE_NODE - 1) {
        this.#wideNode.set(n, node);
        return WIDE_NODE;
      }
      this.#nodes.push(node);
      i = this.#nodes.length;
      this.#nodeIndex.set(node, i);
    }
    return i;
  }
}
