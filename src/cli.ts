#!/usr/bin/env node
// Entry point. Checks the Node version before importing anything that needs Node 22 (execa 10 crashes at import on 20).
import module from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { userCacheDir } from './cache-dir.js';
import { opensTui } from './commands/command-names.js';
import { holdKeys } from './ui/hold-keys.js';

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `redis-sentinel-lab needs Node.js 22.12 or newer; this is ${process.version}.\n` +
      '  Install a current Node (https://nodejs.org, or: nvm install 22 / fnm install 22 / brew install node@22),\n' +
      '  or, from a clone of the repository, use `npm start`, which runs the Node 22 the project pins.\n',
  );
  process.exit(1);
}
enableCompileCache();
const tui = opensTui(process.argv.slice(2));
if (tui) keepYoungGenerationSmall();
// The full-screen lab: no echo from now on, so a key typed while it loads does not garble its first screen.
const releaseKeys = tui && process.stdout.isTTY ? holdKeys(process.stdin) : () => {};
// React (under Ink) checks NODE_ENV; development mode costs CPU and memory the lab has no use for.
process.env.NODE_ENV ??= 'production';
try {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
} finally {
  releaseKeys();
}
// Everything is cleaned up by now; a socket still closing (an ioredis reconnect timer, a half-closed probe) must not
// keep a finished command alive: scripts wait for it (`watch` ends within a second of Ctrl+C).
setTimeout(() => process.exit(), 200).unref();

/**
 * V8's compiled code for the lab's modules, kept between runs (Node >= 22.1): a start then skips compiling what it
 * loads (README "Performance"). In the user's own cache directory, not the shared temp directory Node would pick.
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off; any failure just means compiling as before.
 */
function enableCompileCache(): void {
  if (typeof module.enableCompileCache !== 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const dir = userCacheDir();
    if (dir) module.enableCompileCache(join(dir, 'node-compile-cache'));
  } catch {
    // no cache: compile as before
  }
}

/**
 * V8 lets the young generation grow from 1 MB to 16 MB per semi-space while a process allocates quickly (loading,
 * the first frames) and gives that memory back only when its memory reducer runs, up to a minute later. The
 * full-screen lab stays open for a long time and allocates little once drawn, so it keeps the young generation at
 * its initial size: more, smaller scavenges while it starts, about 20 MB less resident memory until the reducer
 * would have run (README "Performance"). `--semi-space-growth-factor` is read at every resize, so setting it now
 * takes effect, unlike the size limits V8 reads once at start-up. Headless commands keep V8's default: their
 * start-up is what `up` users wait for. Any failure leaves the default.
 */
function keepYoungGenerationSmall(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    // V8's default growth
  }
}
