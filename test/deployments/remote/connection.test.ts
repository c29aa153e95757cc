// The remote command path says what happened in plain words, not in the client library's internal ones: a server
// that answers HTTP is "not a Redis server", checked against a real socket that answers like an HTTP server.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { plainError, RemoteConnection } from '../../../src/deployments/remote/connection.js';

describe('plainError', () => {
  it('names a reply that is not RESP, and a closed connection', () => {
    assert.match(
      plainError('Unknown RESP type 72 "H". Please report this.'),
      /^not a Redis server: .*"H".*HTTP server/,
    );
    assert.match(plainError('Unknown RESP type 83 "S". Please report this.'), /^not a Redis server: .*"S"\)$/);
    assert.equal(
      plainError("Stream isn't writeable and enableOfflineQueue options is false"),
      'the server closed the connection',
    );
  });
  it("passes a server's own errors and system errors unchanged", () => {
    for (const t of [
      'NOAUTH Authentication required.',
      'WRONGPASS invalid username-password pair or user is disabled.',
      'connect ECONNREFUSED 127.0.0.1:1',
    ]) {
      assert.equal(plainError(t), t);
    }
  });
});

describe('a server that answers HTTP', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((sock) => {
      sock.on('error', () => {});
      sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const a = server.address();
    port = typeof a === 'object' && a ? a.port : 0;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('is "not a Redis server", not the library\'s "Please report this"', async () => {
    const conn = await RemoteConnection.open({ host: '127.0.0.1', port }, 'redis', {}, { timeoutMs: 1000 });
    try {
      const [r] = await conn.batch([['PING']]);
      assert.ok(r && !r.ok);
      assert.match(r.error, /^not a Redis server/);
      assert.doesNotMatch(r.error, /report this/i);
    } finally {
      conn.close();
    }
  });
});
