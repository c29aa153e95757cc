// --sentinel HOST:PORT[,HOST:PORT…]: hosts, IPv6 in brackets, duplicates dropped, bad input a usage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseSentinels } from '../../../src/commands/sentinel-options.js';

describe('--sentinel', () => {
  it('parses addresses, names and bracketed IPv6; drops duplicates', () => {
    assert.deepEqual(parseSentinels('10.0.0.5:26379, sentinel-2.example:26380,[::1]:26381,10.0.0.5:26379'), [
      { host: '10.0.0.5', port: 26379 },
      { host: 'sentinel-2.example', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
  });

  it('refuses what is not HOST:PORT', () => {
    for (const bad of [
      '',
      ',',
      '10.0.0.5',
      '10.0.0.5:',
      ':26379',
      '10.0.0.5:0',
      '10.0.0.5:70000',
      'a b:1',
      '::1:26379',
      'x:1;rm',
    ]) {
      assert.throws(() => parseSentinels(bad), InvalidArgumentError, JSON.stringify(bad));
    }
  });
});
