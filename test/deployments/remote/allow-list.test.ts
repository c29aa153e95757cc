// The remote deployment's allow-list: the read commands the lab sends pass, everything else is refused, and SENTINEL
// FAILOVER only for the master the person confirmed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCommand, NEVER_SENT } from '../../../src/deployments/remote/allow-list.js';

const ok = (kind: 'redis' | 'sentinel', ...argv: string[]) => checkCommand(kind, argv).ok;

describe('allow-list', () => {
  it('lets through what the probes, subscribers and discovery send', () => {
    for (const argv of [
      ['PING'],
      ['INFO'],
      ['INFO', 'server'],
      ['info', 'replication'],
      ['ROLE'],
      ['TIME'],
      ['DBSIZE'],
      ['HELLO', '3'],
      ['HELLO', '2', 'SETNAME', 'rsl-probe-redis-1'],
      ['CLIENT', 'SETNAME', 'rsl-probe-redis-1'],
      ['client', 'setinfo', 'LIB-VER', '6.0.0'],
      ['CONFIG', 'GET', 'min-replicas-to-write', 'min-replicas-max-lag', 'masterauth'],
      ['QUIT'],
    ]) {
      assert.equal(ok('redis', ...argv), true, argv.join(' '));
    }
    for (const argv of [
      ['SENTINEL', 'MASTERS'],
      ['SENTINEL', 'PRIMARIES'],
      ['SENTINEL', 'MASTER', 'mymaster'],
      ['SENTINEL', 'PRIMARY', 'mymaster'],
      ['SENTINEL', 'REPLICAS', 'mymaster'],
      ['SENTINEL', 'SLAVES', 'mymaster'],
      ['SENTINEL', 'SENTINELS', 'mymaster'],
      ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'],
      ['sentinel', 'get-primary-addr-by-name', 'mymaster'],
      ['SENTINEL', 'CKQUORUM', 'mymaster'],
      ['SENTINEL', 'MYID'],
      ['PSUBSCRIBE', '*'],
      ['INFO', 'sentinel'],
      ['PING'],
    ]) {
      assert.equal(ok('sentinel', ...argv), true, argv.join(' '));
    }
  });

  it('refuses every write and every administrative command, on both kinds of node', () => {
    const writes = [
      ['SHUTDOWN'],
      ['SHUTDOWN', 'NOSAVE'],
      ['DEBUG', 'SLEEP', '30'],
      ['REPLICAOF', 'NO', 'ONE'],
      ['SLAVEOF', '10.0.0.1', '6379'],
      ['CONFIG', 'SET', 'min-replicas-to-write', '1'],
      ['CONFIG', 'REWRITE'],
      ['CONFIG', 'RESETSTAT'],
      ['FLUSHALL'],
      ['SET', 'k', 'v'],
      ['EVAL', "return redis.call('set','k','v')", '0'],
      ['FAILOVER'],
      ['CLIENT', 'KILL', 'TYPE', 'normal'],
      ['CLIENT', 'PAUSE', '1000'],
      ['ACL', 'LIST'],
      ['AUTH', 'secret'],
      ['MULTI'],
      ['SENTINEL', 'SET', 'mymaster', 'quorum', '1'],
      ['SENTINEL', 'RESET', '*'],
      ['SENTINEL', 'REMOVE', 'mymaster'],
      ['SENTINEL', 'MONITOR', 'x', '10.0.0.1', '6379', '2'],
      ['SENTINEL', 'FLUSHCONFIG'],
      ['SENTINEL', 'CONFIG', 'SET', 'announce-ip', '10.0.0.1'],
      ['SENTINEL', 'CONFIG', 'GET', 'sentinel-pass'],
      ['SENTINEL', 'SIMULATE-FAILURE', 'CRASH-AFTER-ELECTION'],
      ['SENTINEL', 'DEBUG', 'tilt-period', '5000'],
      ['SENTINEL', 'IS-MASTER-DOWN-BY-ADDR', '10.0.0.1', '6379', '1', 'abc'],
      ['SENTINEL', 'FAILOVER', 'mymaster'],
      ['PUBLISH', '__sentinel__:hello', 'x'],
      [],
    ];
    for (const kind of ['redis', 'sentinel'] as const) {
      for (const argv of writes) {
        const v = checkCommand(kind, argv);
        assert.equal(v.ok, false, `${kind}: ${argv.join(' ')}`);
        if (!v.ok) assert.match(v.reason, /^refused/);
      }
    }
    for (const name of NEVER_SENT) {
      assert.equal(ok('redis', ...name.split(' '), 'x'), false, name);
      assert.equal(ok('sentinel', ...name.split(' '), 'x'), false, name);
    }
  });

  it('reads CONFIG only by exact name, never a secret or a pattern; no CONFIG GET on a Sentinel', () => {
    assert.equal(ok('redis', 'CONFIG', 'GET', '*'), false);
    assert.equal(ok('redis', 'CONFIG', 'GET', 'min-*'), false);
    assert.equal(ok('redis', 'CONFIG', 'GET', 'save', 'req?irepass'), false);
    assert.equal(ok('redis', 'CONFIG', 'GET', 'requirepass'), false);
    assert.equal(ok('redis', 'CONFIG', 'GET', 'REQUIREPASS'), false);
    assert.equal(ok('redis', 'CONFIG', 'GET'), false);
    assert.equal(ok('sentinel', 'CONFIG', 'GET', 'save'), false);
    assert.equal(ok('sentinel', 'DBSIZE'), false);
    assert.equal(ok('redis', 'PSUBSCRIBE', '*'), false, 'the lab subscribes to Sentinels only');
  });

  it('takes no credentials in HELLO: the command path authenticates itself', () => {
    assert.equal(ok('redis', 'HELLO', '3', 'AUTH', 'default', 'secret'), false);
    assert.equal(ok('redis', 'HELLO', '4'), false);
  });

  it('lets SENTINEL FAILOVER through only when confirmed, for exactly that master', () => {
    const confirmed = { confirmedFailover: 'mymaster' };
    assert.equal(checkCommand('sentinel', ['SENTINEL', 'FAILOVER', 'mymaster'], confirmed).ok, true);
    assert.equal(checkCommand('sentinel', ['sentinel', 'failover', 'mymaster'], confirmed).ok, true);
    assert.equal(checkCommand('sentinel', ['SENTINEL', 'FAILOVER', 'other'], confirmed).ok, false);
    assert.equal(checkCommand('sentinel', ['SENTINEL', 'FAILOVER', 'mymaster', 'COORDINATED'], confirmed).ok, false);
    assert.equal(checkCommand('redis', ['SENTINEL', 'FAILOVER', 'mymaster'], confirmed).ok, false);
    // The confirmation is for the failover only: it opens nothing else.
    assert.equal(checkCommand('sentinel', ['SENTINEL', 'RESET', 'mymaster'], confirmed).ok, false);
    assert.equal(checkCommand('redis', ['CONFIG', 'SET', 'save', ''], confirmed).ok, false);
  });
});
