#!/usr/bin/env node
// First-run set-up for `npm start` / `npm test`: installs the locked dependencies (including the pinned
// Node 22 that the npm scripts then run under) when they are missing or older than the lockfile.
// Plain JavaScript that runs on any Node >= 18, because it runs before the pinned Node exists.
//
// Quiet: the first thing a newcomer sees should be the lab, not npm. npm's own output (on a Node 20 machine about
// 45 lines of EBADENGINE warnings, because the project itself asks for Node 22) is captured and shown only if the
// install fails; meanwhile one line says what is happening, with the packages installed so far on a terminal.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
const pinnedNode = join(root, 'node_modules', '.bin', 'node');

/** `npm ci`, without the audit and funding notices and the update check. */
const NPM_ARGS = ['ci', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];

const stale = !existsSync(marker) || !existsSync(pinnedNode) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) await install();

/** Paths of the packages the lockfile installs (`node_modules/…`), to count progress by. */
function lockedPackages() {
  try {
    const packages = JSON.parse(readFileSync(lock, 'utf8')).packages ?? {};
    return Object.keys(packages).filter((p) => p.startsWith('node_modules/'));
  } catch {
    return [];
  }
}

async function install() {
  const tty = process.stderr.isTTY === true;
  const label = 'redis-sentinel-lab: installing dependencies… (first run)';
  const wanted = lockedPackages();
  const started = Date.now();
  const line = () => {
    const done = wanted.filter((p) => existsSync(join(root, p, 'package.json'))).length;
    const secs = Math.round((Date.now() - started) / 1000);
    return `${label} ${wanted.length ? `${done}/${wanted.length} packages, ` : ''}${secs} s`;
  };
  // On a terminal the one line updates in place; elsewhere (CI logs) it is printed once.
  process.stderr.write(tty ? line() : `${label}\n`);
  const timer = tty ? setInterval(() => process.stderr.write(`\r\x1b[K${line()}`), 500) : undefined;

  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output = [];
  const child = spawn(npm, NPM_ARGS, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_progress: 'false', npm_config_update_notifier: 'false' },
    shell: process.platform === 'win32',
  });
  child.stdout.on('data', (d) => output.push(d));
  child.stderr.on('data', (d) => output.push(d));
  const status = await new Promise((resolve) => {
    child.on('error', (err) => {
      output.push(Buffer.from(`${err.message}\n`));
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  if (timer) clearInterval(timer);
  if (status === 0) {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`${tty ? '\r\x1b[K' : ''}redis-sentinel-lab: dependencies installed in ${secs} s\n`);
    return;
  }
  if (tty) process.stderr.write('\n');
  process.stderr.write(Buffer.concat(output));
  process.stderr.write(
    `redis-sentinel-lab: \`npm ${NPM_ARGS.join(' ')}\` failed (exit ${status}); npm's output is above.\n`,
  );
  process.exit(typeof status === 'number' && status > 0 ? status : 1);
}
