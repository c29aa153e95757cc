// The catalog's command-line form (`do <kind> …`): positional arguments and --options become the same LabAction a
// key or a lesson entry is, validated by the kind's schema; every mistake is a usage error (exit 2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTION_KINDS } from '../../src/actions/catalog.js';
import { actionUsage, parseActionArgs, parseNumberWord } from '../../src/actions/cli.js';
import { UserError } from '../../src/errors.js';

function usageError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, message);
    return true;
  });
}

describe('do <action> arguments', () => {
  it('takes the schema fields in order', () => {
    assert.deepEqual(parseActionArgs('kill', ['redis-1']), { kind: 'kill', node: 'redis-1' });
    assert.deepEqual(parseActionArgs('isolate', ['host-3']), { kind: 'isolate', host: 'host-3' });
    assert.deepEqual(parseActionArgs('write', ['A', 'age', '222']), {
      kind: 'write',
      client: 'A',
      key: 'age',
      value: '222',
    });
    assert.deepEqual(parseActionArgs('failover', []), { kind: 'failover' });
  });

  it('reads durations with units for millisecond fields, and options by name', () => {
    assert.deepEqual(parseActionArgs('latency', ['host-1', 'host-2', '100ms']), {
      kind: 'latency',
      from: 'host-1',
      to: 'host-2',
      latencyMs: 100,
    });
    assert.deepEqual(parseActionArgs('latency', ['host-1', 'host-2', '1.5s', '--jitter-ms', '20', '--both-ways=no']), {
      kind: 'latency',
      from: 'host-1',
      to: 'host-2',
      latencyMs: 1500,
      jitterMs: 20,
      bothWays: false,
    });
    assert.deepEqual(parseActionArgs('isolate', ['host-3', '--mode', 'reject']), {
      kind: 'isolate',
      host: 'host-3',
      mode: 'reject',
    });
    assert.equal(parseNumberWord('2m', 'latencyMs'), 120_000);
  });

  it('partition groups are comma lists; heal alone heals everything', () => {
    assert.deepEqual(parseActionArgs('partition', ['host-1,host-2', 'host-3,host-4,host-5']), {
      kind: 'partition',
      groups: [
        ['host-1', 'host-2'],
        ['host-3', 'host-4', 'host-5'],
      ],
    });
    assert.deepEqual(parseActionArgs('heal', []), { kind: 'heal-all' });
    assert.deepEqual(parseActionArgs('heal', ['f2']), { kind: 'heal', fault: 'f2' });
  });

  it('refuses mistakes as usage errors that name them', () => {
    usageError(() => parseActionArgs('frobnicate', []), /unknown action "frobnicate"/);
    usageError(() => parseActionArgs('kill', []), /node: missing/);
    usageError(() => parseActionArgs('kill', ['redis-1', 'redis-2']), /too many arguments: redis-2/);
    usageError(() => parseActionArgs('kill', ['host-1']), /node id/);
    usageError(() => parseActionArgs('latency', ['host-1', 'host-2', 'fast']), /latencyMs: "fast" is not a number/);
    usageError(() => parseActionArgs('latency', ['host-1', 'host-2', '99999999']), /at most/);
    usageError(() => parseActionArgs('isolate', ['host-3', '--speed', '3']), /unknown option --speed/);
    usageError(() => parseActionArgs('sentinel-set', ['quorum', '99']), /between 1 and 9/);
    usageError(() => parseActionArgs('write', ['C', 'k', 'v']), /client must be "A" or "B"/);
  });

  it('takes a trailing word after the partition groups as the mode when it names one, as the usage line writes it', () => {
    for (const mode of ['drop', 'reject'] as const) {
      assert.deepEqual(parseActionArgs('partition', ['host-1', 'host-2,host-3', mode]), {
        kind: 'partition',
        groups: [['host-1'], ['host-2', 'host-3']],
        mode,
      });
    }
    assert.deepEqual(parseActionArgs('partition', ['outside', 'host-2']), {
      kind: 'partition',
      groups: [['outside'], ['host-2']],
    });
    usageError(
      () => parseActionArgs('partition', ['host-1', 'host-2', 'reject', '--mode', 'drop']),
      /mode is given twice/,
    );
    // A lone group and a mode is still one group too few.
    usageError(
      () => parseActionArgs('partition', ['host-1', 'reject']),
      /^groups: a partition needs at least 2 groups$/,
    );
  });

  it('names a bad group by its number and words, not by a path inside the action', () => {
    usageError(
      () => parseActionArgs('partition', ['host-1', 'host-2', 'rejct']),
      /^group 3 \(rejct\): must be a host id like "host-3" or "outside"$/,
    );
    usageError(
      () => parseActionArgs('partition', ['host-1,bad', 'host-2']),
      /^group 1 \(host-1,bad\): must be a host id/,
    );
  });

  it('says how low a number may go, rather than calling a negative number not a number', () => {
    usageError(() => parseActionArgs('latency', ['host-1', 'host-2', '-5']), /^latencyMs must be at least 0 ms$/);
    usageError(() => parseActionArgs('wait', ['A', 'k', 'v', '-1', '100']), /^replicas must be at least 0$/);
    usageError(() => parseActionArgs('replica-priority', ['redis-2', '-1']), /^priority must be at least 0$/);
    usageError(() => parseActionArgs('latency', ['host-1', 'host-2', '-1s']), /^latencyMs must be at least 0 ms$/);
    assert.equal(parseNumberWord('-1.5s', 'latencyMs'), -1500);
  });

  it('says one thing per argument, once', () => {
    usageError(() => parseActionArgs('write', ['A', '', 'x']), /^key must not be empty$/);
    usageError(
      () => parseActionArgs('client-target', ['A', 'pinned']),
      /^target must be "sentinel" or a Redis node id like "redis-2"$/,
    );
    assert.deepEqual(parseActionArgs('client-target', ['A', 'sentinel']), {
      kind: 'client-target',
      client: 'A',
      target: 'sentinel',
    });
    assert.deepEqual(parseActionArgs('client-target', ['B', 'redis-3']), {
      kind: 'client-target',
      client: 'B',
      target: 'redis-3',
    });
  });

  it('explains the hosts a fault takes, outside included, under its usage line', () => {
    const [line, note] = actionUsage('partition').split('\n');
    assert.equal(line, 'do partition <groups…> [drop|reject]');
    assert.match(note ?? '', /host-1,host-2/);
    assert.match(note ?? '', /outside = any caller on no lab host/);
    for (const k of ['cut', 'latency', 'bandwidth'] as const) {
      assert.match(actionUsage(k), /\n {6}\(from, to: host-N or outside = any caller on no lab host/, k);
    }
    // isolate takes a lab host only.
    assert.equal(actionUsage('isolate'), 'do isolate <host> [drop|reject]');
  });

  it('every catalog kind has a usage line', () => {
    for (const k of ACTION_KINDS) assert.match(actionUsage(k), new RegExp(`^do ${k}\\b`));
    assert.equal(actionUsage('kill'), 'do kill <node>');
    assert.equal(actionUsage('heal'), 'do heal [fault]');
  });
});
