// Benchmarks of attaching to a deployment the lab did not start (plain redis-server processes from the test helper,
// 1 master + 4 replicas + 3 Sentinels): attach → first complete view, and `inspect` as a person runs it (the built
// `node dist/cli.js inspect …`, Node start included), each beside a baseline measured in the same run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { discover, openRemoteLab } from '../../src/commands/remote-lab.js';
import { parseSentinels } from '../../src/commands/sentinel-options.js';
import { selectLags } from '../../src/state/selectors.js';
import { startForeignDeployment } from '../../test/helpers/foreign-deployment.js';
import { eventually } from '../../test/helpers/wait.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AttachBench {
  /** Discovery through the first store state with every node observed (ms). */
  viewMs: number[];
  /** Discovery alone (the snapshot), the baseline (ms). */
  discoveryMs: number[];
  /** `node dist/cli.js inspect …` spawn to exit (ms). */
  inspectMs: number[];
  /** `node dist/cli.js --version` spawn to exit: Node start and the CLI's imports, the baseline (ms). */
  versionMs: number[];
}

function timedRun(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - t0, code }));
  });
}

/** `entry`: the built CLI (dist/cli.js; bench.ts builds it first). */
export async function benchAttach(opts: {
  rounds: number;
  entry: string;
  log: (s: string) => void;
}): Promise<AttachBench> {
  const out: AttachBench = { viewMs: [], discoveryMs: [], inspectMs: [], versionMs: [] };
  const d = await startForeignDeployment({ replicas: 4 });
  const env = { RSL_BENCH_PW: d.password };
  process.env.RSL_BENCH_PW = d.password;
  try {
    await eventually(async () => (await d.sentinelFields(d.sentinels[0] ?? d.master, 'MASTER'))['num-slaves'] === '4', {
      timeoutMs: 15_000,
      what: 'Sentinels see 4 replicas',
    });
    const flags = { sentinel: parseSentinels(d.sentinelArg), passwordEnv: 'RSL_BENCH_PW' };
    for (let i = 0; i < opts.rounds; i++) {
      const t0 = performance.now();
      const found = await discover(flags);
      out.discoveryMs.push(performance.now() - t0);
      const lab = await openRemoteLab(found, 'mymaster', { flushMs: 5 });
      try {
        await eventually(
          () => {
            const s = lab.store.getState();
            return (
              lab.topology.nodes.every((n) =>
                n.kind === 'redis' ? s.redis[n.id]?.replication : s.sentinels[n.id]?.master,
              ) && selectLags(s).length === 4
            );
          },
          { timeoutMs: 10_000, intervalMs: 2, what: 'the complete view' },
        );
        out.viewMs.push(performance.now() - t0);
      } finally {
        await lab.shutdown();
      }
    }
    opts.log('bench: inspect with node dist/cli.js…');
    for (let i = 0; i < opts.rounds; i++) {
      out.versionMs.push((await timedRun([opts.entry, '--version'], {})).ms);
      const r = await timedRun(
        [opts.entry, 'inspect', '--sentinel', d.sentinelArg, '--password-env', 'RSL_BENCH_PW'],
        env,
      );
      if (r.code !== 0) throw new Error(`inspect exited ${r.code} on the healthy benchmark deployment`);
      out.inspectMs.push(r.ms);
    }
  } finally {
    delete process.env.RSL_BENCH_PW;
    await d.cleanup();
  }
  return out;
}
