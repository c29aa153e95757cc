import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  binaryCandidates,
  chooseClient,
  isSupportedVersion,
  parseServerVersion,
  resolveServerBinary,
} from '../../../src/cluster/process/binaries.js';
import { UserError } from '../../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'rsl-bin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeServer(name: string, versionLine: string): string {
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\necho "${versionLine}"\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('finding redis-server', () => {
  it('parses Redis and Valkey version lines', () => {
    assert.deepEqual(parseServerVersion('Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64'), {
      flavor: 'redis',
      version: '7.0.15',
      major: 7,
      minor: 0,
    });
    assert.equal(parseServerVersion('Valkey server v=8.0.1 sha=00000000:0')?.flavor, 'valkey');
    assert.equal(parseServerVersion('nonsense'), undefined);
  });

  it('requires Redis >= 7.0 or Valkey >= 7.2', () => {
    const v = (s: string) => parseServerVersion(s)!;
    assert.ok(isSupportedVersion(v('Redis server v=7.0.0')));
    assert.ok(!isSupportedVersion(v('Redis server v=6.2.14')));
    assert.ok(isSupportedVersion(v('Valkey server v=7.2.4')));
    assert.ok(!isSupportedVersion(v('Valkey server v=7.0.9')));
  });

  it('tries --redis-server, then REDIS_SERVER, then redis-server and valkey-server on PATH', () => {
    assert.deepEqual(binaryCandidates({ flag: '/x/rs', env: '/y/rs', pathEnv: '/a:/b' }), [
      { path: '/x/rs', source: 'flag' },
    ]);
    assert.deepEqual(binaryCandidates({ env: '/y/rs', pathEnv: '/a' }), [{ path: '/y/rs', source: 'env' }]);
    assert.deepEqual(
      binaryCandidates({ pathEnv: '/a:/b' }).map((c) => c.path),
      ['/a/redis-server', '/b/redis-server', '/a/valkey-server', '/b/valkey-server'],
    );
  });

  it('resolves a real binary and rejects missing or old ones with install instructions', async () => {
    const ok = fakeServer('redis-server', 'Redis server v=7.2.4 sha=0');
    assert.equal((await resolveServerBinary({ flag: ok })).version, '7.2.4');
    const old = fakeServer('old-redis', 'Redis server v=6.0.16 sha=0');
    await assert.rejects(resolveServerBinary({ flag: old }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /6\.0\.16/);
      assert.match(e.hint ?? '', /apt-get install redis-server/);
      assert.match(e.hint ?? '', /brew install redis/);
      return true;
    });
    await assert.rejects(resolveServerBinary({ pathEnv: join(dir, 'nowhere') }), /No redis-server/);
    await assert.rejects(resolveServerBinary({ env: join(dir, 'missing') }), /REDIS_SERVER points at/);
    const valkeyDir = mkdtempSync(join(dir, 'vk-'));
    const vk = join(valkeyDir, 'valkey-server');
    writeFileSync(vk, '#!/bin/sh\necho "Valkey server v=8.0.1 sha=0"\n');
    chmodSync(vk, 0o755);
    assert.equal((await resolveServerBinary({ pathEnv: valkeyDir })).flavor, 'valkey');
  });

  it('names redis-cli in copy-paste lines when it is installed, else valkey-cli when that is, else the server own', () => {
    const has =
      (...names: string[]) =>
      (n: string) =>
        names.includes(n);
    assert.equal(chooseClient('redis', has('redis-cli', 'valkey-cli')), 'redis-cli');
    assert.equal(chooseClient('valkey', has('redis-cli')), 'redis-cli');
    assert.equal(chooseClient('valkey', has('valkey-cli')), 'valkey-cli');
    assert.equal(chooseClient('redis', has('valkey-cli')), 'valkey-cli');
    assert.equal(chooseClient('valkey', has()), 'valkey-cli');
    assert.equal(chooseClient('redis', has()), 'redis-cli');
  });

  it('finds the client on PATH when it resolves the server (Debian Valkey: valkey-cli only)', async () => {
    const onlyValkey = mkdtempSync(join(dir, 'vkcli-'));
    const scripts: Array<[string, string]> = [
      ['valkey-server', 'echo "Valkey server v=8.0.1 sha=0"'],
      ['valkey-cli', 'exit 0'],
    ];
    for (const [name, body] of scripts) {
      writeFileSync(join(onlyValkey, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(onlyValkey, name), 0o755);
    }
    assert.equal((await resolveServerBinary({ pathEnv: onlyValkey })).cli, 'valkey-cli');
    // A redis-cli anywhere on PATH wins: it is the name the source note and most installs use.
    const withRedisCli = mkdtempSync(join(dir, 'rcli-'));
    writeFileSync(join(withRedisCli, 'redis-cli'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(withRedisCli, 'redis-cli'), 0o755);
    assert.equal((await resolveServerBinary({ pathEnv: `${onlyValkey}:${withRedisCli}` })).cli, 'redis-cli');
    // Not an executable file (a directory named redis-cli) does not count: Valkey's own client is named.
    const dirOnly = mkdtempSync(join(dir, 'dcli-'));
    writeFileSync(join(dirOnly, 'valkey-server'), '#!/bin/sh\necho "Valkey server v=8.0.1 sha=0"\n');
    chmodSync(join(dirOnly, 'valkey-server'), 0o755);
    mkdirSync(join(dirOnly, 'redis-cli'));
    assert.equal((await resolveServerBinary({ pathEnv: dirOnly })).cli, 'valkey-cli');
  });

  it('remembers the version of a binary file by its identity, never of a script', async (t) => {
    const real = binaryCandidates({ pathEnv: process.env.PATH }).find((c) => {
      try {
        return statSync(c.path).isFile() && !readFileSync(c.path).subarray(0, 2).equals(Buffer.from('#!'));
      } catch {
        return false;
      }
    });
    if (!real) {
      t.skip('no redis-server or valkey-server binary on PATH');
      return;
    }
    const bin = join(dir, 'copied-server');
    copyFileSync(real.path, bin);
    chmodSync(bin, 0o755);
    const cache = join(dir, 'cache', 'server-versions.json');
    const first = await resolveServerBinary({ flag: bin, versionCache: cache });
    const entries = JSON.parse(readFileSync(cache, 'utf8')) as Record<
      string,
      { id: string; version: { version: string } }
    >;
    assert.equal(entries[bin]?.version.version, first.version);
    // The same file is not run again: what the cache says is what the lab reports.
    const entry = entries[bin]!;
    entry.version.version = '7.2.99';
    writeFileSync(cache, JSON.stringify(entries));
    assert.equal((await resolveServerBinary({ flag: bin, versionCache: cache })).version, '7.2.99');
    // Any change to the file (here its mtime) runs it again.
    utimesSync(bin, new Date(), new Date(Date.now() - 60_000));
    assert.equal((await resolveServerBinary({ flag: bin, versionCache: cache })).version, first.version);
    // A script is always asked: what it runs can change while it stays the same.
    const script = fakeServer('script-server', 'Redis server v=7.2.4 sha=0');
    await resolveServerBinary({ flag: script, versionCache: cache });
    assert.equal((JSON.parse(readFileSync(cache, 'utf8')) as Record<string, unknown>)[script], undefined);
  });
});
