import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  quoteValue,
  renderNotificationScript,
  renderRedisConf,
  renderSentinelConf,
  token,
} from '../../../src/cluster/config/render.js';
import { buildTopology, DEFAULT_SHAPE } from '../../../src/cluster/topology.js';

const t = buildTopology(DEFAULT_SHAPE, 6379, 'hosts');
const ids = {
  'sentinel-1': 'a'.repeat(40),
  'sentinel-2': 'b'.repeat(40),
  'sentinel-3': 'c'.repeat(40),
};

describe('config rendering', () => {
  it('renders the master config', () => {
    assert.equal(
      renderRedisConf(t, 'redis-1', { dir: '/run/x/redis-1' }),
      `# redis-1 on host-1, rendered by redis-sentinel-lab. Redis and Sentinel rewrite this file.
port 6379
bind 127.0.1.1
dir "/run/x/redis-1"
daemonize no
logfile ""
loglevel notice
bind-source-addr 127.0.1.1
requirepass "redis"
save ""
appendonly no
repl-diskless-sync yes
repl-diskless-sync-delay 0
repl-timeout 5
repl-ping-replica-period 1
min-replicas-to-write 0
min-replicas-max-lag 10
replica-priority 100
masterauth "redis"
replica-announce-ip 127.0.2.1
replica-announce-port 6379
`,
    );
  });

  it('renders a replica pointing at the master’s public (fabric) address', () => {
    const conf = renderRedisConf(t, 'redis-3', { dir: '/d' });
    assert.match(conf, /^replicaof 127\.0\.2\.1 6379$/m);
    assert.match(conf, /^bind-source-addr 127\.0\.1\.3$/m);
    assert.match(conf, /^masterauth "redis"$/m);
  });

  it('omits masterauth for the pitfall lesson', () => {
    const t2 = buildTopology({ ...DEFAULT_SHAPE, withoutMasterauth: ['redis-1'] }, 6379, 'hosts');
    assert.doesNotMatch(renderRedisConf(t2, 'redis-1', { dir: '/d' }), /masterauth/);
  });

  it('renders a Sentinel with monitor, auth-pass, timings, announce address and pre-seeded state', () => {
    const conf = renderSentinelConf(t, 'sentinel-2', {
      dir: '/d',
      notificationScript: '/d/notify.sh',
      sentinelIds: ids,
    });
    for (const line of [
      'port 6480',
      'bind 127.0.1.2',
      'bind-source-addr 127.0.1.2',
      'sentinel announce-ip 127.0.2.2',
      'sentinel announce-port 6480',
      'sentinel monitor mymaster 127.0.2.1 6379 2',
      'sentinel auth-pass mymaster "redis"',
      'sentinel down-after-milliseconds mymaster 1000',
      'sentinel failover-timeout mymaster 10000',
      'sentinel notification-script mymaster "/d/notify.sh"',
      `sentinel myid ${'b'.repeat(40)}`,
      'sentinel known-replica mymaster 127.0.2.2 6380',
      `sentinel known-sentinel mymaster 127.0.2.1 6479 ${'a'.repeat(40)}`,
      `sentinel known-sentinel mymaster 127.0.2.3 6481 ${'c'.repeat(40)}`,
    ]) {
      assert.ok(conf.split('\n').includes(line), `missing: ${line}\n${conf}`);
    }
    assert.ok(!conf.includes(`known-sentinel mymaster 127.0.2.2 6480`), 'a Sentinel never lists itself');
    assert.ok(!conf.includes('known-replica mymaster 127.0.2.1 6379'), 'the master is not a replica');
  });

  it('without pre-seeded state a Sentinel knows only its master (and its own id): discovery happens for real', () => {
    const fresh = buildTopology({ ...DEFAULT_SHAPE, sentinel: { preseedState: false } }, 6379, 'hosts');
    const conf = renderSentinelConf(fresh, 'sentinel-2', { dir: '/d', sentinelIds: ids });
    assert.doesNotMatch(conf, /known-replica|known-sentinel/);
    const lines = conf.split('\n');
    assert.ok(lines.includes('sentinel monitor mymaster 127.0.2.1 6379 2'), conf);
    assert.ok(lines.includes(`sentinel myid ${'b'.repeat(40)}`), conf);
  });

  it('single-ip mode has no announce or bind-source-addr lines', () => {
    const t1 = buildTopology(DEFAULT_SHAPE, 6379, 'single-ip');
    const conf = renderSentinelConf(t1, 'sentinel-1', { dir: '/d' });
    assert.doesNotMatch(conf, /announce|bind-source-addr/);
    assert.match(conf, /^sentinel monitor mymaster 127\.0\.0\.1 6379 2$/m);
  });

  it('never lets a value inject a directive', () => {
    assert.equal(quoteValue('a"b\\c'), '"a\\"b\\\\c"');
    assert.throws(() => quoteValue('redis\nreplicaof 1.2.3.4 6379'));
    assert.throws(() => quoteValue('x\ry'));
    assert.throws(() => token('mymaster evil'));
    assert.throws(() => token('1.2.3.4\nslaveof'));
    const evil = buildTopology({ ...DEFAULT_SHAPE, password: 'pw"\nreplicaof 10.0.0.1 6379' }, 6379, 'hosts');
    assert.throws(() => renderRedisConf(evil, 'redis-1', { dir: '/d' }));
    const badName = buildTopology({ ...DEFAULT_SHAPE, sentinel: { masterName: 'my master' } }, 6379, 'hosts');
    assert.throws(() => renderSentinelConf(badName, 'sentinel-1', { dir: '/d' }));
  });

  it('the notification script quotes its path for the shell', () => {
    const s = renderNotificationScript("/tmp/it's here/notifications.log");
    assert.match(s, /^#!\/bin\/sh/);
    assert.ok(s.includes(`>> '/tmp/it'\\''s here/notifications.log'`));
  });
});
