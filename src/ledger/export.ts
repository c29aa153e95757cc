// A run's shareable artefacts: the full history as JSON Lines and a short Markdown report (pure rendering),
// plus one small function that writes both atomically. The history comes as ops in memory or as the workload's
// history file (ledger/history-file.ts, already in the export's format), which is copied, never read into memory.
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readHistoryFile } from './history-file.js';
import type { HistoryOp, LedgerCounts, LedgerVerdict, LossWindow } from './types.js';

export interface ReportFault {
  at: number;
  description: string;
  healedAt?: number;
}

export interface ReportSentinelEvent {
  at: number;
  sentinelId: string;
  channel: string;
  payload: string;
}

/** A failover as the lab's timeline recorded it, already in words (cluster/observe/failover-timeline.ts). */
export interface ReportFailover {
  at: number;
  title: string;
  /** One line per phase, e.g. `+odown  1.20 s  (down-after 1.00 s)`. */
  lines: readonly string[];
}

export interface ReportInput {
  title: string;
  /** One or a few lines, e.g. "5 Redis (redis-1 master) · 3 Sentinels, quorum 2 · min-replicas-to-write 0". */
  topologySummary: string;
  faults: readonly ReportFault[];
  sentinelEvents: readonly ReportSentinelEvent[];
  /** When the cluster was reset (fresh configs and Sentinel state): a line in the timeline, never a fault. */
  resets?: readonly number[];
  /** The failovers of the run, oldest first (none: no section). */
  failovers?: readonly ReportFailover[];
  verdict: LedgerVerdict;
  counts: LedgerCounts;
  /** When the run started (the lab, or its attachment to a deployment): origin of every relative time in the report. */
  startedAt: number;
  /** When the workload whose verdict this is started, if one ran. */
  workloadStartedAt?: number;
}

/** A history in memory, or a JSON Lines history file written by `HistoryFile`. */
export type HistorySource = readonly HistoryOp[] | { file: string };

/**
 * A report of any run: the ledger verdict and its counts only when a workload ran and was stopped (without them the
 * report has no ledger sections), e.g. a lesson that never started the workload.
 */
export type RunReportInput = Omit<ReportInput, 'verdict' | 'counts'> & {
  verdict?: LedgerVerdict;
  counts?: LedgerCounts;
  /** Why there is no verdict although writes were made (a workload still running), said where the ledger would be. */
  noVerdictNote?: string;
};

export interface RunExportData extends RunReportInput {
  history: HistorySource;
  /** File name without extension; default `run-<ISO time of startedAt>`. */
  baseName?: string;
}

/** One JSON object per line, newline-terminated (empty string for an empty history). */
export function historyToJsonl(ops: readonly HistoryOp[]): string {
  let out = '';
  for (const op of ops) out += `${JSON.stringify(op)}\n`;
  return out;
}

/** The fault and heal ops of a history, in order (a file is streamed; only these ops are kept). */
export async function faultOps(source: HistorySource): Promise<HistoryOp[]> {
  const out: HistoryOp[] = [];
  const ops: Iterable<HistoryOp> | AsyncIterable<HistoryOp> = 'file' in source ? readHistoryFile(source.file) : source;
  for await (const op of ops) if (op.f === 'fault' || op.f === 'heal') out.push(op);
  return out;
}

/** Each fault with the time of the first later heal of the same fault (ops in history order). */
export function pairFaults(ops: readonly HistoryOp[]): ReportFault[] {
  return ops
    .filter((h) => h.f === 'fault')
    .map((h) => ({
      at: h.at,
      description: h.value ?? 'fault',
      healedAt: ops.find((x) => x.f === 'heal' && x.value === h.value && x.at >= h.at)?.at,
    }));
}

/** `+1.2 s` relative to `origin` (one decimal; `−` before the origin). */
export function relTime(at: number, origin: number): string {
  const s = (at - origin) / 1000;
  return `${s < 0 ? '−' : '+'}${Math.abs(s).toFixed(1)} s`;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderReport(input: RunReportInput): string {
  const { verdict: v, counts: c, startedAt } = input;
  const lines: string[] = [];
  lines.push(`# ${input.title}`, '');
  lines.push(input.topologySummary.trim(), '');
  const workload = input.workloadStartedAt;
  lines.push(
    `Run started ${new Date(startedAt).toISOString()}` +
      (workload !== undefined ? `; workload started ${relTime(workload, startedAt)}` : '') +
      (v ? `; final read on ${v.finalMaster} ${relTime(v.at, startedAt)}` : '') +
      '.',
  );
  lines.push('', 'Times are seconds since the run started, as the full-screen lab shows them.', '');

  lines.push('## Timeline', '');
  const timeline: Array<{ at: number; text: string }> = [];
  for (const f of input.faults) {
    timeline.push({ at: f.at, text: `fault: ${f.description}` });
    if (f.healedAt !== undefined) timeline.push({ at: f.healedAt, text: `healed: ${f.description}` });
  }
  for (const at of input.resets ?? []) timeline.push({ at, text: 'cluster reset: fresh configs and Sentinel state' });
  for (const e of input.sentinelEvents) {
    timeline.push({ at: e.at, text: `${e.sentinelId} \`${e.channel}\` ${e.payload}` });
  }
  if (v) timeline.push({ at: v.at, text: `final read on ${v.finalMaster}: ${v.finalCount} members` });
  timeline.sort((a, b) => a.at - b.at);
  lines.push('| time | what |', '|---:|---|');
  for (const t of timeline) lines.push(`| ${relTime(t.at, startedAt)} | ${cell(t.text)} |`);
  lines.push('');

  if (input.failovers?.length) {
    lines.push('## Failovers', '');
    for (const f of input.failovers) {
      lines.push(`### ${f.title} (${relTime(f.at, startedAt)})`, '', '```');
      lines.push(...f.lines, '```', '');
    }
  }

  // The ledger sections exist only when a workload ran and was checked.
  if (!v || !c) {
    if (input.noVerdictNote) lines.push('## Ledger verdict', '', input.noVerdictNote, '');
    return lines.join('\n');
  }

  lines.push('## Ledger verdict', '');
  lines.push('| writes | count |', '|---|---:|');
  lines.push(`| acknowledged | ${v.acknowledged} |`);
  lines.push(`| acknowledged, survived | ${v.survived} |`);
  lines.push(`| **acknowledged, LOST** | **${v.lost}** (${pct(v.lossRate)}) |`);
  lines.push(`| failed, absent (refused, as promised) | ${v.failedAbsent} |`);
  lines.push(`| failed, present | ${v.failedPresent} |`);
  lines.push(`| unknown outcome, present | ${v.unknownPresent} |`);
  lines.push(`| unknown outcome, absent | ${v.unknownAbsent} |`);
  lines.push(`| present but never written | ${v.unexpected} |`);
  lines.push('');
  const errors = Object.entries(c.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  lines.push(
    `Client operations: ${c.invoked} invoked, ${c.ok} ok, ${c.failed} failed, ${c.unknown} unknown` +
      (errors ? ` (errors: ${errors}).` : '.'),
  );
  lines.push(`Verdict: **${v.valid ? 'valid' : 'INVALID'}** (valid means nothing lost and nothing unexpected).`);
  const notes = anomalyNotes(v);
  if (notes) lines.push('', `History notes: ${notes}.`);
  lines.push('');

  if (v.lossWindows.length > 0) {
    lines.push('## Loss windows', '');
    lines.push('| acknowledged by | first ack | last ack | lost |', '|---|---:|---:|---:|');
    for (const w of v.lossWindows) {
      lines.push(`| ${w.node} | ${relTime(w.firstAt, startedAt)} | ${relTime(w.lastAt, startedAt)} | ${w.count} |`);
    }
    if (v.lostSample.length > 0)
      lines.push('', `Sample of lost elements: ${v.lostSample.map((s) => `\`${s}\``).join(', ')}`);
    lines.push('');
  }

  lines.push('## Interpretation', '');
  lines.push(interpret(input));
  lines.push('');
  return lines.join('\n');
}

function anomalyNotes(v: LedgerVerdict): string {
  const a = v.anomalies;
  if (!a) return '';
  const parts: string[] = [];
  if (a.completionsWithoutInvoke) parts.push(`${a.completionsWithoutInvoke} completions without an invoke`);
  if (a.duplicateCompletions) parts.push(`${a.duplicateCompletions} duplicate completions ignored`);
  if (a.duplicateElements) parts.push(`${a.duplicateElements} elements written more than once`);
  if (a.pendingInvokes) parts.push(`${a.pendingInvokes} writes still in flight at the end (counted as unknown)`);
  if (a.foreignMembers) parts.push(`${a.foreignMembers} members from other runs ignored`);
  return parts.join('; ');
}

/** The reference point for loss times: the last fault that began at or before the first lost ack. */
function lossOrigin(input: RunReportInput, firstLostAt: number): { at: number; label: string } {
  const before = input.faults.filter((f) => f.at <= firstLostAt).sort((a, b) => b.at - a.at)[0];
  return before
    ? { at: before.at, label: `after "${before.description}" began` }
    : { at: input.startedAt, label: 'after the run started' };
}

/** One or two plain sentences: how much was lost, by whom and when, plus what refusals and unknowns mean. */
export function interpret(input: RunReportInput): string {
  const v = input.verdict;
  const out: string[] = [];
  if (!v) return '';
  if (v.acknowledged === 0) {
    out.push('No write was acknowledged, so none could be lost.');
  } else if (v.lost === 0) {
    out.push(`All ${v.acknowledged} acknowledged writes survived (0 lost).`);
  } else {
    const windows = v.lossWindows;
    const first = Math.min(...windows.map((w) => w.firstAt));
    const last = Math.max(...windows.map((w) => w.lastAt));
    const origin = lossOrigin(input, first);
    const span = `between ${relTime(first, origin.at)} and ${relTime(last, origin.at)} ${origin.label}`;
    const byNode = nodeTotals(windows);
    const who =
      byNode.length === 1
        ? `all were acknowledged by ${byNode[0]?.node} ${span}`
        : `they were acknowledged by ${byNode.map((b) => `${b.node} (${b.count})`).join(', ')} ${span}`;
    out.push(`${v.lost} of ${v.acknowledged} acknowledged writes (${pct(v.lossRate)}) were lost; ${who}.`);
  }
  const refused = v.failedAbsent + v.failedPresent;
  if (refused > 0) {
    const top = Object.entries(input.counts?.errors ?? {}).sort((a, b) => b[1] - a[1])[0];
    out.push(
      `${refused} writes were refused${top ? ` (most common error: ${top[0]})` : ''}: the client was told, so they are not losses.`,
    );
  }
  const unknown = v.unknownPresent + v.unknownAbsent;
  if (unknown > 0) {
    out.push(
      `${unknown} writes had an unknown outcome (timeout or lost connection); ${v.unknownPresent} of them are present.`,
    );
  }
  if (v.failedPresent > 0) out.push(`${v.failedPresent} writes reported as failed are present anyway.`);
  if (v.unexpected > 0)
    out.push(`${v.unexpected} members were never written by this run: a foreign writer or a lab bug.`);
  return out.join(' ');
}

function nodeTotals(windows: readonly LossWindow[]): Array<{ node: string; count: number }> {
  const totals = new Map<string, number>();
  for (const w of windows) totals.set(w.node, (totals.get(w.node) ?? 0) + w.count);
  return [...totals].map(([node, count]) => ({ node, count })).sort((a, b) => b.count - a.count);
}

/**
 * Writes `<baseName>.jsonl` and `<baseName>.md` into the directory `where` (created if needed; relative to the
 * current directory), each via a temp file + rename. Returns their absolute paths (what the status line shows).
 */
export async function writeRunExport(where: string, data: RunExportData): Promise<{ jsonl: string; markdown: string }> {
  const dir = resolve(where);
  await mkdir(dir, { recursive: true });
  const base = data.baseName ?? `run-${new Date(data.startedAt).toISOString().replace(/[:.]/g, '-')}`;
  const jsonl = join(dir, `${base}.jsonl`);
  const markdown = join(dir, `${base}.md`);
  const history = data.history;
  await writeAtomic(jsonl, (tmp) =>
    'file' in history ? copyFile(history.file, tmp) : writeFile(tmp, historyToJsonl(history), 'utf8'),
  );
  await writeAtomic(markdown, (tmp) => writeFile(tmp, renderReport(data), 'utf8'));
  return { jsonl, markdown };
}

async function writeAtomic(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await write(tmp);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
