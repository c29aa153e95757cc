// The gateway's request parser: whole requests out of any chunking, exact raw bytes, malformed input refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeRequest, RequestParser, RespProtocolError } from '../../../src/deployments/remote/resp-request.js';

describe('RESP request parser', () => {
  it('parses pipelined requests split at every byte boundary, with their exact bytes', () => {
    const reqs = [
      ['INFO', 'replication'],
      ['CONFIG', 'GET', 'save'],
      ['PING'],
      ['SET', 'k', 'v with spaces\r\nand CRLF'],
    ];
    const wire = Buffer.concat(reqs.map(encodeRequest));
    for (let size = 1; size <= wire.length; size += size < 8 ? 1 : 7) {
      const p = new RequestParser();
      const got: string[][] = [];
      const raws: Buffer[] = [];
      for (let i = 0; i < wire.length; i += size) {
        for (const r of p.push(wire.subarray(i, i + size))) {
          got.push(r.argv);
          raws.push(r.raw);
        }
      }
      assert.deepEqual(got, reqs, `chunks of ${size}`);
      assert.deepEqual(Buffer.concat(raws), wire);
      assert.equal(p.pending, 0);
    }
  });

  it('keeps an incomplete request until the rest arrives', () => {
    const p = new RequestParser();
    const wire = encodeRequest(['CONFIG', 'GET', 'appendonly']);
    assert.deepEqual(p.push(wire.subarray(0, 20)), []);
    assert.equal(p.pending, 20);
    assert.deepEqual(
      p.push(wire.subarray(20)).map((r) => r.argv),
      [['CONFIG', 'GET', 'appendonly']],
    );
  });

  it('refuses inline commands, bad lengths and missing CRLFs', () => {
    for (const bad of [
      'PING\r\n',
      '*0\r\n',
      '*x\r\n',
      '*1\r\n+PING\r\n',
      '*1\r\n$4\r\nPINGxx',
      '*1\r\n$-5\r\n',
      '*999\r\n',
    ]) {
      assert.throws(() => new RequestParser().push(Buffer.from(bad)), RespProtocolError, JSON.stringify(bad));
    }
    assert.throws(() => new RequestParser().push(Buffer.from(`*1\r\n$${(1 << 20) + 1}\r\n`)), RespProtocolError);
  });
});
