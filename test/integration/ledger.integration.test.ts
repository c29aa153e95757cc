// The acknowledged-write ledger on a healthy real cluster, through Lab.perform as the keyboard would: client A
// (following Sentinel) adds ~500 unique elements a second for ~5 s; with no fault, every acknowledged write must
// be in the final read. (The ≥ 10,000-op case runs at the unit/client level; this proves the engine's wiring.)
// The export then holds the workload's whole history (from its file in the run directory), not the store's last ops.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { LIMITS } from '../../src/state/store.js';
import { startTestLab } from '../helpers/lab.js';
import { guardLab, type LabGuard } from '../helpers/lab-guard.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
let guard: LabGuard;

before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3 }));
  guard = guardLab(lab);
});
after(async () => {
  await cleanup();
  await guard.assertNothingLeft();
});

describe('ledger with no fault', () => {
  it('a 5 s workload at 500/s as client A loses nothing', async () => {
    const start = await lab.perform({ kind: 'workload-start', client: 'A', ratePerSec: 500 });
    assert.ok(start.ok, start.text);
    await lab.waitFor((s) => s.workload.running && s.workload.client === 'A', 2000, 'the workload shown running');
    const startedAt = Date.now();
    // The scenario is a fixed stretch of healthy writing.
    await new Promise((r) => setTimeout(r, 5000));
    const live = lab.store.getState().workload.counts;
    assert.ok(live.ok > 0, 'live counts move while it runs');

    const stop = await lab.perform({ kind: 'workload-stop' });
    assert.ok(stop.ok, stop.text);
    await lab.waitFor((s) => s.workload.verdict !== undefined, 5000, 'the verdict in the store');
    const w = lab.store.getState().workload;
    const v = w.verdict!;
    console.log(
      `# ledger: ${v.acknowledged} acknowledged in ${Date.now() - startedAt} ms, ${v.lost} lost, ` +
        `${w.counts.failed} failed, ${w.counts.unknown} unknown, final master ${v.finalMaster} (${v.finalCount} members)`,
    );
    assert.equal(w.running, false);
    assert.equal(v.lost, 0);
    assert.ok(v.acknowledged > 1000, `acknowledged ${v.acknowledged}`);
    assert.equal(v.valid, true);
    assert.equal(v.finalMaster, 'redis-1');
    assert.equal(v.unexpected, 0);
    assert.equal(v.failedPresent, 0);
    assert.equal(v.lossWindows.length, 0);
    // The live counts and the checker agree, and every acknowledged element is in the final set.
    assert.equal(w.counts.ok, v.acknowledged);
    assert.equal(v.survived, v.acknowledged);
    assert.ok(v.finalCount >= v.acknowledged);

    // The history file: owner-only, in the run directory; the export streams all of it (with the run's other lines).
    const files = (await readdir(lab.deployment.runDir)).filter((f) => /^workload-.*\.jsonl$/.test(f));
    assert.equal(files.length, 1, `history files: ${files.join(', ')}`);
    assert.equal((await stat(join(lab.deployment.runDir, files[0] ?? ''))).mode & 0o777, 0o600);
    const dir = await mkdtemp(join(tmpdir(), 'rsl-ledger-export-'));
    try {
      const out = await lab.exportRun(dir);
      const ops = (await readFile(out.jsonl, 'utf8'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { process: string; type: string; f: string });
      assert.ok(ops.length > LIMITS.history, `${ops.length} ops exported (the store keeps ${LIMITS.history})`);
      assert.equal(ops.filter((o) => o.f === 'add' && o.type === 'invoke').length, w.counts.invoked);
      assert.equal(
        ops.filter((o) => o.f === 'add' && o.type !== 'invoke').length,
        w.counts.ok + w.counts.failed + w.counts.unknown,
      );
      // The workload's last op is its final read (the lab's own lines, e.g. the stop action's outcome, may follow).
      assert.equal(ops.filter((o) => o.process === 'workload').at(-1)?.f, 'final-read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
