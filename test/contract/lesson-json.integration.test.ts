// `lesson … --json` against real Redis, validated against the schemas of docs/json.md: every step report carries
// what its goal measured as numbers, and the split-brain lesson's ledger step carries the verdict's numbers
// (acknowledged, lost, lostFraction, lossWindowMs, first/last loss, the node that acknowledged the lost writes).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LessonCheck, LessonEntry, LessonReport } from '../../src/commands/json-schemas.js';
import { runCli } from '../helpers/cli.js';
import { freeBase } from '../helpers/wait.js';

const root = mkdtempSync(join(tmpdir(), 'rsl-lesson-json-'));
after(() => rmSync(root, { recursive: true, force: true }));
const env = { RSL_RUN_ROOT: join(root, 'runs'), RSL_CONFIG_DIR: join(root, 'cfg') };

describe('lesson JSON', () => {
  it('lesson list --json and lesson check --json', async () => {
    const list = await runCli(['lesson', 'list', '--json'], env, 60_000, { cwd: root });
    assert.equal(list.code, 0, list.stderr);
    const entries = list.stdout.split('\n').map((l) => LessonEntry.parse(JSON.parse(l)));
    assert.ok(entries.some((e) => e.id === 'events'));
    const check = await runCli(['lesson', 'check', '--json'], env, 60_000, { cwd: root });
    assert.equal(check.code, 0, check.stderr);
    assert.equal(LessonCheck.parse(JSON.parse(check.stdout)).ok, true);
  });

  it('lesson run --headless --json: each step says what its goal measured', async () => {
    const r = await runCli(
      ['lesson', 'run', 'events', '--headless', '--json', '--base-port', String(await freeBase())],
      env,
      120_000,
      { cwd: root },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = LessonReport.parse(JSON.parse(r.stdout));
    assert.equal(report.passed, true);
    const first = report.steps[0];
    assert.ok(first?.measured?.length);
    const seen = first.measured.find((m) => m.predicate === 'eventSeen');
    assert.ok(seen && 'count' in seen && seen.count >= seen.minCount);
  });

  it('lesson check --run --json: the split-brain verdict as numbers', async () => {
    const r = await runCli(
      ['lesson', 'check', '--run', '--json', '--only', 'split-brain', '--base-port', String(await freeBase())],
      env,
      240_000,
      { cwd: root },
    );
    assert.equal(r.code, 0, r.stderr);
    const report = LessonReport.parse(JSON.parse(r.stdout));
    const verdicts = report.steps.flatMap((s) =>
      (s.measured ?? []).flatMap((m) => (m.predicate === 'ledger' && m.verdict ? [m.verdict] : [])),
    );
    assert.ok(verdicts.length > 0, 'a step measured the ledger');
    const v = verdicts[0];
    assert.ok(v);
    assert.ok(v.acknowledged > 0 && v.lost > 0);
    assert.equal(v.lostFraction, v.lost / v.acknowledged);
    assert.ok(v.firstLostAt && v.lastLostAt);
    assert.equal(v.lossWindowMs, Date.parse(v.lastLostAt) - Date.parse(v.firstLostAt));
    assert.equal(
      Object.values(v.lostByNode).reduce((a, b) => a + b, 0),
      v.lost,
    );
  });
});
