// `redis-sentinel-lab clean`: reaps what a killed lab left behind — only processes proven to be the lab's own.
// Run directories kept with --keep stay unless `--all` is given; a running lab is never touched.

import type { z } from 'zod';
import { reapStaleRuns } from '../cluster/process/reaper.js';
import { runRoot } from '../cluster/process/run-dir.js';
import type { CleanReport } from './json-schemas.js';
import { SCHEMA_VERSION } from './schema-version.js';

export function cleanCommand(opts: { json?: boolean; all?: boolean }): number {
  const report = reapStaleRuns(runRoot(), { includeKept: Boolean(opts.all) });
  if (opts.json) {
    const record: z.input<typeof CleanReport> = { schemaVersion: SCHEMA_VERSION, event: 'cleaned', ...report };
    process.stdout.write(`${JSON.stringify(record)}\n`);
    return 0;
  }
  const dirs = (n: number) => `${n} run director${n === 1 ? 'y' : 'ies'}`;
  const lines = [
    report.killed.length
      ? `Stopped ${report.killed.length} leftover process(es): ${report.killed.join(', ')}.`
      : 'No leftover lab processes.',
    report.runs.length ? `Removed ${dirs(report.runs.length)}:` : 'No stale run directories.',
    ...report.runs.map((d) => `  ${d}`),
  ];
  if (report.kept.length)
    lines.push(
      `Kept ${dirs(report.kept.length)} started with --keep (remove them with \`clean --all\`):`,
      ...report.kept.map((d) => `  ${d}`),
    );
  for (const l of report.live) lines.push(`Left alone: a running lab (pid ${l.labPid}) owns ${l.dir}.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
