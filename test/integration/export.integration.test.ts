// `e` at the end of any lesson: a real lab with no workload is killed over and exported; the report holds the fault,
// the Sentinel events and the failover timeline, and no ledger section (the ledger only follows a workload).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';
import { failoverWaitMs } from '../helpers/wait.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
const out = mkdtempSync(join(tmpdir(), 'rsl-export-'));

before(async () => {
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3 }));
});
after(async () => {
  await cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('exporting a run without a workload', () => {
  it('writes the history and a report with the failover timeline, without a ledger section', async () => {
    assert.ok((await lab.perform({ kind: 'kill', node: 'redis-1' })).ok);
    await lab.waitFor(
      (s) => s.failovers.some((f) => f.phases['switch-master'] !== undefined),
      failoverWaitMs(lab.topology.sentinel),
      'a failover that switched master',
    );
    const paths = await lab.exportRun(out);
    const md = readFileSync(paths.markdown, 'utf8');
    assert.match(md, /fault: kill redis-1/);
    assert.match(md, /## Failovers\n\n### failover of redis-1 -> redis-\d/);
    assert.match(md, /\+switch-master {2}\d+\.\d\d s/);
    assert.doesNotMatch(md, /Ledger verdict|acknowledged/);
    // The history file is written too: every line (if any) one JSON object.
    for (const l of readFileSync(paths.jsonl, 'utf8').split('\n').filter(Boolean)) JSON.parse(l);
  });

  it("after a reset: a line for it in the timeline, after the old cluster's events, and it is no fault", async () => {
    const lastBefore = lab.store.getState().events.at(-1)?.seq ?? 0;
    await lab.reset();
    const [reset] = lab.store.getState().resets;
    // The reset names the last event of the old cluster: at least the last one seen before asking for it (a
    // failover's late events may still come while the old cluster's observers stop), and every later event is the
    // fresh cluster's, which each Sentinel begins with +monitor.
    assert.ok(reset && reset.afterSeq >= lastBefore, `afterSeq ${reset?.afterSeq}, last before ${lastBefore}`);
    const fresh = lab.store.getState().events.filter((e) => e.seq > reset.afterSeq);
    assert.ok(!fresh.some((e) => e.channel === '+switch-master'), 'the old failover is before the reset');
    for (const id of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      assert.equal(fresh.find((e) => e.sentinelId === id)?.channel, '+monitor', `${id}'s first event after the reset`);
    }
    const md = readFileSync((await lab.exportRun(out)).markdown, 'utf8');
    const rows = md.split('\n');
    const at = rows.findIndex((l) => l.includes('cluster reset: fresh configs and Sentinel state'));
    const switched = rows.findIndex((l) => l.includes('`+switch-master`'));
    assert.ok(switched >= 0 && at > switched, md);
    assert.doesNotMatch(md, /fault: cluster reset/);
  });
});
