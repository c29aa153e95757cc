// Follows each Sentinel's notifications.log, written by the lab's own notification script, line by line: the local
// deployment's Notifications capability.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Notifications } from '../deployment.js';

export class NotificationTail implements Notifications {
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private sink: ((sentinelId: string, line: string) => void) | undefined;
  private readonly files: ReadonlyArray<{ sentinelId: string; path: string }>;
  private readonly intervalMs: number;

  constructor(files: ReadonlyArray<{ sentinelId: string; path: string }>, opts: { intervalMs?: number } = {}) {
    this.files = files;
    this.intervalMs = opts.intervalMs ?? 500;
  }

  /** Follows every file from its start (a reset writes fresh ones). */
  start(sink: (sentinelId: string, line: string) => void): void {
    this.sink = sink;
    this.offsets.clear();
    this.timer ??= setInterval(() => this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sink = undefined;
  }

  /** Reads what was appended since the last poll. */
  poll(): void {
    const sink = this.sink;
    if (!sink) return;
    for (const f of this.files) {
      let size: number;
      try {
        size = statSync(f.path).size;
      } catch {
        continue;
      }
      const from = this.offsets.get(f.path) ?? 0;
      if (size <= from) continue;
      const buf = Buffer.alloc(size - from);
      const fd = openSync(f.path, 'r');
      try {
        readSync(fd, buf, 0, buf.length, from);
      } finally {
        closeSync(fd);
      }
      const text = buf.toString('utf8');
      const lastNl = text.lastIndexOf('\n');
      if (lastNl < 0) continue;
      this.offsets.set(f.path, from + Buffer.byteLength(text.slice(0, lastNl + 1)));
      for (const line of text.slice(0, lastNl).split('\n')) if (line) sink(f.sentinelId, line);
    }
  }
}
