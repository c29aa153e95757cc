// Every run can be exported, lessons without a workload too: the report always has the timeline of faults and
// Sentinel events and the failover timelines; the ledger sections only when a workload ran and was checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type RunReportInput, renderReport } from '../../src/ledger/export.js';

const T0 = Date.UTC(2026, 10, 5, 12, 0, 0);

function noWorkload(): RunReportInput {
  return {
    title: 'redis-sentinel-lab run r1',
    topologySummary: '5 Redis · 3 Sentinels, quorum 2',
    faults: [{ at: T0 + 5000, description: 'kill redis-1' }],
    sentinelEvents: [
      { at: T0 + 7200, sentinelId: 'sentinel-2', channel: '+switch-master', payload: 'mymaster 127.0.2.1 6379 …' },
    ],
    failovers: [
      {
        at: T0 + 5000,
        title: 'failover of redis-1 -> redis-3 (epoch 1)',
        lines: ['fault  0.00 s  kill redis-1', '+odown  1.20 s  (down-after 1.00 s)', '+switch-master  2.20 s'],
      },
    ],
    startedAt: T0,
  };
}

describe('renderReport without a workload', () => {
  it('has the timeline and the failovers, and no ledger section', () => {
    const md = renderReport(noWorkload());
    assert.match(md, /^Run started 2026-11-05T12:00:00\.000Z\.$/m);
    assert.match(md, /\| \+5\.0 s \| fault: kill redis-1 \|/);
    assert.match(md, /\| \+7\.2 s \| sentinel-2 `\+switch-master`/);
    assert.match(
      md,
      /## Failovers\n\n### failover of redis-1 -> redis-3 \(epoch 1\) \(\+5\.0 s\)\n\n```\nfault {2}0\.00 s/,
    );
    assert.match(md, /\+odown {2}1\.20 s {2}\(down-after 1\.00 s\)/);
    assert.doesNotMatch(md, /Ledger|final read|acknowledged|Interpretation/);
  });

  it('says why there is no verdict when the workload still runs', () => {
    const md = renderReport({ ...noWorkload(), noVerdictNote: 'The workload is still running.' });
    assert.match(md, /## Ledger verdict\n\nThe workload is still running\./);
    assert.doesNotMatch(md, /acknowledged/);
  });

  it('no failovers: no section for them', () => {
    const md = renderReport({ ...noWorkload(), failovers: [] });
    assert.doesNotMatch(md, /## Failovers/);
  });
});
