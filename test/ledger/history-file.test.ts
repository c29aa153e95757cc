// The workload's history file: appended in batches, read back in order, owner-only, never written through a path
// that already exists; a torn last line is tolerated, an earlier one is not; a write error is kept, not thrown.
// The export copies the file byte for byte as it would have written the same ops from memory.
import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { faultOps, historyToJsonl, pairFaults, writeRunExport } from '../../src/ledger/export.js';
import { HistoryFile, readHistory } from '../../src/ledger/history-file.js';
import type { HistoryOp } from '../../src/ledger/types.js';
import { add, op } from './history-fixtures.js';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'rsl-history-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function ops(n: number): HistoryOp[] {
  const out: HistoryOp[] = [];
  for (let i = 1; i <= n; i++) out.push(...add(i, `w-${i}`, i % 7 === 0 ? 'fail' : 'ok', 1000 + i));
  return out;
}

describe('HistoryFile', () => {
  it('appends in order across many batches; flush makes everything readable; close is idempotent', async () => {
    const path = join(dir, 'many.jsonl');
    const f = new HistoryFile(path);
    const all = ops(3000); // ~6000 lines, several 64 KB batches
    for (const o of all.slice(0, 4000)) f.append(o);
    await f.flush();
    assert.deepEqual(await readHistory(path), all.slice(0, 4000));
    for (const o of all.slice(4000)) f.append(o);
    assert.equal(f.appended, all.length);
    await f.close();
    await f.close();
    assert.deepEqual(await readHistory(path), all);
    assert.equal(readFileSync(path, 'utf8'), historyToJsonl(all));
    assert.equal(statSync(path).mode & 0o777, 0o600);
    f.append(op({ type: 'invoke', value: 'after-close' }));
    assert.equal((await readHistory(path)).length, all.length, 'nothing is written after close');
  });

  it('a small batch is written within a second without a flush', async () => {
    const path = join(dir, 'timer.jsonl');
    const f = new HistoryFile(path);
    try {
      f.append(op({ type: 'invoke', value: 'x' }));
      const t0 = Date.now();
      while (readFileSync(path, 'utf8') === '' && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
      assert.equal(readFileSync(path, 'utf8').split('\n').length, 2);
    } finally {
      await f.close();
    }
  });

  it('refuses a path that exists (a file or a planted symlink) and leaves it alone', () => {
    const existing = join(dir, 'existing.jsonl');
    writeFileSync(existing, 'keep me\n');
    assert.throws(() => new HistoryFile(existing), /EEXIST/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me\n');
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'target\n');
    const link = join(dir, 'link.jsonl');
    symlinkSync(target, link);
    assert.throws(() => new HistoryFile(link), /EEXIST/);
    assert.equal(readFileSync(target, 'utf8'), 'target\n');
  });

  it('a torn last line is left out; a bad line before the end is an error', async () => {
    const path = join(dir, 'torn.jsonl');
    const good = ops(3);
    writeFileSync(path, `${historyToJsonl(good)}{"seq":9,"at":`);
    assert.deepEqual(await readHistory(path), good);
    appendFileSync(path, `\n${JSON.stringify(good[0])}\n`);
    await assert.rejects(readHistory(path), /line 7 is not JSON/);
  });

  it('a write error is kept (flush rejects with it); appends after it are dropped; close settles', {
    skip: existsSync('/proc/self/fd') ? false : 'needs /proc/self/fd to find the file descriptor',
  }, async () => {
    const path = join(dir, 'broken.jsonl');
    const f = new HistoryFile(path);
    f.append(op({ type: 'invoke', value: 'before' }));
    await f.flush();
    // Pull the descriptor from under the stream (what a vanished disk looks like to it): the next write fails.
    const fd = readdirSync('/proc/self/fd').find((n) => {
      try {
        return readlinkSync(`/proc/self/fd/${n}`) === path;
      } catch {
        return false;
      }
    });
    assert.ok(fd !== undefined, 'the history file is open');
    closeSync(Number(fd));
    f.append(op({ type: 'invoke', value: 'lost' }));
    await assert.rejects(f.flush(), /EBADF/);
    assert.match(String(f.error), /EBADF/);
    f.append(op({ type: 'invoke', value: 'dropped' }));
    assert.equal(f.appended, 2, 'appends after the error are not taken');
    await f.close();
    assert.deepEqual(
      (await readHistory(path)).map((o) => o.value),
      ['before'],
    );
  });
});

describe('the export from a history file', () => {
  it('copies the file: the same bytes as the same ops from memory; faults paired from the file', async () => {
    const history = [
      ...ops(5),
      op({ type: 'info', process: 'nemesis', f: 'fault', value: 'isolate host-1', at: 1002 }),
      ...add(90, 'w-90', 'ok', 1003),
      op({ type: 'info', process: 'nemesis', f: 'heal', value: 'isolate host-1', at: 1004 }),
    ];
    const path = join(dir, 'export-src.jsonl');
    const f = new HistoryFile(path);
    for (const o of history) f.append(o);
    await f.close();
    assert.deepEqual(await faultOps({ file: path }), await faultOps(history));
    assert.deepEqual(pairFaults(await faultOps({ file: path })), [
      { at: 1002, description: 'isolate host-1', healedAt: 1004 },
    ]);
    const verdict = {
      at: 2000,
      finalMaster: 'redis-1',
      finalCount: 0,
      acknowledged: 0,
      survived: 0,
      lost: 0,
      failedAbsent: 0,
      failedPresent: 0,
      unknownPresent: 0,
      unknownAbsent: 0,
      unexpected: 0,
      lossRate: 0,
      failed: 0,
      unknown: 0,
      lostFraction: 0,
      lossWindowMs: 0,
      lostByNode: {},
      lossWindows: [],
      lostSample: [],
      valid: true,
    };
    const input = {
      title: 't',
      topologySummary: 's',
      faults: [],
      sentinelEvents: [],
      verdict,
      counts: { invoked: 0, ok: 0, failed: 0, unknown: 0, errors: {} },
      startedAt: 1000,
    };
    const fromFile = await writeRunExport(join(dir, 'a'), { ...input, history: { file: path }, baseName: 'x' });
    const fromMemory = await writeRunExport(join(dir, 'b'), { ...input, history, baseName: 'x' });
    assert.equal(readFileSync(fromFile.jsonl, 'utf8'), readFileSync(fromMemory.jsonl, 'utf8'));
    assert.equal(readFileSync(fromFile.markdown, 'utf8'), readFileSync(fromMemory.markdown, 'utf8'));
  });
});
