// The shareable artefacts: JSONL history and the Markdown report (numbers, timeline, interpretation).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { HistoryOp } from '../../src/cluster/events.js';
import { checkLedger } from '../../src/ledger/check.js';
import { countOps, zeroCounts } from '../../src/ledger/counts.js';
import { historyToJsonl, type ReportInput, relTime, renderReport, writeRunExport } from '../../src/ledger/export.js';
import { add, op } from './history-fixtures.js';

const T0 = Date.UTC(2026, 10, 5, 12, 0, 0);

/** 412 acknowledged writes, 23 of them by redis-3 after a partition at +10 s; 5 NOREPLICAS refusals. */
function scenario(): { input: ReportInput; history: HistoryOp[] } {
  const history: HistoryOp[] = [];
  let id = 0;
  const members: string[] = [];
  for (let i = 0; i < 389; i++) {
    const v = `r-${++id}`;
    history.push(...add(id, v, 'ok', T0 + i * 20, 'redis-1'));
    members.push(v);
  }
  const partitionAt = T0 + 10_000;
  for (let i = 0; i < 23; i++) history.push(...add(++id, `r-${id}`, 'ok', partitionAt + 399 + i * 218, 'redis-3'));
  for (let i = 0; i < 5; i++) history.push(...add(++id, `r-${id}`, 'fail', partitionAt + 6000 + i * 100, 'redis-3'));
  const verdict = checkLedger(history, { node: 'redis-1', members, at: T0 + 40_000 });
  const counts = history.reduce(countOps, zeroCounts());
  return {
    history,
    input: {
      title: 'Split brain: client B keeps writing to redis-3',
      topologySummary: '5 Redis (redis-1 master) · 3 Sentinels, quorum 2 · min-replicas-to-write 0',
      faults: [{ at: partitionAt, description: 'partition host-3 + client B | rest', healedAt: T0 + 30_000 }],
      sentinelEvents: [
        {
          at: T0 + 13_100,
          sentinelId: 'sentinel-1',
          channel: '+switch-master',
          payload: 'mymaster 127.0.2.3 6381 127.0.2.1 6379',
        },
        {
          at: T0 + 12_000,
          sentinelId: 'sentinel-2',
          channel: '+odown',
          payload: 'master mymaster 127.0.2.3 6381 #quorum 2/2',
        },
      ],
      verdict,
      counts,
      startedAt: T0,
    },
  };
}

describe('renderReport', () => {
  const { input } = scenario();
  const md = renderReport(input);

  it('contains the verdict numbers', () => {
    assert.equal(input.verdict.acknowledged, 412);
    assert.equal(input.verdict.lost, 23);
    assert.match(md, /\| acknowledged \| 412 \|/);
    assert.match(md, /\| acknowledged, survived \| 389 \|/);
    assert.match(md, /\*\*acknowledged, LOST\*\* \| \*\*23\*\* \(5\.6%\)/);
    assert.match(md, /failed, absent \(refused, as promised\) \| 5 \|/);
    assert.match(md, /NOREPLICAS 5/);
    assert.match(md, /\*\*INVALID\*\*/);
  });

  it('interprets the loss relative to the fault', () => {
    assert.match(
      md,
      /23 of 412 acknowledged writes \(5\.6%\) were lost; all were acknowledged by redis-3 between \+0\.4 s and \+5\.2 s after "partition host-3 \+ client B \| rest" began\./,
    );
    assert.match(md, /5 writes were refused \(most common error: NOREPLICAS\)/);
  });

  it('draws a sorted timeline with relative times and a loss-window table', () => {
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Ledger verdict'));
    const rows = timeline.split('\n').filter((l) => l.startsWith('| +'));
    assert.deepEqual(
      rows.map((r) => r.split(' | ')[0]),
      ['| +10.0 s', '| +12.0 s', '| +13.1 s', '| +30.0 s', '| +40.0 s'],
    );
    assert.match(timeline, /fault: partition host-3 \+ client B \\\| rest/);
    assert.match(timeline, /sentinel-1 `\+switch-master` mymaster/);
    assert.match(md, /\| redis-3 \| \+10\.4 s \| \+15\.2 s \| 23 \|/);
  });

  it('says so when nothing was lost', () => {
    const history = [...add(1, 'a', 'ok', T0 + 1), ...add(2, 'b', 'info', T0 + 2)];
    const verdict = checkLedger(history, { node: 'redis-1', members: ['a', 'b'], at: T0 + 5 });
    const text = renderReport({
      ...input,
      faults: [],
      sentinelEvents: [],
      verdict,
      counts: history.reduce(countOps, zeroCounts()),
    });
    assert.match(text, /All 1 acknowledged writes survived \(0 lost\)\./);
    assert.match(text, /1 writes had an unknown outcome \(timeout or lost connection\); 1 of them are present\./);
    assert.doesNotMatch(text, /## Loss windows/);
  });

  it('formats relative times', () => {
    assert.equal(relTime(T0 + 5230, T0), '+5.2 s');
    assert.equal(relTime(T0 - 1500, T0), '−1.5 s');
  });
});

describe('historyToJsonl / writeRunExport', () => {
  it('writes one parseable JSON object per line', () => {
    const ops = [op({ type: 'invoke', opId: 1, value: 'a' }), op({ type: 'ok', opId: 1, value: 'a' })];
    const text = historyToJsonl(ops);
    assert.equal(text.endsWith('\n'), true);
    assert.deepEqual(
      text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
      ops,
    );
    assert.equal(historyToJsonl([]), '');
  });

  it('writes both files atomically and leaves no temp files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rsl-export-'));
    try {
      const { input, history } = scenario();
      const out = await writeRunExport(join(dir, 'nested'), { ...input, history, baseName: 'split-brain' });
      assert.equal(out.jsonl, join(dir, 'nested', 'split-brain.jsonl'));
      const lines = (await readFile(out.jsonl, 'utf8')).trimEnd().split('\n');
      assert.equal(lines.length, history.length);
      assert.match(await readFile(out.markdown, 'utf8'), /23 of 412 acknowledged writes/);
      assert.deepEqual((await readdir(join(dir, 'nested'))).sort(), ['split-brain.jsonl', 'split-brain.md']);
      const dflt = await writeRunExport(dir, { ...input, history: [] });
      assert.match(dflt.markdown, /run-2026-11-05T12-00-00-000Z\.md$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
