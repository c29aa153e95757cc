#!/usr/bin/env node
// First-run set-up for `npm start` / `npm test`: installs the locked dependencies (including the pinned
// Node 22 that the npm scripts then run under) when they are missing or older than the lockfile.
// Plain JavaScript that runs on any Node >= 18, because it runs before the pinned Node exists.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
const pinnedNode = join(root, 'node_modules', '.bin', 'node');

const stale = !existsSync(marker) || !existsSync(pinnedNode) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  process.stderr.write('redis-sentinel-lab: installing dependencies from package-lock.json (first run)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('redis-sentinel-lab: `npm ci` failed; see the output above.\n');
    process.exit(r.status ?? 1);
  }
}
