// A run's shareable artefacts: the full history as JSON Lines and a short Markdown report (pure rendering),
// plus the functions that write both, each via a temp file, never over an existing file. The history comes as ops in
// memory, as one history file (ledger/history-file.ts, already in the export's format) that is copied, or as several
// files (every workload's, and the run's own record of faults, client commands, actions and Sentinel events) merged
// by seq while they are streamed: never read into memory.
import { once } from 'node:events';
import { constants, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { readHistoryFile } from './history-file.js';
import type { HistoryOp, LedgerCounts, LedgerVerdict, LossWindow } from './types.js';

export interface ReportFault {
  at: number;
  description: string;
  healedAt?: number;
  /** The lab's sequence numbers of the fault and of its heal: the timeline's order (else their times). */
  seq?: number;
  healedSeq?: number;
}

export interface ReportSentinelEvent {
  at: number;
  seq?: number;
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
  /** Which cluster it happened on when the run reset the cluster, e.g. `cluster 1 of 2, before the reset at +40.1 s`. */
  cluster?: string;
}

/** A cluster reset: when, and the lab's sequence number at that moment (the timeline's order). */
export type ReportReset = number | { at: number; seq?: number };

/** One workload of the run, its verdict (once it was stopped and checked) and its client operations. */
export interface ReportWorkload {
  startedAt: number;
  client?: string;
  ratePerSec?: number;
  verdict?: LedgerVerdict;
  counts?: LedgerCounts;
  /** Why it has no verdict (still running; the final check failed). */
  note?: string;
  /** The seqs of its start and of its final read, when known (the timeline's order). */
  startSeq?: number;
  finalReadSeq?: number;
}

export interface ReportInput {
  title: string;
  /** One or a few lines, e.g. "5 Redis (redis-1 master) · 3 Sentinels, quorum 2 · min-replicas-to-write 0". */
  topologySummary: string;
  faults: readonly ReportFault[];
  sentinelEvents: readonly ReportSentinelEvent[];
  /** When the cluster was reset (fresh configs and Sentinel state): a line in the timeline, never a fault. */
  resets?: readonly ReportReset[];
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
  /**
   * Every workload of the run, oldest first, each with its own verdict: when given, the report has a ledger section
   * per workload and `verdict`, `counts`, `workloadStartedAt` and `noVerdictNote` are not used.
   */
  workloads?: readonly ReportWorkload[];
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

/** As pairFaults, each with the seq of its fault and of its heal (the timeline's order). */
export function pairFaultLines(ops: readonly HistoryOp[]): ReportFault[] {
  return ops
    .filter((h) => h.f === 'fault')
    .map((h) => {
      const heal = ops.find((x) => x.f === 'heal' && x.value === h.value && x.seq > h.seq);
      return {
        at: h.at,
        seq: h.seq,
        description: h.value ?? 'fault',
        ...(heal ? { healedAt: heal.at, healedSeq: heal.seq } : {}),
      };
    });
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

/** The run's workloads: the list given, else the one the legacy fields describe (none without a verdict or note). */
function reportWorkloads(input: RunReportInput): ReportWorkload[] {
  if (input.workloads) return [...input.workloads];
  const { verdict, counts } = input;
  if (verdict && counts) {
    return [{ startedAt: input.workloadStartedAt ?? input.startedAt, verdict, counts }];
  }
  if (input.noVerdictNote) {
    return [{ startedAt: input.workloadStartedAt ?? input.startedAt, note: input.noVerdictNote }];
  }
  return [];
}

interface TimelineRow {
  at: number;
  seq?: number;
  text: string;
}

/** The timeline's order: by the lab's sequence number when both rows have one (events, faults, resets), else by time. */
function byOrder(a: TimelineRow, b: TimelineRow): number {
  if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq;
  return a.at - b.at;
}

export function renderReport(input: RunReportInput): string {
  const { startedAt } = input;
  const workloads = reportWorkloads(input);
  const several = workloads.length > 1;
  const lines: string[] = [];
  lines.push(`# ${input.title}`, '');
  lines.push(input.topologySummary.trim(), '');
  let started = '';
  if (several) {
    started = `; ${workloads.length} workloads started ${workloads.map((w) => relTime(w.startedAt, startedAt)).join(', ')}`;
  } else {
    const w = workloads[0];
    const at = input.workloads ? w?.startedAt : input.workloadStartedAt;
    if (at !== undefined) started += `; workload started ${relTime(at, startedAt)}`;
    if (w?.verdict) started += `; final read on ${w.verdict.finalMaster} ${relTime(w.verdict.at, startedAt)}`;
  }
  lines.push(`Run started ${new Date(startedAt).toISOString()}${started}.`);
  lines.push('', 'Times are seconds since the run started, as the full-screen lab shows them.', '');

  lines.push('## Timeline', '');
  const timeline: TimelineRow[] = [];
  for (const f of input.faults) {
    timeline.push({ at: f.at, seq: f.seq, text: `fault: ${f.description}` });
    if (f.healedAt !== undefined) timeline.push({ at: f.healedAt, seq: f.healedSeq, text: `healed: ${f.description}` });
  }
  for (const r of input.resets ?? []) {
    const { at, seq } = typeof r === 'number' ? { at: r, seq: undefined } : r;
    timeline.push({ at, seq, text: 'cluster reset: fresh configs and Sentinel state' });
  }
  for (const e of input.sentinelEvents) {
    timeline.push({ at: e.at, seq: e.seq, text: `${e.sentinelId} \`${e.channel}\` ${e.payload}` });
  }
  workloads.forEach((w, i) => {
    const which = several ? `workload ${i + 1}: ` : '';
    if (several) timeline.push({ at: w.startedAt, seq: w.startSeq, text: `workload ${i + 1} started` });
    const v = w.verdict;
    if (v) {
      timeline.push({
        at: v.at,
        seq: w.finalReadSeq,
        text: `${which}final read on ${v.finalMaster}: ${v.finalCount} members`,
      });
    }
  });
  // Stable: rows of the same order keep the order they were listed in.
  timeline.sort(byOrder);
  lines.push('| time | what |', '|---:|---|');
  for (const t of timeline) lines.push(`| ${relTime(t.at, startedAt)} | ${cell(t.text)} |`);
  lines.push('');

  if (input.failovers?.length) {
    lines.push('## Failovers', '');
    for (const f of input.failovers) {
      const where = f.cluster ? `, ${f.cluster}` : '';
      lines.push(`### ${f.title} (${relTime(f.at, startedAt)}${where})`, '', '```');
      lines.push(...f.lines, '```', '');
    }
  }

  workloads.forEach((w, i) => {
    const heading = several
      ? `workload ${i + 1} of ${workloads.length} (${[
          w.client ? `client ${w.client}` : '',
          w.ratePerSec !== undefined ? `${w.ratePerSec} writes/s` : '',
          `started ${relTime(w.startedAt, startedAt)}`,
        ]
          .filter(Boolean)
          .join(', ')})`
      : '';
    lines.push(...ledgerSections(input, w, heading));
  });
  return lines.join('\n');
}

/** The ledger sections of one workload: its verdict, loss windows and interpretation (or why it has no verdict). */
function ledgerSections(input: RunReportInput, w: ReportWorkload, which: string): string[] {
  const lines: string[] = [];
  const { verdict: v, counts: c } = w;
  const { startedAt } = input;
  const suffix = which ? `: ${which}` : '';
  // The ledger sections exist only when a workload ran and was checked.
  if (!v || !c) {
    if (w.note) lines.push(`## Ledger verdict${suffix}`, '', w.note, '');
    return lines;
  }

  lines.push(`## Ledger verdict${suffix}`, '');
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
    lines.push(`## Loss windows${suffix}`, '');
    lines.push('| acknowledged by | first ack | last ack | lost |', '|---|---:|---:|---:|');
    for (const x of v.lossWindows) {
      lines.push(`| ${x.node} | ${relTime(x.firstAt, startedAt)} | ${relTime(x.lastAt, startedAt)} | ${x.count} |`);
    }
    if (v.lostSample.length > 0)
      lines.push('', `Sample of lost elements: ${v.lostSample.map((s) => `\`${s}\``).join(', ')}`);
    lines.push('');
  }

  lines.push(`## Interpretation${suffix}`, '');
  lines.push(interpret({ ...input, verdict: v, counts: c }));
  lines.push('');
  return lines;
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
 * A line of a run's history file: a client or workload op, a fault or heal (HistoryOp), or one of the run's own
 * records: a lab action (`process: 'lab'`, `f: 'action'`, invoke then ok/fail), a cluster reset (`f: 'cluster-reset'`)
 * or a Sentinel event (`process: <sentinel id>`, `f: 'event'`, `value: '<channel> <payload>'`).
 */
export type HistoryLine =
  | HistoryOp
  | {
      seq: number;
      at: number;
      process: string;
      type: 'invoke' | 'ok' | 'fail' | 'info';
      f: 'action' | 'cluster-reset' | 'event';
      value?: string;
      node?: string;
      error?: string;
      opId?: number;
      /** For `f: 'action'`: the action kind (src/actions/catalog.ts). */
      action?: string;
    };

/** Several history files (each in seq order) and a few lines in memory, merged by seq when exported. */
export interface MergedHistory {
  files: ReadonlyArray<{ file: string; keep?: (line: HistoryLine) => boolean }>;
  lines?: readonly HistoryLine[];
}

/** The lines of one history file in order, parsed (a last line cut short is left out; see readHistoryFile). */
async function* fileLines(file: string): AsyncGenerator<HistoryLine> {
  yield* readHistoryFile(file) as AsyncGenerator<HistoryLine>;
}

/**
 * Writes the lines of every source into `out`, merged by seq (each source is read in its own order, one line of each
 * in memory at a time), and hands each line written to `seen`. Returns how many lines it wrote.
 */
export async function mergeHistory(
  out: string,
  history: MergedHistory,
  seen?: (line: HistoryLine) => void,
): Promise<number> {
  type Head = { line: HistoryLine; it: AsyncIterator<HistoryLine>; keep?: (line: HistoryLine) => boolean };
  const heads: Head[] = [];
  const iterators: Array<AsyncIterator<HistoryLine>> = [];
  const advance = async (h: Omit<Head, 'line'>): Promise<void> => {
    for (;;) {
      const r = await h.it.next();
      if (r.done) return;
      if (h.keep && !h.keep(r.value)) continue;
      heads.push({ ...h, line: r.value });
      return;
    }
  };
  const stream = createWriteStream(out, { flags: 'wx', mode: 0o600 });
  // A write error is kept by the stream and reported by `finished` (or by a wait for 'drain'); never unhandled.
  stream.on('error', () => undefined);
  let written = 0;
  try {
    for (const f of history.files) {
      const it = fileLines(f.file)[Symbol.asyncIterator]();
      iterators.push(it);
      await advance({ it, keep: f.keep });
    }
    const memory = (history.lines ?? [])[Symbol.iterator]();
    const memoryIt: AsyncIterator<HistoryLine> = { next: async () => memory.next() };
    await advance({ it: memoryIt });
    while (heads.length > 0) {
      let i = 0;
      for (let j = 1; j < heads.length; j++) if ((heads[j]?.line.seq ?? 0) < (heads[i]?.line.seq ?? 0)) i = j;
      const [h] = heads.splice(i, 1);
      if (!h) break;
      seen?.(h.line);
      if (!stream.write(`${JSON.stringify(h.line)}\n`)) await once(stream, 'drain');
      written++;
      await advance(h);
    }
    stream.end();
    await finished(stream);
  } catch (err) {
    stream.destroy();
    throw err;
  } finally {
    for (const it of iterators) await it.return?.();
  }
  return written;
}

/**
 * Writes `<baseName>.jsonl` and `<baseName>.md` into the directory `where` (created if needed; relative to the
 * current directory), each via a temp file. An existing file is never replaced: when either name is taken the pair
 * is written as `<baseName>-2`, `-3`, …. Returns their absolute paths (what the status line shows).
 */
export async function writeRunExport(where: string, data: RunExportData): Promise<{ jsonl: string; markdown: string }> {
  const history = data.history;
  return publishExport(where, exportBaseName(data), async (tmp) => {
    await ('file' in history ? copyFile(history.file, tmp) : writeFile(tmp, historyToJsonl(history), 'utf8'));
    return renderReport(data);
  });
}

/** `<baseName>` of an export: given, else `run-<ISO time of startedAt>`. */
function exportBaseName(data: { baseName?: string; startedAt: number }): string {
  return data.baseName ?? `run-${new Date(data.startedAt).toISOString().replace(/[:.]/g, '-')}`;
}

/**
 * Writes the history with `writeHistory` into a temp file in `where` (created if needed), which returns the report's
 * text; then puts both in place under the first free name `<base>`, `<base>-2`, … (hard links, which fail rather than
 * replace a file: never over an existing export, even one written at the same moment). Removes its temp files.
 */
export async function publishExport(
  where: string,
  base: string,
  writeHistory: (tmp: string) => Promise<string>,
): Promise<{ jsonl: string; markdown: string }> {
  const dir = resolve(where);
  await mkdir(dir, { recursive: true });
  const stamp = `${process.pid}.${Date.now()}`;
  const tmpJsonl = join(dir, `.${base}.jsonl.${stamp}.tmp`);
  const tmpMd = join(dir, `.${base}.md.${stamp}.tmp`);
  try {
    const report = await writeHistory(tmpJsonl);
    await writeFile(tmpMd, report, { encoding: 'utf8', flag: 'wx', mode: 0o644 });
    for (let n = 1; n <= 1000; n++) {
      const name = n === 1 ? base : `${base}-${n}`;
      const jsonl = join(dir, `${name}.jsonl`);
      const markdown = join(dir, `${name}.md`);
      if (!(await linkNew(tmpJsonl, jsonl))) continue;
      if (!(await linkNew(tmpMd, markdown))) {
        await unlink(jsonl);
        continue;
      }
      return { jsonl, markdown };
    }
    throw new Error(`${join(dir, base)}.jsonl and 999 more names like it are taken: nothing was exported`);
  } finally {
    await rm(tmpJsonl, { force: true });
    await rm(tmpMd, { force: true });
  }
}

/** Links (or, where the file system has no hard links, copies) `from` as `to`; false when `to` exists (left as is). */
async function linkNew(from: string, to: string): Promise<boolean> {
  try {
    try {
      await link(from, to);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
      await copyFile(from, to, constants.COPYFILE_EXCL);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}
