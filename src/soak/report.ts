// Human-readable lines for the soak's records (scripts/soak.ts prints them; --json prints the records instead).
import type { RoundRecord, SoakRecord, SoakSummary } from './runner.js';

function secs(ms: number | undefined): string {
  return ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

export function formatRound(r: RoundRecord): string {
  const mark = r.problems.length ? '✗' : '✓';
  const conv = r.converged ? `converged in ${secs(r.convergeMs)}` : `NOT converged (bound ${secs(r.convergeBoundMs)})`;
  const c = r.counts;
  const line = `${mark} round ${String(r.round).padStart(3)}  ${r.description}\n      ${conv}; writes ${c.ok} ok / ${c.failed} failed / ${c.unknown} unknown of ${c.invoked}; rss ${(r.rssBytes / 1048576).toFixed(1)} MB, ${r.handles} handles`;
  return r.problems.length ? `${line}\n${r.problems.map((p) => `      ! ${p}`).join('\n')}` : line;
}

function indent(text: string): string[] {
  return text.split('\n').map((l) => `    ${l}`);
}

export function formatSummary(s: SoakSummary): string {
  const w = s.writes;
  const kinds = Object.entries(s.faultsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const lines = [
    '',
    `Soak ${s.ok ? 'PASSED' : s.interrupted ? 'INTERRUPTED' : 'FAILED'} — seed ${s.seed}, ${s.rounds} rounds in ${secs(s.durationMs)}${s.interrupted ? ' (interrupted)' : ''}`,
    `  faults:       ${kinds || 'none'}`,
    `  failovers:    ${s.failovers.switchMasterGroups} (+switch-master groups; ${s.failovers.switchMasterEvents} events, ${s.failovers.timelines} timelines)`,
    `  writes:       ${w.invoked} invoked, ${w.ok} ok, ${w.failed} failed, ${w.unknown} unknown`,
    w.acknowledged === undefined
      ? `  verdict:      none (${w.error ?? 'no final read'})`
      : `  verdict:      ${w.acknowledged} acknowledged, ${w.lost} lost (${((w.lossRate ?? 0) * 100).toFixed(2)}%), ${w.unexpected} unexpected; final master ${w.finalMaster}`,
    `  convergence:  max ${secs(s.convergence.maxMs)}, mean ${secs(s.convergence.meanMs)} (bound ${secs(s.convergence.boundMs)})`,
    `  memory:       rss ${s.memory.rssStartMb} MB at the start, ${s.memory.rssAtWarmupMb} MB after the ${secs(s.memory.warmupMs)} warm-up, ${s.memory.rssEndMb} MB at the end (slope ${s.memory.rssSlopeMbPerMin} MB/min); handles ${s.memory.handlesStart} -> ${s.memory.handlesEnd}`,
    `  live heap:    ${s.memory.heapUsed.detail}`,
    `  after stop:   ${
      Object.entries(s.memory.afterShutdown)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'nothing active'
    }`,
    '  checks:',
    ...s.checks.map((c) => `    ${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}`),
    ...s.warnings.flatMap((w) => ['', `  warning ${w.name}: ${w.message}`, ...(w.stack ? indent(w.stack) : [])]),
  ];
  return lines.join('\n');
}

export function formatRecord(r: SoakRecord): string {
  switch (r.type) {
    case 'start':
      return `Soak: seed ${r.seed}, ${r.minutes} min; cluster ready in ${secs(r.readyMs)} on ports ${r.basePort}… (${r.runDir})`;
    case 'round':
      return formatRound(r);
    case 'note':
      return r.text;
    case 'summary':
      return formatSummary(r);
  }
}
