// `redis-sentinel-lab inspect --sentinel HOST:PORT[,…] [--json]`: one read-only look at a Sentinel deployment the lab
// did not start, and a diagnosis — each finding with what was seen where, the exact fix and the lesson that teaches
// it. Exit 0 healthy (info-level hints allowed), 1 findings (or nothing answered), 2 usage.
import { diagnose } from '../diagnosis/diagnose.js';
import { unhealthy } from '../diagnosis/findings.js';
import { formatReport, reportJson } from '../diagnosis/report.js';
import { UserError } from '../errors.js';
import { EXIT } from './exit.js';
import { discover } from './remote-discover.js';
import type { SentinelFlags } from './sentinel-options.js';

export async function inspectCommand(
  opts: SentinelFlags & { json?: boolean },
  write: (s: string) => void = (s) => process.stdout.write(s),
): Promise<number> {
  if (!opts.sentinel?.length) {
    throw new UserError('inspect needs --sentinel HOST:PORT (one or more Sentinels of the deployment)', {
      hint: 'For example: redis-sentinel-lab inspect --sentinel 10.0.0.5:26379,10.0.0.6:26379',
      exitCode: EXIT.usage,
    });
  }
  const d = await discover(opts);
  const findings = diagnose(d.facts);
  write(opts.json ? `${JSON.stringify(reportJson(d.facts, findings))}\n` : formatReport(d.facts, findings));
  return unhealthy(findings) ? EXIT.failure : EXIT.ok;
}
