// scripts/bundle.mjs empties its output directory first. Given another directory (`--outdir`, as the build test
// does), it must never empty one that holds anything: it refuses and leaves every file where it was.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../scripts/bundle.mjs', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'rsl-bundle-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('scripts/bundle.mjs --outdir', () => {
  it('refuses a directory that is not empty and leaves its files alone', () => {
    const dir = mkdtempSync(join(tmp, 'full-'));
    writeFileSync(join(dir, 'keep.txt'), 'mine\n');
    const r = spawnSync(process.execPath, [SCRIPT, '--outdir', dir], { encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is not empty \(it must be new or empty\)/);
    assert.deepEqual(readdirSync(dir), ['keep.txt']);
    assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'mine\n');
  });
});
