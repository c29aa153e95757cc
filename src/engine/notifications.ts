// Follows each Sentinel's notifications.log, written by the lab's own notification script, line by line.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { LabEmitter } from '../cluster/events.js';

export class NotificationTail {
  private readonly offsets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly files: ReadonlyArray<{ sentinelId: string; path: string }>;
  private readonly emitter: LabEmitter;

  private readonly nextSeq: () => number;

  constructor(files: ReadonlyArray<{ sentinelId: string; path: string }>, emitter: LabEmitter, nextSeq: () => number) {
    this.files = files;
    this.emitter = emitter;
    this.nextSeq = nextSeq;
  }

  start(intervalMs = 500): void {
    this.timer ??= setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  poll(): void {
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
      for (const line of text.slice(0, lastNl).split('\n')) {
        if (line)
          this.emitter.emit('notification', { seq: this.nextSeq(), sentinelId: f.sentinelId, at: Date.now(), line });
      }
    }
  }
}
