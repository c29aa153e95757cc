// Starts a real lab (real redis-server and Sentinels) for one test, with its own ports and run directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServerBinary } from '../../src/cluster/process/binaries.js';
import type { TopologyShape } from '../../src/cluster/topology.js';
import { Lab, type LocalLab } from '../../src/engine/lab.js';
import { freeBase } from './wait.js';

export async function startTestLab(
  shape?: TopologyShape,
  opts: { start?: boolean } = {},
): Promise<{ lab: LocalLab; cleanup: () => Promise<void> }> {
  const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
  const runRoot = mkdtempSync(join(tmpdir(), 'rsl-lab-'));
  const lab = await Lab.create({ binary, shape, basePort: await freeBase(), runRoot, flushMs: 20 });
  const cleanup = async () => {
    await lab.shutdown();
    rmSync(runRoot, { recursive: true, force: true });
  };
  if (opts.start !== false) {
    try {
      await lab.start();
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
  return { lab, cleanup };
}
