// One direction of a proxied connection: moves bytes from `src` to `dest` under its link's current effect.
// Fast path when the link has no rules: each read goes straight to `dest` from a reused read buffer (the socket's
// `onread` option: no allocation, no stream machinery per chunk). Otherwise a release-time queue of copies that
// holds (drop), delays and paces.

import type { Socket } from 'node:net';
import type { EffectiveLink } from './plan.js';

/** One direction of one host pair, shared by every connection on it; the Fabric updates it in place. */
export type Link = {
  readonly from: string;
  readonly to: string;
  effect: EffectiveLink;
  hasRules: boolean;
  /** Monotonic time (ms) at which the throttled link can take its next slice. */
  pacer: { nextFree: number };
};

export type FlowOwner = { reset(): void };

// Queued bytes beyond which the source is paused, like a full TCP window.
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
// Throttled links send one slice per this many ms; an idle link may burst at most PACE_IDLE_MS worth.
const PACE_SLICE_MS = 20;
const PACE_IDLE_MS = 50;

/**
 * Size of each direction's reused read buffer. Larger reads take several turns (libuv reads up to 32 times per
 * wake-up); Redis requests and replies are far smaller.
 */
export const READ_BUFFER_BYTES = 16 * 1024;

/** The `onread` option of a net.Socket: reads land in `buffer()`, then `callback(bytes, buffer)` runs. */
export type Reader = { buffer: () => Buffer; callback: (bytes: number, buf: Buffer) => boolean };

/** A chunk (or end-of-stream when `buf` is null) and the monotonic time it may leave. */
type Pending = { buf: Buffer | null; at: number };

export class Flow {
  /** Bytes read from `src`, delivered or not. */
  bytes = 0;
  private src: Socket | null = null;
  private readonly link: Link;
  private readonly owner: FlowOwner;
  private readonly clock: () => number;
  private dest: Socket | null = null;
  private fast = false;
  private readonly queue: Pending[] = [];
  private head = 0;
  private offset = 0;
  private queued = 0;
  private lastRelease = 0;
  private timer: NodeJS.Timeout | null = null;
  private waitingDrain = false;
  private pausedSrc = false;
  private srcEnded = false;
  private sinkGone = false;
  private stopped = false;
  private readBuf: Buffer | null = null;
  /** The last read's bytes are still referenced by a pending write: the next read needs a fresh buffer. */
  private readBufLent = false;

  constructor(link: Link, owner: FlowOwner, clock: () => number) {
    this.link = link;
    this.owner = owner;
    this.clock = clock;
  }

  /** Pass as the source socket's `onread` option, then call source(socket, true). */
  readonly reader: Reader = {
    buffer: () => {
      if (this.readBuf === null || this.readBufLent) {
        this.readBuf = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
        this.readBufLent = false;
      }
      return this.readBuf;
    },
    callback: (bytes, buf) => {
      this.bytes += bytes;
      if (this.fast) {
        const dest = this.dest!;
        // No copy: if the kernel took it all, the buffer is free again before the next read; otherwise the write
        // still points into it and the next read gets a new one.
        const ok = dest.write(buf.subarray(0, bytes));
        if (dest.writableLength > 0) this.readBufLent = true;
        if (!ok) this.waitForDrain();
        return true;
      }
      // The buffer is reused for the next read: queue a copy.
      this.slowChunk(Buffer.from(buf.subarray(0, bytes)));
      return true;
    },
  };

  /** Starts reading `src`: through `reader` when the socket was created with it, else through 'data' events. */
  source(src: Socket, viaReader: boolean): void {
    this.src = src;
    if (!viaReader) src.on('data', this.onData);
    src.on('end', this.onEnd);
  }

  /** True while bytes wait behind a dropped link or a not-yet-opened destination. */
  get held(): boolean {
    return this.head < this.queue.length && (this.dest === null || this.link.effect.cut === 'drop');
  }

  attach(dest: Socket): void {
    this.dest = dest;
    dest.on('drain', this.onDrain);
    this.refresh();
  }

  /** Re-reads the link after faults changed: switches path and releases what may now leave. */
  refresh(): void {
    this.fast = this.canGoFast();
    if (this.fast) this.maybeResume();
    else this.pump();
  }

  /** The destination is gone: whatever is queued or still arrives is discarded. */
  sinkClosed(): void {
    this.sinkGone = true;
    this.fast = false;
    this.waitingDrain = false;
    this.dropQueue();
    this.maybeResume();
  }

  /** The source closed without (or after) a FIN: forward end-of-stream once queued bytes are out. */
  srcClosed(): void {
    if (!this.srcEnded) this.onEnd();
  }

  stop(): void {
    this.stopped = true;
    this.fast = false;
    this.dropQueue();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.bytes += chunk.length;
    if (this.fast) {
      if (!this.dest!.write(chunk)) this.waitForDrain();
      return;
    }
    this.slowChunk(chunk);
  };

  private slowChunk(chunk: Buffer): void {
    if (this.sinkGone || this.stopped) return;
    if (this.link.effect.cut === 'reject') {
      this.owner.reset();
      return;
    }
    this.push(chunk);
    if (this.queued > HIGH_WATER && !this.pausedSrc) {
      this.pausedSrc = true;
      this.src?.pause();
    }
    this.pump();
  }

  private readonly onEnd = (): void => {
    if (this.srcEnded) return;
    this.srcEnded = true;
    this.fast = false;
    if (this.sinkGone || this.stopped) return;
    this.push(null);
    this.pump();
  };

  private readonly onDrain = (): void => {
    this.waitingDrain = false;
    if (this.fast) this.maybeResume();
    else this.pump();
  };

  private readonly onTimer = (): void => {
    this.timer = null;
    this.pump();
  };

  private waitForDrain(): void {
    this.waitingDrain = true;
    this.pausedSrc = true;
    this.src?.pause();
  }

  private push(buf: Buffer | null): void {
    let at = this.clock();
    const delay = this.link.effect.delay;
    if (delay) at += Math.max(0, delay.latencyMs + (Math.random() * 2 - 1) * delay.jitterMs);
    // Never reorder: a chunk leaves no earlier than the one before it.
    if (at < this.lastRelease) at = this.lastRelease;
    this.lastRelease = at;
    this.queue.push({ buf, at });
    if (buf) this.queued += buf.length;
  }

  private pump(): void {
    if (this.stopped || this.sinkGone || this.dest === null || this.waitingDrain) return;
    const effect = this.link.effect;
    if (effect.cut !== undefined) {
      this.clearTimer();
      return;
    }
    const dest = this.dest;
    const now = this.clock();
    while (this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      if (item.at > now) {
        this.schedule(item.at - now);
        break;
      }
      if (item.buf === null) {
        this.head++;
        dest.end();
        continue;
      }
      let piece = this.offset === 0 ? item.buf : item.buf.subarray(this.offset);
      const rate = effect.throttleBytesPerSec;
      if (rate !== undefined) {
        const pacer = this.link.pacer;
        if (pacer.nextFree > now + 1) {
          this.schedule(pacer.nextFree - now);
          break;
        }
        const slice = Math.max(1, Math.floor((rate * PACE_SLICE_MS) / 1000));
        if (piece.length > slice) piece = piece.subarray(0, slice);
        const base = pacer.nextFree < now - PACE_IDLE_MS ? now : pacer.nextFree;
        pacer.nextFree = base + (piece.length * 1000) / rate;
      }
      this.offset += piece.length;
      if (this.offset >= item.buf.length) {
        this.head++;
        this.offset = 0;
      }
      this.queued -= piece.length;
      if (!dest.write(piece)) {
        this.waitingDrain = true;
        break;
      }
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.clearTimer();
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.fast = this.canGoFast();
    this.maybeResume();
  }

  private canGoFast(): boolean {
    return (
      !this.link.hasRules &&
      this.dest !== null &&
      !this.srcEnded &&
      !this.sinkGone &&
      !this.stopped &&
      this.head === this.queue.length
    );
  }

  private maybeResume(): void {
    if (this.pausedSrc && !this.waitingDrain && this.queued < LOW_WATER) {
      this.pausedSrc = false;
      this.src?.resume();
    }
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(this.onTimer, Math.max(1, Math.ceil(delayMs)));
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private dropQueue(): void {
    this.clearTimer();
    this.queue.length = 0;
    this.head = 0;
    this.offset = 0;
    this.queued = 0;
  }
}
