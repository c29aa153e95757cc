// `redis-sentinel-lab clean`: reaps what a killed lab left behind — only processes proven to be the lab's own.
import { reapStaleRuns } from '../cluster/process/reaper.js';
import { runRoot } from '../cluster/process/run-dir.js';

export function cleanCommand(opts: { json?: boolean }): number {
  const report = reapStaleRuns(runRoot());
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ event: 'cleaned', ...report })}\n`);
    return 0;
  }
  const lines = [
    report.killed.length
      ? `Stopped ${report.killed.length} leftover process(es): ${report.killed.join(', ')}.`
      : 'No leftover lab processes.',
    report.runs.length
      ? `Removed ${report.runs.length} run director${report.runs.length === 1 ? 'y' : 'ies'}.`
      : 'No stale run directories.',
  ];
  for (const l of report.live) lines.push(`Left alone: a running lab (pid ${l.labPid}) owns ${l.dir}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
