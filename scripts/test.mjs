#!/usr/bin/env node
// `npm test`: typecheck, lint, then every test file with node's test runner (spec reporter: its closing
// lines give the pass/fail counts). Integration tests need a redis-server; say exactly how to get one.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const only = args.find((a) => !a.startsWith('-'));

function run(cmd, argv, timeoutMs) {
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env: process.env, timeout: timeoutMs });
  if (r.error?.code === 'ETIMEDOUT') {
    console.error(`\n${cmd} ${argv.slice(0, 4).join(' ')} … stopped after ${timeoutMs / 60_000} min.`);
    return 1;
  }
  return r.status ?? 1;
}

// The whole run takes ~20 min on the 2-core CI machine; a file that leaves a handle open would otherwise hang it
// until CI gives up, so the run stops (and fails) after this long. The last file in the output is the suspect.
const RUN_LIMIT_MS = 60 * 60_000;

function hasRedis() {
  if (process.env.REDIS_SERVER) return true;
  return (process.env.PATH ?? '').split(delimiter).some((d) => {
    for (const n of ['redis-server', 'valkey-server']) {
      try {
        if (statSync(join(d, n)).isFile()) return true;
      } catch {}
    }
    return false;
  });
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (/\.test\.tsx?$/.test(e.name)) out.push(relative(root, p));
  }
  return out.sort();
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `Tests need Node >= 22 (this is ${process.version}). Run them with \`npm test\`, which uses the pinned Node 22.`,
  );
  process.exit(1);
}
if (!only && !hasRedis()) {
  console.error(
    [
      'The integration tests run a real redis-server, and none was found on PATH.',
      '  Debian/Ubuntu:  sudo apt-get install redis-server',
      '  macOS:          brew install redis',
      '  Fedora/RHEL:    sudo dnf install redis',
      '  Arch:           sudo pacman -S valkey',
      'or set REDIS_SERVER=/path/to/redis-server. (Unit tests alone: npm run test:unit)',
    ].join('\n'),
  );
  process.exit(1);
}

if (!only) {
  if (run('tsc', ['--noEmit', '-p', 'tsconfig.json']) !== 0) process.exit(1);
  if (run('biome', ['check', '.']) !== 0) process.exit(1);
}

const all = files(join(root, 'test'));
const selected =
  only === 'unit' ? all.filter((f) => !/integration|e2e/.test(f)) : only ? all.filter((f) => f.includes(only)) : all;
if (selected.length === 0) {
  // Given no file, node --test would fall back to its own glob and run everything, fixture capture included.
  console.error(`No test file matches "${only}". Give part of a path under test/, or "unit".`);
  process.exit(1);
}
// Each file gets 5 min (--test-timeout). The longest are the tmux lesson walks (test/e2e/lessons-N): about 2.5 min
// each on the CI machine, plus about 45 s for each retry of a step whose outcome a race decides (lesson 18).
// No --test-force-exit: with one process per file it can drop results a file already reported, even failures,
// and still exit 0 (https://github.com/nodejs/node/issues/64833). A file that leaves a handle open hangs instead,
// until RUN_LIMIT_MS, which fails loudly.
process.exit(
  run(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=300000', ...selected],
    RUN_LIMIT_MS,
  ),
);
