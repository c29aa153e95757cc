// `doctor --json` and `clean --json` print one record each, with a schemaVersion, in the shapes docs/json.md gives
// (json-schemas.ts): checked against the real commands.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CleanReport, DoctorReport, SCHEMA_VERSION } from '../../src/commands/json-schemas.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'rsl-doctor-clean-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const oneRecord = (stdout: string) => {
  const lines = stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, stdout);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
};

describe('doctor --json and clean --json', () => {
  it('doctor: one doctor record', async () => {
    const r = await runCli(['doctor', '--json'], { RSL_RUN_ROOT: join(tmp, 'runs') });
    const rec = oneRecord(r.stdout);
    assert.equal(rec.schemaVersion, SCHEMA_VERSION);
    const parsed = DoctorReport.parse(rec);
    assert.equal(r.code, parsed.ok ? 0 : 1);
  });
  it('clean: one cleaned record', async () => {
    const r = await runCli(['clean', '--json'], { RSL_RUN_ROOT: join(tmp, 'runs') });
    assert.equal(r.code, 0, r.stderr);
    const rec = oneRecord(r.stdout);
    assert.equal(rec.schemaVersion, SCHEMA_VERSION);
    assert.deepEqual(CleanReport.parse(rec), {
      schemaVersion: SCHEMA_VERSION,
      event: 'cleaned',
      runs: [],
      killed: [],
      live: [],
      kept: [],
    });
  });
});
