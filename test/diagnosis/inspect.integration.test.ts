// `inspect --json` against deployments the lab did not start (plain redis-server processes, configs written by hand
// in test/helpers/foreign-deployment.ts): nothing on the healthy one, and on each planted one exactly the planted
// problems, each with its evidence, fix and lesson. Exit 0 healthy, 1 findings, 2 usage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InspectReportSchema } from '../../src/diagnosis/report-schema.js';
import { runCli } from '../helpers/cli.js';
import { type ForeignDeployment, type ForeignOptions, startForeignDeployment } from '../helpers/foreign-deployment.js';
import { eventually } from '../helpers/wait.js';

interface Report {
  healthy: boolean;
  findings: Array<{
    id: string;
    severity: string;
    subject: string | null;
    title: string;
    evidence: Array<{ where: string; saw: string }>;
    fix: string[];
    lesson: string;
  }>;
  deployment: { masters: Array<{ nodes: Array<{ id: string; address: string }> }> };
}

const cwd = mkdtempSync(join(tmpdir(), 'rsl-inspect-cwd-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

async function inspect(d: ForeignDeployment, ...extra: string[]) {
  const r = await runCli(
    ['inspect', '--sentinel', d.sentinelArg, '--password-env', 'RSL_PW', ...extra],
    { RSL_PW: d.password },
    30_000,
    { cwd },
  );
  return r;
}

async function inspectJson(d: ForeignDeployment): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await inspect(d, '--json');
  assert.equal(r.stdout.split('\n').length, 1, `one JSON document:\n${r.stdout}\n${r.stderr}`);
  // The documented schema (docs/json.md) holds for every real report.
  InspectReportSchema.parse(JSON.parse(r.stdout));
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

/** One planted deployment: started once, inspected once, each finding checked by its own test. */
function planted(
  name: string,
  opts: ForeignOptions,
  settle: (d: ForeignDeployment) => Promise<unknown>,
  expected: string[],
) {
  const ctx: { d?: ForeignDeployment; code?: number | null; report?: Report } = {};
  describe(name, () => {
    before(async () => {
      ctx.d = await startForeignDeployment(opts);
      await settle(ctx.d);
      const r = await inspectJson(ctx.d);
      ctx.code = r.code;
      ctx.report = r.report;
    });
    after(async () => {
      await ctx.d?.cleanup();
    });
    it(`finds exactly ${expected.join(', ')} and exits 1`, () => {
      assert.deepEqual(
        ctx.report?.findings.map((f) => f.id).sort(),
        [...expected].sort(),
        JSON.stringify(ctx.report?.findings, null, 2),
      );
      assert.equal(ctx.code, 1);
      assert.equal(ctx.report?.healthy, false);
    });
  });
  return ctx;
}

function finding(ctx: { report?: Report }, id: string) {
  const f = ctx.report?.findings.find((x) => x.id === id);
  assert.ok(f, `${id} in ${JSON.stringify(ctx.report?.findings.map((x) => x.id))}`);
  return f;
}

/**
 * Every Sentinel sees its real peers healthy (flags exactly "sentinel"). Right after start a Sentinel has not yet
 * connected to the peers its config names, and one with a short down-after flags them s_down until it has: a state
 * inspect would rightly report, but not the one planted.
 */
function peersSettled(d: ForeignDeployment) {
  const real = new Set(d.sentinels.map((s) => s.port));
  return eventually(
    async () => {
      for (const s of d.sentinels) {
        const peers = (await d.sentinelList(s, 'SENTINELS')).filter((p) => real.has(Number(p.port)));
        if (peers.length !== d.sentinels.length - 1 || peers.some((p) => p.flags !== 'sentinel')) return false;
      }
      return true;
    },
    { timeoutMs: 15_000, what: 'every Sentinel connected to its peers' },
  );
}

const port = (d: ForeignDeployment | undefined, which: 'master' | number) => {
  assert.ok(d);
  return which === 'master' ? d.master.port : (d.replicas[which]?.port ?? 0);
};

describe('inspect on deployments the lab did not start', () => {
  describe('healthy', () => {
    let d: ForeignDeployment;
    before(async () => {
      // Also a least-privilege user on the Sentinels, after redis.io's Sentinel ACL example: no SENTINEL MASTERS.
      d = await startForeignDeployment({
        sentinelConf: [
          'user inspector on >inspector-pw -@all +ping +info +client|setname +sentinel|master +sentinel|replicas +sentinel|sentinels +sentinel|get-master-addr-by-name +sentinel|myid +sentinel|ckquorum',
        ],
      });
      await peersSettled(d);
    });
    after(() => d?.cleanup());

    it('finds nothing and exits 0; the human report says so', async () => {
      const { code, report } = await inspectJson(d);
      assert.deepEqual(report.findings, []);
      assert.equal(report.healthy, true);
      assert.equal(code, 0);
      assert.deepEqual(
        report.deployment.masters[0]?.nodes.map((n) => `${n.id} ${n.address}`),
        [d.master, ...d.replicas].map((n, i) => `redis-${i + 1} 127.0.0.1:${n.port}`),
      );
      const human = await inspect(d);
      assert.equal(human.code, 0);
      assert.match(human.stdout, /Healthy: no findings\.$/);
    });

    it('a data node given as a Sentinel: named as not a Sentinel, and not counted as one', async () => {
      const master = `127.0.0.1:${d.master.port}`;
      // The data nodes' password for the Sentinel connections too, so the data node answers INFO (these Sentinels
      // have none: they take the AUTH as a no-op).
      const pw = ['--password-env', 'RSL_PW', '--sentinel-password-env', 'RSL_PW'];
      const alone = await runCli(['inspect', '--sentinel', master, ...pw], { RSL_PW: d.password }, 30_000, { cwd });
      assert.equal(alone.code, 1);
      assert.match(alone.stderr, new RegExp(`Not a Sentinel: ${master} \\(standalone\\) answers as a Redis data node`));
      const mixed = await runCli(
        ['inspect', '--sentinel', `${master},${d.sentinelArg}`, ...pw, '--json'],
        { RSL_PW: d.password },
        30_000,
        { cwd },
      );
      assert.equal(mixed.code, 1);
      const report = InspectReportSchema.parse(JSON.parse(mixed.stdout));
      assert.equal(report.deployment.sentinels.length, 3);
      assert.deepEqual(
        report.findings.map((f) => f.id),
        ['sentinel-unreachable'],
      );
      assert.match(report.findings[0]?.title ?? '', new RegExp(`^${master}, given with --sentinel, is not a Sentinel`));
    });

    it('a password-protected replica given as a Sentinel: named as that data node, not a Sentinel asking for a password', async () => {
      const replica = `127.0.0.1:${d.replicas[0]?.port}`;
      // Only the data nodes' password: the replica refuses the Sentinel connection's login, as a Sentinel with a
      // requirepass would, but the Sentinels list its address as a replica.
      const r = await runCli(
        ['inspect', '--sentinel', `${d.sentinelArg},${replica}`, '--password-env', 'RSL_PW', '--json'],
        { RSL_PW: d.password },
        30_000,
        { cwd },
      );
      assert.equal(r.code, 1, r.stderr);
      const report = InspectReportSchema.parse(JSON.parse(r.stdout));
      assert.equal(report.deployment.sentinels.length, 3);
      assert.ok(!report.deployment.sentinels.some((s) => s.address === replica), JSON.stringify(report.deployment));
      assert.deepEqual(
        report.findings.map((f) => f.id),
        ['sentinel-unreachable'],
      );
      assert.equal(
        report.findings[0]?.title,
        `${replica}, given with --sentinel, is not a Sentinel: it is a data node (redis-2 of ${d.masterName})`,
      );
      assert.match(report.findings[0]?.fix[0] ?? '', /^# Drop .* from --sentinel/);
      const human = await runCli(
        ['inspect', '--sentinel', `${d.sentinelArg},${replica}`, '--password-env', 'RSL_PW'],
        { RSL_PW: d.password },
        30_000,
        { cwd },
      );
      assert.match(human.stdout, /Sentinels: 3 of 3 answer/, human.stdout);
      assert.doesNotMatch(human.stdout, /credentials-refused|asks for a password/, human.stdout);
    });

    it('a Sentinel ACL user without SENTINEL MASTERS is enough with --master-name', async () => {
      const flags = ['--sentinel-user', 'inspector', '--sentinel-password-env', 'RSL_SPW', '--json'];
      const denied = await runCli(
        ['inspect', '--sentinel', d.sentinelArg, '--password-env', 'RSL_PW', ...flags],
        { RSL_PW: d.password, RSL_SPW: 'inspector-pw' },
        30_000,
        { cwd },
      );
      assert.equal(denied.code, 1);
      assert.match(denied.stderr, /monitor no master/);
      const named = await runCli(
        ['inspect', '--sentinel', d.sentinelArg, '--password-env', 'RSL_PW', '--master-name', 'mymaster', ...flags],
        { RSL_PW: d.password, RSL_SPW: 'inspector-pw' },
        30_000,
        { cwd },
      );
      assert.equal(named.code, 0, named.stderr);
      const report = InspectReportSchema.parse(JSON.parse(named.stdout));
      assert.deepEqual(report.findings, []);
      assert.deepEqual(
        report.deployment.masters.map((m) => m.nodes.length),
        [3],
      );
    });
  });

  const risks = planted(
    'min-replicas 0, persistence off, every replica priority 0, down-after 61 s, a Sentinel in TILT',
    {
      masterConf: ['min-replicas-to-write 0', 'appendonly no'],
      replicaConf: { 0: ['replica-priority 0'], 1: ['replica-priority 0'] },
      downAfterMs: 61_000,
    },
    async (d) => {
      await peersSettled(d);
      const s = d.sentinels[0];
      assert.ok(s);
      // TILT: the Sentinel's timer sees more than 2 s between two ticks (redis.io: Sentinel, TILT mode).
      d.pause(s);
      await new Promise((r) => setTimeout(r, 2500));
      d.resume(s);
      await eventually(async () => (await d.info(s, 'sentinel')).sentinel_tilt === '1', {
        timeoutMs: 5000,
        what: 'TILT',
      });
    },
    ['min-replicas-off', 'persistence-off', 'no-promotable-replica', 'down-after-too-high', 'sentinel-tilt'],
  );
  describe('… each finding', () => {
    it('min-replicas-off: CONFIG GET on the master, CONFIG SET as the fix, bounded-loss', () => {
      const f = finding(risks, 'min-replicas-off');
      assert.deepEqual(f.evidence[0], {
        where: `redis-1 (127.0.0.1:${port(risks.d, 'master')}) CONFIG GET min-replicas-to-write`,
        saw: '0',
      });
      assert.equal(f.fix[0], `redis-cli -h 127.0.0.1 -p ${port(risks.d, 'master')} CONFIG SET min-replicas-to-write 1`);
      assert.equal(f.lesson, 'bounded-loss');
    });
    it('persistence-off: save "" and appendonly no; AOF or master-reboot-down-after-period (7.0.15 has it)', () => {
      const f = finding(risks, 'persistence-off');
      assert.deepEqual(
        f.evidence.slice(0, 2).map((e) => e.saw),
        ['""', 'no'],
      );
      assert.match(f.fix[0] ?? '', /CONFIG SET appendonly yes/);
      assert.equal(f.fix.filter((l) => /SENTINEL SET mymaster master-reboot-down-after-period/.test(l)).length, 3);
      assert.equal(f.lesson, 'reboot');
    });
    it('no-promotable-replica: slave-priority 0 on both replicas, critical', () => {
      const f = finding(risks, 'no-promotable-replica');
      assert.equal(f.severity, 'critical');
      assert.deepEqual(
        f.evidence.map((e) => e.saw.replace(/:\d+/, ':P')),
        [
          'redis-2 (127.0.0.1:P) slave-priority 0 (its INFO: slave_priority:0)',
          'redis-3 (127.0.0.1:P) slave-priority 0 (its INFO: slave_priority:0)',
        ],
      );
      assert.match(f.fix[0] ?? '', /CONFIG SET replica-priority 100/);
      assert.equal(f.lesson, 'no-good-replica');
    });
    it('down-after-too-high: on every Sentinel', () => {
      const f = finding(risks, 'down-after-too-high');
      assert.deepEqual(
        f.evidence.map((e) => e.saw),
        Array(3).fill('down-after-milliseconds 61000'),
      );
      assert.equal(f.lesson, 'timing');
    });
    it('sentinel-tilt: INFO sentinel of the paused Sentinel', () => {
      const f = finding(risks, 'sentinel-tilt');
      assert.equal(f.subject, `sentinel-1 (127.0.0.1:${risks.d?.sentinels[0]?.port})`);
      assert.match(f.evidence[0]?.saw ?? '', /^sentinel_tilt:1 sentinel_tilt_since_seconds:\d+$/);
      assert.equal(f.lesson, 'tilt');
    });
  });

  const auth = planted(
    'a replica without masterauth, a replica and a Sentinel that no longer exist',
    { withoutMasterauth: [1], ghostReplicas: 1, ghostSentinels: 1, downAfterMs: 2000 },
    async (d) => {
      await peersSettled(d);
      await eventually(
        async () => {
          const s = d.sentinels[0] ?? d.master;
          const r = await d.sentinelList(s, 'REPLICAS');
          const p = await d.sentinelList(s, 'SENTINELS');
          return r.some((x) => x.flags?.includes('s_down')) && p.some((x) => x.flags?.includes('s_down'));
        },
        { timeoutMs: 15_000, what: 'the ghosts flagged s_down' },
      );
    },
    ['replica-noauth', 'stale-replica', 'stale-sentinel'],
  );
  describe('… each finding', () => {
    it('replica-noauth: link down, masterauth empty, the master demands a password, Sentinel says err', () => {
      const f = finding(auth, 'replica-noauth');
      const p = port(auth.d, 1);
      assert.equal(f.subject, `redis-3 (127.0.0.1:${p})`);
      const seen = f.evidence.map((e) => `${e.where}: ${e.saw}`).join('\n');
      assert.match(seen, /INFO replication: .*master_link_status:down/);
      assert.match(seen, /CONFIG GET masterauth: empty/);
      assert.match(seen, /PING without credentials: NOAUTH/);
      assert.match(seen, /SENTINEL REPLICAS mymaster: 127\.0\.0\.1:\d+ master-link-status err/);
      assert.equal(
        f.fix[0],
        `redis-cli -h 127.0.0.1 -p ${p} CONFIG SET masterauth <password>   # Valkey: primaryauth (masterauth is accepted too)`,
      );
      assert.equal(f.lesson, 'masterauth');
    });
    it('stale-replica: the ghost, s_down on every Sentinel, SENTINEL RESET one at a time', () => {
      const f = finding(auth, 'stale-replica');
      assert.equal(f.subject, `redis-4 (127.0.0.1:${auth.d?.ghostPorts[0]})`);
      assert.ok(f.evidence.filter((e) => /s_down,slave,disconnected/.test(e.saw)).length >= 3);
      assert.equal(f.fix.filter((l) => / SENTINEL RESET mymaster/.test(l)).length, 3);
      assert.equal(f.lesson, 'stale-state');
    });
    it('stale-sentinel: the ghost Sentinel', () => {
      const f = finding(auth, 'stale-sentinel');
      assert.match(f.title, new RegExp(`127\\.0\\.0\\.1:${auth.d?.ghostPorts[1]}`));
      assert.ok(f.evidence.some((e) => /s_down,sentinel,disconnected/.test(e.saw)));
      assert.equal(f.lesson, 'stale-state');
    });
  });

  const addr = planted(
    'a replica announcing a port nothing listens on, down-after 800 ms on one Sentinel, quorum 4 of 3',
    { announceUnreachable: [1], quorum: 4, downAfterMs: [800, 5000, 5000] },
    async (d) => {
      await peersSettled(d);
      await eventually(
        async () =>
          (await d.sentinelList(d.sentinels[0] ?? d.master, 'REPLICAS')).some((x) => x.flags?.includes('disconnected')),
        { timeoutMs: 10_000, what: 'Sentinel failing to reach the announced address' },
      );
    },
    ['announced-address-unreachable', 'down-after-too-low', 'quorum-unreachable', 'sentinel-settings-differ'],
  );
  describe('… each finding', () => {
    it('announced-address-unreachable: listed by the master at the announced port, which refuses', () => {
      const f = finding(addr, 'announced-address-unreachable');
      const announced = addr.d?.ghostPorts[0];
      assert.match(f.evidence[0]?.saw ?? '', new RegExp(`^ip=127\\.0\\.0\\.1,port=${announced},state=online$`));
      assert.ok(f.evidence.some((e) => /ECONNREFUSED/.test(e.saw)));
      assert.ok(f.fix.includes('replica-announce-port <its reachable port>'));
      assert.equal(f.lesson, 'announce');
    });
    it('down-after-too-low: only sentinel-1', () => {
      const f = finding(addr, 'down-after-too-low');
      assert.match(f.title, /on sentinel-1:/);
      assert.deepEqual(
        f.evidence.map((e) => e.saw),
        ['down-after-milliseconds 800'],
      );
    });
    it('quorum-unreachable: CKQUORUM says NOQUORUM, the fix sets a reachable quorum', () => {
      const f = finding(addr, 'quorum-unreachable');
      assert.ok(f.evidence.some((e) => /NOQUORUM 3 usable Sentinels/.test(e.saw)));
      assert.match(f.fix[0] ?? '', /SENTINEL SET mymaster quorum 2$/);
      assert.equal(f.lesson, 'quorum');
    });
  });

  const split = planted(
    'one Sentinel monitoring a replica as the master',
    { sentinelMonitors: { 2: 1 } },
    async (d) => {
      await peersSettled(d);
      await eventually(
        async () => (await d.sentinelFields(d.sentinels[2] ?? d.master, 'MASTER')).port === String(d.replicas[0]?.port),
        { timeoutMs: 5000 },
      );
    },
    ['sentinels-disagree'],
  );
  describe('… each finding', () => {
    it('sentinels-disagree: who names what, and the fix for sentinel-3 only', () => {
      const f = finding(split, 'sentinels-disagree');
      const s3 = split.d?.sentinels[2]?.port;
      assert.match(f.evidence[2]?.saw ?? '', /^redis-2 \(127\.0\.0\.1:\d+\), which reports role replica/);
      assert.deepEqual(f.fix.slice(0, 2), [
        `redis-cli -h 127.0.0.1 -p ${s3} SENTINEL REMOVE mymaster`,
        `redis-cli -h 127.0.0.1 -p ${s3} SENTINEL MONITOR mymaster 127.0.0.1 ${port(split.d, 'master')} 2`,
      ]);
      assert.equal(f.lesson, 'hello-epochs');
    });
  });

  describe('usage and unreachable', () => {
    it('exit 2 without --sentinel or with a bad one; exit 1 when no Sentinel answers', async () => {
      const none = await runCli(['inspect'], {}, 30_000, { cwd });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /inspect needs --sentinel HOST:PORT/);
      const bad = await runCli(['inspect', '--sentinel', 'nohost'], {}, 30_000, { cwd });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /"nohost" is not HOST:PORT/);
      const unset = await runCli(
        ['inspect', '--sentinel', '127.0.0.1:1', '--password-env', 'RSL_NOT_SET'],
        {},
        30_000,
        { cwd },
      );
      assert.equal(unset.code, 2);
      assert.match(unset.stderr, /RSL_NOT_SET is not set/);
      const gone = await runCli(['inspect', '--sentinel', '127.0.0.1:1'], {}, 30_000, { cwd });
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /No Sentinel answered: 127\.0\.0\.1:1: connect ECONNREFUSED/);
    });
  });
});
