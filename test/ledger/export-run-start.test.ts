// The export's "Run started" is the run's start (the lab's, which the screen counts from), and every relative time
// of the report counts from it; the workload's start is a line of its own (src/engine/lab.ts exportRun). A lab
// over an in-memory deployment (no Redis); the export goes into a temp directory.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildTopology } from '../../src/cluster/topology.js';
import type { Deployment } from '../../src/deployments/deployment.js';
import { Lab } from '../../src/engine/lab.js';
import { checkLedger } from '../../src/ledger/check.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function fakeDeployment(): Deployment {
  const topology = buildTopology({ redis: 3, sentinels: 3 }, 6379, 'hosts');
  const at = (id: string) => ({ host: '127.0.0.1', port: topology.nodes.find((n) => n.id === id)?.port ?? 0 });
  return {
    kind: 'fake',
    id: 'fake-1',
    label: 'a fake deployment',
    topology,
    addresses: { admin: at, public: at, nodeAt: () => undefined },
    capabilities: {},
    missing: {},
    start: async () => {},
    shutdown: async () => {},
    shutdownSync: () => {},
  };
}

describe('exporting a run after a workload', () => {
  it('says when the run started, counts from it, and says when the workload started', async () => {
    const lab = await Lab.open(() => fakeDeployment(), { flushMs: 5 });
    try {
      const runStart = lab.store.getState().startedAt;
      // The workload starts 180 s into the run and is checked 30 s later.
      const workloadStart = runStart + 180_000;
      const verdict = checkLedger([], { node: 'redis-1', members: [], at: workloadStart + 30_000 });
      lab.emitter.emit('workload', { running: true, client: 'A', ratePerSec: 10, startedAt: workloadStart });
      lab.emitter.emit('workload', { running: false, verdict });
      await lab.waitFor((s) => s.workload.verdict !== undefined, 2000, 'the verdict');
      const dir = await mkdtemp(join(tmpdir(), 'rsl-export-start-'));
      dirs.push(dir);
      const md = await readFile((await lab.exportRun(dir)).markdown, 'utf8');
      assert.match(
        md,
        new RegExp(
          `^Run started ${new Date(runStart).toISOString().replace(/\./g, '\\.')}; workload started \\+180\\.0 s; final read on redis-1 \\+210\\.0 s\\.$`,
          'm',
        ),
      );
      assert.match(md, /\| \+210\.0 s \| final read on redis-1: 0 members \|/);
    } finally {
      await lab.shutdown();
    }
  });
});
