// The soak's summary as printed: the memory figures (start, after the warm-up, end, slope), the live heap, every
// check, and each process warning with its stack.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trend } from '../../src/soak/checks.js';
import { formatSummary } from '../../src/soak/report.js';
import type { SoakSummary } from '../../src/soak/runner.js';
import { warningsCheck } from '../../src/soak/warnings.js';

const MB = 1024 * 1024;
const mb = (v: number) => `${(v / MB).toFixed(1)} MB`;

describe('formatSummary', () => {
  it('prints the memory figures, the failed checks and each warning with its stack', () => {
    const samples = Array.from({ length: 20 }, (_, i) => ({ atMs: i * 10_000, value: 100 * MB + i * MB }));
    const rss = trend(samples, { warmupMs: 50_000, maxGrowth: 10 * MB }, mb);
    const heap = trend(
      samples.map((s) => ({ ...s, value: 20 * MB })),
      { warmupMs: 50_000, maxGrowth: 3 * MB },
      mb,
    );
    const handles = trend(
      samples.map((s) => ({ ...s, value: 140 })),
      { warmupMs: 50_000, maxGrowth: 12 },
      String,
    );
    const warning = {
      name: 'MaxListenersExceededWarning',
      message: 'Possible EventEmitter memory leak detected. 11 error listeners added to [WriteStream].',
      stack:
        'MaxListenersExceededWarning: Possible EventEmitter memory leak detected.\n    at _addListener (node:events:1)',
      atMs: 61_000,
    };
    const summary: SoakSummary = {
      type: 'summary',
      ok: false,
      seed: 1,
      minutes: 3.3,
      interrupted: false,
      rounds: 20,
      durationMs: 200_000,
      faultsByKind: { kill: 20 },
      failovers: { timelines: 1, switchMasterEvents: 3, switchMasterGroups: 1 },
      writes: { invoked: 10, ok: 10, failed: 0, unknown: 0, acknowledged: 10, lost: 0, lossRate: 0, unexpected: 0 },
      convergence: { maxMs: 5000, meanMs: 2000, boundMs: 60_000, failedRounds: [] },
      memory: {
        gcBeforeSample: true,
        rssStartMb: 100,
        rssAtWarmupMb: 105,
        rssEndMb: 119,
        warmupMs: 50_000,
        rssSlopeMbPerMin: 6,
        handlesStart: 140,
        handlesEnd: 140,
        rss,
        handles,
        heapUsed: heap,
        afterShutdown: {},
      },
      warnings: [warning],
      checks: [
        { name: 'RSS does not grow after the warm-up', ok: rss.ok, detail: rss.detail },
        warningsCheck({ warnings: [warning], dropped: 0 }),
      ],
    };
    const text = formatSummary(summary);
    assert.equal(rss.ok, false);
    assert.match(text, /Soak FAILED/);
    assert.match(
      text,
      /rss 100 MB at the start, 105 MB after the 50\.0 s warm-up, 119 MB at the end \(slope 6 MB\/min\)/,
    );
    assert.match(text, /live heap: {4}20\.0 MB at 0\.8 min -> 20\.0 MB at 3\.2 min; slope 0\.0 MB\/min/);
    assert.match(text, /✗ RSS does not grow after the warm-up: 105\.0 MB at 0\.8 min -> 119\.0 MB at 3\.2 min/);
    assert.match(text, /✗ no process warnings: 1 warning: MaxListenersExceededWarning: Possible EventEmitter/);
    // The stack, indented under its warning.
    assert.match(
      text,
      /\n {2}warning MaxListenersExceededWarning: .*\n {4}MaxListenersExceededWarning: .*\n {8}at _addListener \(node:events:1\)/,
    );
  });
});
