// Config rendering under hostile topology values: every value is either quoted so that Redis reads it back as the
// same single argument, or refused. Rendered files are re-read with a port of Redis's own tokenizer (sdssplitargs),
// so "no value can inject a directive" is checked the way redis-server would parse the file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  renderNotificationScript,
  renderRedisConf,
  renderSentinelConf,
  shellQuote,
} from '../../src/cluster/config/render.js';
import { buildTopology, DEFAULT_SHAPE, type Topology, type TopologyShape } from '../../src/cluster/topology.js';
import { InternalError } from '../../src/errors.js';

/** redis/src/sds.c sdssplitargs, for one config line: the arguments, or undefined where Redis reports an error. */
export function splitArgs(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c !== undefined && /^[ \n\r\t\v\f]$/.test(c);
  const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
  for (;;) {
    while (isSpace(line[i])) i++;
    if (i >= line.length) return out;
    let cur = '';
    let inq = false;
    let insq = false;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inq) {
        if (c === '\\' && line[i + 1] === 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
          cur += String.fromCharCode(Number.parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < line.length) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else cur += c;
      } else if (insq) {
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < line.length && !isSpace(line[i + 1])) return undefined;
          done = true;
        } else if (c === undefined) {
          return undefined;
        } else cur += c;
      } else if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') {
        done = true;
      } else if (c === '"') inq = true;
      else if (c === "'") insq = true;
      else cur += c;
      if (i < line.length) i++;
    }
    out.push(cur);
  }
}

/** Reads a config the way loadServerConfigFromString does: one directive per non-comment line. */
export function parseConf(text: string): string[][] {
  const lines: string[][] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const args = splitArgs(line);
    assert.ok(args, `Redis would refuse this line: ${JSON.stringify(line)}`);
    lines.push(args);
  }
  return lines;
}

const IDS = { 'sentinel-1': 'a'.repeat(40), 'sentinel-2': 'b'.repeat(40), 'sentinel-3': 'c'.repeat(40) };
const CTX = { dir: '/run/x/node', notificationScript: '/run/x/node/notify.sh', sentinelIds: IDS };

function topo(shape: Partial<TopologyShape> = {}): Topology {
  return buildTopology({ ...DEFAULT_SHAPE, ...shape }, 6379, 'hosts');
}

const directives = (conf: string) => parseConf(conf).map((a) => (a[0] === 'sentinel' ? `sentinel ${a[1]}` : a[0]));
const benignRedis = directives(renderRedisConf(topo(), 'redis-2', CTX));
const benignSentinel = directives(renderSentinelConf(topo(), 'sentinel-1', CTX));

// Printable but hostile: each must come back as exactly one argument, and add no directive.
const PRINTABLE_HOSTILE = [
  'redis" replicaof 1.2.3.4 6379 "x',
  'a\\" b',
  'back\\slash\\',
  '\\x41\\n',
  "single'quote",
  '#not-a-comment',
  '$(reboot)`id`;|&<>*?',
  ' leading and trailing ',
  'pässwörd-ünïcode-密码',
  'line\u2028separator\u2029',
  '"',
  '\\',
];

// Anything that would end a line or confuse a terminal/parser is refused outright.
const CONTROL = ['redis"\nreplicaof 1.2.3.4 6379', 'a\rb', 'nul\u0000byte', 'esc\u001b[2J', 'del\u007f', 'tab\there'];

describe('renderRedisConf / renderSentinelConf with hostile values', () => {
  for (const pw of PRINTABLE_HOSTILE) {
    it(`password ${JSON.stringify(pw)} is one argument everywhere it appears`, () => {
      const t = topo({ password: pw });
      const r = parseConf(renderRedisConf(t, 'redis-2', CTX));
      assert.deepEqual(directives(renderRedisConf(t, 'redis-2', CTX)), benignRedis, 'no directive added or lost');
      assert.deepEqual(
        r.find((a) => a[0] === 'requirepass'),
        ['requirepass', pw],
      );
      assert.deepEqual(
        r.find((a) => a[0] === 'masterauth'),
        ['masterauth', pw],
      );
      const s = parseConf(renderSentinelConf(t, 'sentinel-1', CTX));
      assert.deepEqual(directives(renderSentinelConf(t, 'sentinel-1', CTX)), benignSentinel);
      assert.deepEqual(
        s.find((a) => a[0] === 'sentinel' && a[1] === 'auth-pass'),
        ['sentinel', 'auth-pass', 'mymaster', pw],
      );
    });
  }

  for (const pw of CONTROL) {
    it(`password ${JSON.stringify(pw)} is refused`, () => {
      const t = topo({ password: pw });
      assert.throws(() => renderRedisConf(t, 'redis-1', CTX), InternalError);
      assert.throws(() => renderSentinelConf(t, 'sentinel-1', CTX), InternalError);
    });
  }

  for (const name of ['my master', 'm"x', "m'x", 'm\nsentinel monitor evil 1.2.3.4 6379 1', 'm#x', 'm;x', '', 'm\\x']) {
    it(`masterName ${JSON.stringify(name)} is refused (a bare token, never quoted)`, () => {
      const t = topo({ sentinel: { masterName: name } });
      assert.throws(() => renderSentinelConf(t, 'sentinel-1', CTX), InternalError);
    });
  }

  for (const dir of ['/tmp/a b/"c"/d', "/tmp/it's", '/tmp/$(x)/`y`', '/tmp/#hash']) {
    it(`dir and script paths ${JSON.stringify(dir)} come back verbatim`, () => {
      const ctx = { ...CTX, dir, notificationScript: `${dir}/notify.sh` };
      const r = parseConf(renderRedisConf(topo(), 'redis-1', ctx));
      assert.deepEqual(
        r.find((a) => a[0] === 'dir'),
        ['dir', dir],
      );
      const s = parseConf(renderSentinelConf(topo(), 'sentinel-2', ctx));
      assert.deepEqual(
        s.find((a) => a[0] === 'dir'),
        ['dir', dir],
      );
      assert.deepEqual(
        s.find((a) => a[1] === 'notification-script'),
        ['sentinel', 'notification-script', 'mymaster', `${dir}/notify.sh`],
      );
    });
  }

  it('an empty password is refused (`requirepass ""` turns authentication off)', () => {
    assert.throws(() => renderRedisConf(topo({ password: '' }), 'redis-1', CTX), InternalError);
  });

  it('a dir with a newline is refused', () => {
    assert.throws(() => renderRedisConf(topo(), 'redis-1', { dir: '/tmp/a\nreplicaof 1.2.3.4 6379' }), InternalError);
  });

  it('numbers that are not non-negative safe integers are refused', () => {
    const bad: Array<Partial<TopologyShape>> = [
      { sentinel: { quorum: Number.NaN } },
      { sentinel: { downAfterMs: -1 } },
      { sentinel: { failoverTimeoutMs: 1.5 } },
      { sentinel: { parallelSyncs: Number.POSITIVE_INFINITY } },
      { replication: { replTimeoutSec: 2 ** 60 } },
      { replication: { minReplicasToWrite: Number.NaN } },
    ];
    for (const shape of bad) {
      const t = topo(shape);
      assert.throws(
        () => {
          renderRedisConf(t, 'redis-2', CTX);
          renderSentinelConf(t, 'sentinel-1', CTX);
        },
        InternalError,
        JSON.stringify(shape),
      );
    }
  });

  it('hostile addresses and ids (a mutated topology) are refused', () => {
    const t = topo();
    const h = t.hosts[0];
    assert.ok(h);
    h.ip = '127.0.1.1 6379\nreplicaof 1.2.3.4';
    assert.throws(() => renderRedisConf(t, 'redis-1', CTX), InternalError);
    const t2 = topo();
    const n = t2.nodes[1];
    assert.ok(n);
    n.port = 6380.5;
    assert.throws(() => renderRedisConf(t2, 'redis-2', CTX), InternalError);
    assert.throws(
      () => renderSentinelConf(topo(), 'sentinel-1', { ...CTX, sentinelIds: { ...IDS, 'sentinel-1': 'x\nsentinel' } }),
      InternalError,
    );
  });
});

describe('the notification script with hostile paths and arguments', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-notify-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('quotes its log path and arguments: nothing is executed, everything lands in the log', () => {
    const dir = join(tmp, `a'b $(touch pwned1) "c" \`touch pwned2\``);
    mkdirSync(dir, { recursive: true });
    const log = join(dir, 'notifications.log');
    const script = join(dir, 'notify.sh');
    writeFileSync(script, renderNotificationScript(log), { mode: 0o700 });
    const r = spawnSync('/bin/sh', [script, '+sdown', 'master mymaster $(touch pwned3) `touch pwned4`; touch pwned5'], {
      cwd: tmp,
    });
    assert.equal(r.status, 0, r.stderr.toString());
    assert.match(
      readFileSync(log, 'utf8'),
      /^\d+ \+sdown master mymaster \$\(touch pwned3\) `touch pwned4`; touch pwned5\n$/,
    );
    for (const d of [tmp, dir])
      assert.deepEqual(
        readdirSync(d).filter((f) => f.startsWith('pwned')),
        [],
      );
    assert.equal(existsSync(join(process.cwd(), 'pwned1')), false);
  });

  it('shellQuote round-trips through sh for every printable ASCII character', () => {
    let all = '';
    for (let c = 32; c < 127; c++) all += String.fromCharCode(c);
    const r = spawnSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(all)}`]);
    assert.equal(r.stdout.toString(), all);
  });
});
