// `tsx scripts/bench-tui.ts [--idle-ms N] [--settle-ms N] [--presses N] [--size 160x45] [--entry dist/cli.js] [--production]`:
// the real TUI in tmux with the cluster idle — CPU and RSS of the TUI process, key → visible latency, bytes written
// to the terminal — as JSON on stdout. Default entry: src/cli.ts through tsx; --production sets NODE_ENV=production.
import { resolve } from 'node:path';
import { benchTui } from './bench/tui.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const idleMs = Number(arg('--idle-ms') ?? 30_000);
const settleMs = Number(arg('--settle-ms') ?? 20_000);
const presses = Number(arg('--presses') ?? 20);
const [columns, rows] = (arg('--size') ?? '160x45').split('x').map(Number);
const targets = { cpuPercent: '<= 2', rssMb: '<= 120', keyToVisibleMsMedian: '<= 100', idle: 'no full redraw' };
try {
  const entry = arg('--entry');
  const r = await benchTui({
    idleMs,
    settleMs,
    presses,
    columns,
    rows,
    entry: entry ? resolve(entry) : undefined,
    env: process.argv.includes('--production') ? { NODE_ENV: 'production' } : undefined,
  });
  const pass = {
    cpuPercent: r.cpuPercent <= 2,
    rssMb: r.rssMb <= 120,
    keyToVisibleMsMedian: r.keyToVisibleMsMedian <= 100,
    noFullRedrawWhileIdle: r.fullRedrawsWhileIdle === 0,
  };
  process.stdout.write(`${JSON.stringify({ ...r, targets, pass }, null, 2)}\n`);
} catch (err) {
  process.stderr.write(`bench-tui: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
