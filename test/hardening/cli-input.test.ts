// Bad input and hostile conditions through the real CLI (a child process): each gives one clear message and a
// clean exit code — 2 for usage mistakes, 1 for problems the user can fix — and none starts a Redis process.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { candidateBasePorts } from '../../src/cluster/topology.js';
import { CLI, runCli } from '../helpers/cli.js';
import { freeBlock, leftovers } from './support.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'rsl-hard-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Every command runs against a private run root, so nothing here can touch another lab's runs. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { RSL_RUN_ROOT: join(tmp, 'runs'), ...extra };
}

function assertUsage(r: { code: number | null; stderr: string }, message: RegExp, usage = /Usage: redis-sentinel-lab/) {
  assert.equal(r.code, 2, `exit code 2 expected\n${r.stderr}`);
  assert.match(r.stderr, message);
  assert.match(r.stderr, usage, 'the usage line follows the error');
  assert.doesNotMatch(r.stderr, /hit a bug|at .*\.ts:\d+/, 'no stack trace');
}

describe('usage errors exit 2 and print the usage line', () => {
  it('--base-port 70000 (out of range)', async () => {
    const r = await runCli(['up', '--base-port', '70000'], env());
    assertUsage(r, /--base-port must be a whole number between 1024 and 65000/);
  });

  it('--base-port x (not a number)', async () => {
    const r = await runCli(['up', '--base-port', 'x'], env());
    assertUsage(r, /argument 'x' is invalid\. --base-port must be a whole number/);
  });

  it('--base-port 1.5e3 and -1 (number-like but not whole and positive)', async () => {
    for (const v of ['1.5e3', '-1', '0x1800', '']) {
      const r = await runCli(['up', '--base-port', v], env());
      assert.equal(r.code, 2, `--base-port "${v}": ${r.stderr}`);
      assert.match(r.stderr, /--base-port/);
    }
  });

  it('a bad --base-port on the default command', async () => {
    const r = await runCli(['--base-port', '99999'], env());
    assertUsage(r, /--base-port must be a whole number/);
  });

  it('an unknown subcommand is named as such, with a suggestion when close', async () => {
    const r = await runCli(['frobnicate'], env());
    assertUsage(r, /unknown command 'frobnicate'; commands: up, watch, .*doctor, clean/);
    const typo = await runCli(['uo'], env());
    assertUsage(typo, /unknown command 'uo' \(did you mean 'up' or 'do'\?\)/);
  });

  it('`lesson` without a subcommand is a usage error (its help on stderr), `lesson --help` is not', async () => {
    const r = await runCli(['lesson'], env());
    assertUsage(r, /Commands:\n\s+list/, /Usage: redis-sentinel-lab lesson \[options\] \[command\]/);
    assert.equal(r.stdout, '', 'the help of a mistake goes to stderr');
    const help = await runCli(['lesson', '--help'], env());
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: redis-sentinel-lab lesson/);
  });

  it('an unknown flag names the flag and the subcommand’s usage', async () => {
    const r = await runCli(['up', '--bogus'], env());
    assertUsage(r, /unknown option '--bogus'/, /Usage: redis-sentinel-lab up \[options\]/);
  });

  it('an extra operand to a subcommand', async () => {
    const r = await runCli(['clean', 'everything'], env());
    assertUsage(r, /too many arguments for 'clean'/, /Usage: redis-sentinel-lab clean/);
  });

  it('watch --run with --no-attach (attach to a lab, and start one of its own): exit 2, nothing started', async () => {
    const r = await runCli(['watch', '--run', 'abc', '--no-attach', '--base-port', '30999'], env());
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--run names a running lab to attach to; --no-attach starts a cluster of its own/);
    assert.equal(r.stdout, '');
  });
});

describe('the Redis binary', () => {
  const INSTALL = [/apt-get install redis-server/, /brew install redis/, /--redis-server \/path\/to\/redis-server/];

  it('--redis-server /nonexistent: exit 1 with install lines', async () => {
    const r = await runCli(['up', '--redis-server', '/nonexistent/redis-server'], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /--redis-server points at \/nonexistent\/redis-server, which is not an executable file/);
    for (const l of INSTALL) assert.match(r.stderr, l);
  });

  it('REDIS_SERVER pointing at a directory: exit 1, names the variable', async () => {
    const r = await runCli(['up'], env({ REDIS_SERVER: tmp }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /REDIS_SERVER points at .*, which is not an executable file/);
  });

  it('REDIS_SERVER=redis-server and --redis-server redis-server (bare names) are looked up on PATH', async () => {
    const real = process.env.PATH?.split(':').find((d) => existsSync(join(d, 'redis-server')));
    assert.ok(real, 'redis-server on PATH');
    for (const [args, extra, source] of [
      [['doctor', '--json'], { REDIS_SERVER: 'redis-server' }, 'env'],
      [['doctor', '--json', '--redis-server', 'redis-server'], { REDIS_SERVER: '' }, 'flag'],
    ] as const) {
      const r = await runCli([...args], env(extra));
      const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks;
      const redis = checks.find((c) => c.name === 'Redis server');
      assert.equal(redis?.ok, true, redis?.detail);
      assert.match(redis?.detail ?? '', new RegExp(`at ${real}/redis-server \\(from ${source}\\)`));
    }
  });

  it('a directory named redis-server earlier on PATH is skipped, not run', async () => {
    const real = process.env.PATH?.split(':').find((d) => existsSync(join(d, 'redis-server')));
    if (!real) return;
    const decoy = join(tmp, 'decoy-bin');
    mkdirSync(join(decoy, 'redis-server'), { recursive: true });
    const r = await runCli(['doctor', '--json'], env({ PATH: `${decoy}:${real}`, REDIS_SERVER: '' }));
    const checks = (JSON.parse(r.stdout) as { checks: Array<{ name: string; ok: boolean; detail: string }> }).checks;
    const redis = checks.find((c) => c.name === 'Redis server');
    assert.equal(redis?.ok, true, redis?.detail);
    assert.match(redis?.detail ?? '', new RegExp(`at ${real}/redis-server \\(from path\\)`));
  });

  it('no redis-server on PATH and no REDIS_SERVER: exit 1 with install lines', async () => {
    const empty = join(tmp, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    const r = await runCli(['up'], env({ PATH: empty, REDIS_SERVER: '' }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /No redis-server \(or valkey-server\) was found on PATH/);
    for (const l of INSTALL) assert.match(r.stderr, l);
  });

  it('a too-old server (6.2.0): exit 1 naming the version', async () => {
    const fake = join(tmp, 'old-redis-server');
    writeFileSync(fake, '#!/bin/sh\necho "Redis server v=6.2.0 sha=00000000:0 malloc=libc bits=64 build=1"\n');
    chmodSync(fake, 0o755);
    const r = await runCli(['up', '--redis-server', fake], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /is Redis 6\.2\.0; the lab needs Redis >= 7\.0 or Valkey >= 7\.2/);
    for (const l of INSTALL) assert.match(r.stderr, l);
  });

  it('an executable that is not Redis: exit 1, says what was tried', async () => {
    const fake = join(tmp, 'not-redis');
    writeFileSync(fake, '#!/bin/sh\necho "hello"\n');
    chmodSync(fake, 0o755);
    const r = await runCli(['up', '--redis-server', fake], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /did not report a Redis or Valkey version \(tried `.*not-redis --version`\)/);
  });
});

describe('ports and the run directory', () => {
  it('every candidate port block busy: exit 1 about busy ports, fast, nothing created', async () => {
    // One port in each block is enough: base+1 on 127.0.0.1, where users' own Redis usually listens.
    const servers: Server[] = [];
    for (const base of candidateBasePorts()) {
      const srv = createServer();
      const ok = await new Promise<boolean>((resolve) => {
        srv.once('error', () => resolve(false)); // already busy: just as good
        srv.listen({ host: '127.0.0.1', port: base + 1, exclusive: true }, () => resolve(true));
      });
      if (ok) servers.push(srv);
    }
    const runRoot = join(tmp, 'busy-runs');
    try {
      const t0 = Date.now();
      const r = await runCli(['up'], { RSL_RUN_ROOT: runRoot }, 30_000);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /Every port block the lab tried is in use \(first: 6379, port 63\d\d\)/);
      assert.match(r.stderr, /Free the ports, or pass --base-port N/);
      assert.ok(Date.now() - t0 < 20_000, 'fails fast');
      const left = await leftovers(runRoot);
      assert.deepEqual(left.processes, []);
      assert.deepEqual(left.runDirs, []);
    } finally {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  });

  it('an explicit --base-port whose block is busy: exit 1 naming the port (no silent move)', async () => {
    const base = await freeBlock();
    const srv = createServer();
    await new Promise<void>((r) => srv.listen({ host: '127.0.0.1', port: base + 2 }, () => r()));
    try {
      const r = await runCli(['up', '--base-port', String(base)], env());
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`Port ${base + 2} of the block starting at ${base} is in use`));
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('RSL_RUN_ROOT under a regular file: exit 1 with a hint naming RSL_RUN_ROOT', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await runCli(['up', '--base-port', String(await freeBlock())], { RSL_RUN_ROOT: join(file, 'x') });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /Cannot create the lab's run directory under .*a-file\/x: ENOTDIR/);
    assert.match(r.stderr, /RSL_RUN_ROOT=/);
    assert.doesNotMatch(r.stderr, /hit a bug/);
  });

  it('RSL_RUN_ROOT with a newline: exit 1 naming RSL_RUN_ROOT (was exit 70), nothing created', async () => {
    const root = join(tmp, 'nl\nroot');
    const r = await runCli(['up', '--base-port', String(await freeBlock())], { RSL_RUN_ROOT: root });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /contains a control character/);
    assert.match(r.stderr, /RSL_RUN_ROOT=/);
    assert.equal(existsSync(root), false, 'no run directory was created');
  });

  it('`clean` and `doctor` survive the same unusable RSL_RUN_ROOT', async () => {
    const file = join(tmp, 'a-file-2');
    writeFileSync(file, 'x');
    const c = await runCli(['clean', '--json'], { RSL_RUN_ROOT: join(file, 'x') });
    assert.equal(c.code, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout), {
      schemaVersion: 1,
      event: 'cleaned',
      runs: [],
      killed: [],
      live: [],
      kept: [],
    });
    const d = await runCli(['doctor', '--json'], { RSL_RUN_ROOT: join(file, 'x') });
    assert.equal(d.code, 1, d.stderr);
    const checks = (JSON.parse(d.stdout) as { checks: Array<{ name: string; ok: boolean; hint?: string }> }).checks;
    const runDir = checks.find((ch) => ch.name === 'Run directory');
    assert.equal(runDir?.ok, false);
    assert.match(runDir?.hint ?? '', /RSL_RUN_ROOT/);
  });
});

describe('the terminal', () => {
  const HEADLESS = [/redis-sentinel-lab up/, /redis-sentinel-lab watch/, /lesson run <id> --headless/];

  it('no TTY: the default command exits 2 and points at up / watch / lesson run --headless', async () => {
    const r = await runCli([], env());
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /not an interactive terminal/);
    for (const l of HEADLESS) assert.match(r.stderr, l);
    assert.equal(existsSync(join(tmp, 'runs')) ? readdirSync(join(tmp, 'runs')).length : 0, 0, 'no run started');
  });

  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  const noScript =
    script.status !== 0 ? 'util-linux `script` is not installed (needed for a real pseudo-terminal)' : false;

  /** Runs the CLI inside a real pseudo-terminal (`script -qec`); returns its exit code and the terminal's output. */
  function underTty(shellCmd: string, extraEnv: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn('script', ['-qec', shellCmd, '/dev/null'], {
        cwd: REPO,
        env: { ...process.env, ...env(), ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d.toString();
      });
      child.stderr.on('data', (d) => {
        out += d.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out: out.replace(/\r/g, '') });
      });
    });
  }
  const cli = `'${process.execPath}' --import tsx '${CLI}'`;

  it('TERM=dumb under a real TTY: exit 2 with a clear message', { skip: noScript }, async () => {
    const r = await underTty(`${cli} --sandbox`, { TERM: 'dumb' });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /TERM=dumb cannot draw the full-screen lab/);
    for (const l of HEADLESS) assert.match(r.out, l);
  });

  it('stdin a TTY but stdout redirected to a file: exit 2, message on stderr', { skip: noScript }, async () => {
    const file = join(tmp, 'tui-out.txt');
    const r = await underTty(`${cli} --sandbox > '${file}'`, { TERM: 'xterm-256color' });
    assert.equal(r.code, 2, r.out);
    assert.match(r.out, /not an interactive terminal/);
  });
});
