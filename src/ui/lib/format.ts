// Small text formatters shared by panes: symbols that carry meaning without colour, sizes, times, sparklines.
import type { ProcessState } from '../../cluster/events.js';

/** Symbol + word for a process state; the word keeps it readable under NO_COLOR. */
export const PROCESS_SYMBOL: Record<ProcessState, string> = {
  starting: '◌ starting',
  running: '● running',
  frozen: '⏸ frozen',
  stopping: '◍ stopping',
  stopped: '■ stopped',
  exited: '✗ exited',
};

export function roleTag(role: 'master' | 'replica' | 'sentinel' | undefined): string {
  if (role === 'master') return '[M]';
  if (role === 'replica') return '[R]';
  if (role === 'sentinel') return '[S]';
  return '[?]';
}

/** `14 B`, `152.6 KB`, `3.4 MB`: at most 8 columns (a unit switches before its figure would round to 1000.0). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (v >= 999.95 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Seconds since the run started, e.g. `+12.3s` (static text: no clock needed to redraw it). */
export function sinceStart(at: number, startedAt: number): string {
  const s = Math.max(0, (at - startedAt) / 1000);
  if (s < 100) return `+${s.toFixed(1)}s`;
  if (s < 3600) return `+${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `+${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` samples as bars scaled to the largest one shown (at least `floor`, so noise stays flat). */
export function sparkline(samples: readonly number[], width: number, floor = 0): string {
  const shown = samples.slice(-width);
  const max = Math.max(floor, ...shown);
  return shown
    .map((v) => (max <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1)))]))
    .join('');
}

export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The export's status line: both files named once ("<dir>/<name>.md and .jsonl" when they share a directory and a
 * name), fitted to `width` by cutting the middle of the directory, so the file name and the directory's end stay.
 */
export function exportedText(paths: { markdown: string; jsonl: string }, width: number): string {
  const md = paths.markdown;
  const stem = md.replace(/\.md$/, '');
  const both = paths.jsonl === `${stem}.jsonl` ? `${md} and .jsonl` : `${md} and ${paths.jsonl}`;
  const text = `wrote ${both}`;
  const slash = md.lastIndexOf('/');
  if (text.length <= width || slash <= 0 || paths.jsonl !== `${stem}.jsonl`) return text;
  const dir = md.slice(0, slash);
  const rest = text.length - dir.length;
  const room = width - rest - 1;
  if (room < 8) return text;
  const head = Math.ceil(room / 3);
  return `wrote ${dir.slice(0, head)}…${dir.slice(dir.length - (room - head))}${both.slice(dir.length)}`;
}

/** `sentinel-2` -> `s2`, for compact "which Sentinels" lists. */
export function shortSentinel(id: string): string {
  const m = /^sentinel-(\d+)$/.exec(id);
  return m ? `s${m[1]}` : id;
}
