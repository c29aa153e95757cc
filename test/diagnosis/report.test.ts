// What `inspect` prints: findings grouped by severity with evidence, fix and lesson; the JSON document; nothing from
// the network can inject terminal control characters.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { formatReport, INSPECT_SCHEMA_VERSION, reportJson } from '../../src/diagnosis/report.js';
import { facts, node, sentinel, view } from './fixtures.js';

describe('inspect report', () => {
  it('a healthy deployment: its nodes and "Healthy: no findings."', () => {
    const f = facts('redis-7.0.15-healthy');
    const out = formatReport(f, diagnose(f));
    assert.match(out, /^Sentinels: 3 of 3 answer \(sentinel-1 127\.0\.0\.1:\d+, sentinel-2/);
    assert.match(out, /^mymaster: 3 data nodes, quorum 2, down-after-milliseconds 5000, failover-timeout 10000$/m);
    assert.match(out, /^ {2}redis-1 +127\.0\.0\.1:\d+ +master {2}← the master the Sentinels name$/m);
    assert.match(out, /^ {2}redis-2 +127\.0\.0\.1:\d+ +replica of 127\.0\.0\.1:\d+, link up$/m);
    assert.match(out, /\(Redis 7\.0\.15\)\.$/m);
    assert.match(out, /\nHealthy: no findings\.\n$/);
  });

  it('groups findings critical, then warning, then info, each with seen / fix / learn', () => {
    const f = facts('redis-7.0.15-healthy');
    node(f, 'redis-1').config.minReplicasToWrite = 0;
    sentinel(f, 'sentinel-2').clock = { offsetMs: 4000, uncertaintyMs: 2 };
    for (const s of ['sentinel-1', 'sentinel-2', 'sentinel-3']) Object.assign(view(f, s).master ?? {}, { quorum: 4 });
    const out = formatReport(f, diagnose(f));
    const crit = out.indexOf('✗ CRITICAL (1)');
    const warn = out.indexOf('⚠ WARNING (1)');
    const info = out.indexOf('ℹ INFO (1)');
    assert.ok(crit > 0 && warn > crit && info > warn, out);
    assert.match(out, /\[min-replicas-off\] mymaster · redis-1 \(127\.0\.0\.1:\d+\)\n {2}min-replicas-to-write is 0/);
    assert.match(out, / {4}seen: redis-1 \(127\.0\.0\.1:\d+\) CONFIG GET min-replicas-to-write: 0\n/);
    assert.match(out, / {4}fix: {2}redis-cli -h 127\.0\.0\.1 -p \d+ CONFIG SET min-replicas-to-write 1\n/);
    assert.match(out, / {4}learn: redis-sentinel-lab --lesson bounded-loss\n/);
    assert.match(out, /\n3 findings \(1 critical, 1 warning, 1 info\)\.\n$/);
  });

  it('only info hints: healthy, with the hint', () => {
    const f = facts('redis-7.0.15-healthy');
    sentinel(f, 'sentinel-2').clock = { offsetMs: 4000, uncertaintyMs: 2 };
    assert.match(formatReport(f, diagnose(f)), /\nHealthy, with 1 info hint\.\n$/);
  });

  it('JSON: the deployment, every finding, counts and the verdict', () => {
    const f = facts('redis-7.0.15-noauth-stale');
    const j = reportJson(f, diagnose(f));
    assert.equal(j.schemaVersion, INSPECT_SCHEMA_VERSION);
    assert.equal(j.type, 'inspect');
    assert.equal(j.healthy, false);
    assert.deepEqual(j.counts, { critical: 1, warning: 2, info: 0 });
    assert.deepEqual(
      j.deployment.masters[0]?.nodes.map((n) => [n.id, n.role, n.reachable]),
      [
        ['redis-1', 'master', true],
        ['redis-2', 'replica', true],
        ['redis-3', 'replica', true],
        ['redis-4', null, false],
      ],
    );
    assert.deepEqual(
      j.deployment.sentinels.map((s) => [s.id, s.reachable]),
      [
        ['sentinel-1', false],
        ['sentinel-2', true],
        ['sentinel-3', true],
        ['sentinel-4', true],
      ],
    );
    const x = j.findings[0];
    assert.ok(x);
    assert.deepEqual(Object.keys(x), ['id', 'severity', 'master', 'subject', 'title', 'evidence', 'fix', 'lesson']);
    assert.equal(x.id, 'replica-noauth');
    assert.deepEqual(Object.keys(x.evidence[0] ?? {}), ['where', 'saw']);
    assert.equal(JSON.parse(JSON.stringify(j)).findings.length, 3);
  });

  it('strips control characters that came over the network', () => {
    const f = facts('redis-7.0.15-healthy');
    Object.assign(node(f, 'redis-3'), { reachable: false, error: 'WRONGPASS \u001b[2J\u0007bad' });
    const out = formatReport(f, diagnose(f));
    assert.equal(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(out), false);
    assert.match(out, /WRONGPASS \?\[2J\?bad/);
  });
});
