// Issue #17's leak: the soak's stderr repeated "MaxListenersExceededWarning: … 11 error listeners added to
// [WriteStream]" (the supervisor added an 'error' listener to a node's log stream on every restart). A real lab is
// restarted and faulted many times; no listener count grows and no process warning is emitted.
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { LabAction } from '../../src/actions/catalog.js';
import type { Lab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';

let lab: Lab;
let cleanup: () => Promise<void>;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

before(async () => {
  process.on('warning', onWarning);
  ({ lab, cleanup } = await startTestLab({ redis: 3, sentinels: 3 }));
});
after(async () => {
  process.off('warning', onWarning);
  await cleanup?.();
});

function counts(e: EventEmitter): Record<string, number> {
  return Object.fromEntries(e.eventNames().map((n) => [String(n), e.listenerCount(n)]));
}

const PROCESS_EVENTS = ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'warning', 'uncaughtException', 'unhandledRejection'];
const processCounts = () => Object.fromEntries(PROCESS_EVENTS.map((e) => [e, process.listenerCount(e)]));

async function must(a: LabAction): Promise<void> {
  const r = await lab.perform(a);
  assert.ok(r.ok, `${a.kind}: ${r.text}`);
}

describe('listeners stay constant across restarts and faults', () => {
  it('12 rounds of restart, kill + restart, stop + restart, freeze/thaw, partition, latency, heal', async () => {
    // One warm-up round: lazily created clients and probes attach their listeners once.
    const round = async () => {
      await must({ kind: 'restart', node: 'redis-3' });
      await must({ kind: 'kill', node: 'redis-2' });
      await must({ kind: 'restart', node: 'redis-2' });
      await must({ kind: 'stop', node: 'sentinel-3' });
      await must({ kind: 'restart', node: 'sentinel-3' });
      await must({ kind: 'freeze', node: 'redis-3' });
      await must({ kind: 'thaw', node: 'redis-3' });
      await must({ kind: 'isolate', host: 'host-3' });
      await must({ kind: 'latency', from: 'host-1', to: 'host-2', latencyMs: 5 });
      await must({ kind: 'heal-all' });
    };
    await round();
    const emitterBefore = counts(lab.emitter);
    const processBefore = processCounts();
    for (let i = 0; i < 12; i++) {
      await round();
      assert.deepEqual(counts(lab.emitter), emitterBefore, `lab emitter listeners after round ${i + 2}`);
      assert.deepEqual(processCounts(), processBefore, `process listeners after round ${i + 2}`);
    }
    await new Promise((r) => setImmediate(r));
    const leaks = warnings.filter((w) => w.name === 'MaxListenersExceededWarning');
    assert.deepEqual(
      leaks.map((w) => w.message),
      [],
      leaks.map((w) => w.stack).join('\n'),
    );
  });
});
