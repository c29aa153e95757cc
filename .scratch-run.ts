// Scratch: run shipped lessons headlessly against the real engine (deleted after use).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServerBinary } from './src/cluster/process/binaries.js';
import { Lab } from './src/engine/lab.js';
import { runLessonHeadless } from './src/lessons/headless.js';
import { loadLesson } from './src/lessons/loader.js';
import { freeBase } from './test/helpers/wait.js';

const refs = process.argv.slice(2);
const binary = await resolveServerBinary({ env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
for (const ref of refs) {
  const lesson = await loadLesson(ref);
  const runRoot = mkdtempSync(join(tmpdir(), 'rsl-scratch-'));
  let lab: Lab | undefined;
  const t0 = Date.now();
  const report = await runLessonHeadless(
    lesson,
    {
      startLab: async (shape) => {
        lab = await Lab.create({ binary, shape, basePort: await freeBase(), runRoot, flushMs: 50 });
        await lab.start();
        return lab;
      },
    },
    {
      onStep: (r) => {
        const s = lab?.store.getState();
        console.log(`  [${((Date.now() - t0) / 1000).toFixed(1)}s] ${r.passed ? 'PASS' : 'FAIL'} ${r.id} (${r.ms} ms): ${r.detail}`);
        if (s && process.env.DUMP?.split(',').includes(r.id)) {
          const from = Date.now() - r.ms;
          for (const e of s.events.filter((e) => e.at >= from - 200)) console.log(`     +${((e.at - from) / 1000).toFixed(2)} ${e.sentinelId} ${e.channel} ${e.payload.slice(0, 90)}`);
        }
        if (!r.passed && s) {
          console.log('   failovers:', JSON.stringify(s.failovers.map((f) => ({ id: f.id, phases: f.phases, done: f.done }))));
          console.log('   last events:', s.events.length, s.events.slice(-3).map((e) => `${e.seq} ${new Date(e.at).toISOString()} ${e.channel}`).join(' | '));
          console.log('   now:', new Date().toISOString());
          console.log('   events:', s.events.slice(-25).map((e) => `${e.sentinelId} ${e.channel} ${e.subjectId ?? ''}`).join(' | '));
          console.log('   notices:', s.notices.slice(-5).map((n) => n.text).join(' | '));
        }
      },
    },
  );
  console.log(`${lesson.folder}: ${report.passed ? 'PASSED' : 'FAILED'} in ${(report.ms / 1000).toFixed(1)} s${report.error ? ` (${report.error})` : ''}`);
  rmSync(runRoot, { recursive: true, force: true });
}
process.exit(0);
