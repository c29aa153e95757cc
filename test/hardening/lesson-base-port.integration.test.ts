// `lesson run --base-port N` uses the block it was given or refuses, like `up`: with N taken by someone else it
// must not quietly start the lesson's cluster on another block.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { processesInside } from '../../src/cluster/process/proc.js';
import { startCli } from '../helpers/cli.js';
import { freeBlock } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-baseport-'));
let squatter: Server | undefined;
after(async () => {
  await new Promise<void>((resolve) => (squatter ? squatter.close(() => resolve()) : resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('lesson run --base-port N, N in use', () => {
  it('exits 1 naming the busy port, and starts nothing', async () => {
    const base = await freeBlock();
    const server = createServer();
    squatter = server;
    await new Promise<void>((resolve) => server.listen(base, '0.0.0.0', resolve));
    const root = mkdtempSync(join(tmp, 'runs-'));
    const c = startCli(['lesson', 'run', 'tour', '--headless', '--base-port', String(base)], {
      RSL_RUN_ROOT: root,
      RSL_CONFIG_DIR: mkdtempSync(join(tmp, 'config-')),
    });
    const exit = await c.exited;
    assert.deepEqual(exit, { code: 1, signal: null }, c.stderr.join('\n'));
    assert.match(
      c.lines.join('\n'),
      new RegExp(`the lab did not start: Port ${base} of the block starting at ${base} is in use`),
    );
    assert.deepEqual(processesInside(root), []);
  });
});
