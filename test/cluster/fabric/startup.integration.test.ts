// A healthy start is quiet: no Sentinel marks any node +sdown (and no -sdown follows) while the cluster starts.
// Before the fabric held dials to nodes that were still starting, a Sentinel that dialled a peer a few ms before it
// listened was refused, retried only a second later, and logged `+sdown sentinel …` then `-sdown` on most starts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sentinelNodes } from '../../../src/cluster/topology.js';
import type { Lab } from '../../../src/engine/lab.js';
import { quietWindow } from '../../helpers/echo-server.js';
import { startTestLab } from '../../helpers/lab.js';

const STARTS = 3;
// The noise came ~down-after-milliseconds (1 s) after the Sentinels started and cleared ~0.1 s later.
const WINDOW_MS = 1800;

/** Every +sdown/-sdown a Sentinel logged (its own log, so nothing published before we subscribed is missed). */
function sdownLines(lab: Lab): string[] {
  const s = lab.store.getState();
  const out: string[] = [];
  for (const n of sentinelNodes(lab.topology)) {
    for (const line of s.processes[n.id]?.logTail ?? []) if (/ [+-]sdown /.test(line)) out.push(`${n.id}: ${line}`);
  }
  for (const e of s.events) if (e.channel === '+sdown' || e.channel === '-sdown') out.push(`event ${e.channel}`);
  return out;
}

test(`${STARTS} cold starts: ready, and no +sdown/-sdown in the first ${WINDOW_MS} ms`, {
  timeout: 90_000,
}, async () => {
  for (let i = 0; i < STARTS; i++) {
    const began = Date.now();
    const { lab, cleanup } = await startTestLab();
    try {
      // waitFor folds the engine's queued facts into the store first.
      await lab.waitFor((st) => st.phase === 'ready', 2000, 'phase ready');
      const s = lab.store.getState();
      for (const n of sentinelNodes(lab.topology)) {
        assert.ok(
          s.processes[n.id]?.logTail.some((l) => l.includes('+monitor')),
          `${n.id} log not captured: ${s.processes[n.id]?.logTail.join(' | ')}`,
        );
      }
      // Absence can only be shown over a window: watch until the moment the old noise used to be over.
      await quietWindow(Math.max(0, began + WINDOW_MS - Date.now()));
      await lab.waitFor(() => true, 1000, 'a store flush');
      assert.deepEqual(sdownLines(lab), [], `start ${i + 1} of ${STARTS} was not quiet`);
    } finally {
      await cleanup();
    }
  }
});
