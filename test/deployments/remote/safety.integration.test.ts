// Safety on a deployment the lab did not start: a full attach session — inspect, watch --json, and the TUI with its
// confirmations, refusals, CKQUORUM and export — leaves every data node's CONFIG GET *, every Sentinel's SENTINEL
// MASTER and SENTINEL CONFIG GET *, and every run id exactly as they were; and the passwords (data nodes and
// Sentinels, given through environment variables) appear in no output, screen, store, export or file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasTmux, TuiRun } from '../../../scripts/bench/tui.js';
import { discover, openRemoteLab } from '../../../src/commands/remote-lab.js';
import { parseSentinels } from '../../../src/commands/sentinel-options.js';
import { runCli, startCli } from '../../helpers/cli.js';
import { type ForeignDeployment, foreignState, startForeignDeployment } from '../../helpers/foreign-deployment.js';
import { eventually } from '../../helpers/wait.js';

/** Every file under `dir` (contents), for the password search. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push({ path: p, text: readFileSync(p, 'latin1') });
    }
  };
  walk(dir);
  return out;
}

describe('safety: a full attach session changes nothing and shows no password (real Redis, real TUI)', () => {
  const password = `data-${randomBytes(9).toString('hex')}`;
  const sentinelPassword = `sent-${randomBytes(9).toString('hex')}`;
  let d: ForeignDeployment;
  let home: string;
  const outputs: Array<{ what: string; text: string }> = [];
  let stateBefore: Record<string, unknown>;

  before(async () => {
    d = await startForeignDeployment({ password, sentinelPassword });
    await eventually(
      async () => (await d.sentinelFields(d.sentinels[0] ?? d.master, 'MASTER'))['num-other-sentinels'] === '2',
      { timeoutMs: 10_000, what: 'Sentinels ready' },
    );
    stateBefore = await foreignState(d);
    home = mkdtempSync(join(tmpdir(), 'rsl-safety-home-'));
    mkdirSync(join(home, 'cwd'));
  });

  after(async () => {
    await d?.cleanup();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const env = () => ({
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    RSL_RUN_ROOT: join(home, 'runs'),
    RSL_CONFIG_DIR: join(home, 'lab-config'),
    RSL_DATA_PW: password,
    RSL_SENT_PW: sentinelPassword,
  });
  const flags = () => [
    '--sentinel',
    d.sentinelArg,
    '--password-env',
    'RSL_DATA_PW',
    '--sentinel-password-env',
    'RSL_SENT_PW',
  ];

  it('inspect: healthy, exit 0', async () => {
    for (const json of [[], ['--json']]) {
      const r = await runCli(['inspect', ...flags(), ...json], env(), 30_000, { cwd: join(home, 'cwd') });
      outputs.push(
        { what: `inspect ${json.join(' ')} stdout`, text: r.stdout },
        { what: 'inspect stderr', text: r.stderr },
      );
      assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    }
  });

  it('watch --sentinel --json: the whole view, then Ctrl+C ends it with exit 0', async () => {
    const w = startCli(['watch', ...flags(), '--json'], env(), { cwd: join(home, 'cwd') });
    try {
      await w.waitLine((l) => {
        const rec = JSON.parse(l) as { type: string; view?: { redis: Record<string, { role?: string }> } };
        return rec.type === 'view' && Object.values(rec.view?.redis ?? {}).filter((r) => r.role).length === 3;
      }, 20_000);
      const status = JSON.parse(w.lines[0] ?? '{}') as { type: string; remote: boolean; master: string };
      assert.deepEqual([status.type, status.remote, status.master], ['status', true, 'mymaster']);
      w.child.kill('SIGINT');
      const { code } = await w.exited;
      assert.equal(code, 0);
    } finally {
      w.child.kill('SIGKILL');
      outputs.push(
        { what: 'watch stdout', text: w.lines.join('\n') },
        { what: 'watch stderr', text: w.stderr.join('\n') },
      );
    }
  });

  it('the TUI: f asks first naming the deployment (declined), x is refused with the reason, K answers after yes, q quits', {
    timeout: 120_000,
  }, async () => {
    assert.ok(hasTmux(), 'tmux is needed for this test (apt-get install tmux)');
    const run = await TuiRun.start({ columns: 160, rows: 45, basePort: 40_000, args: flags(), env: env() });
    const piped = run.pipeOutput();
    const screens: string[] = [];
    const shot = (s: string) => {
      screens.push(s);
      return s;
    };
    try {
      shot(
        await run.waitFor(
          (s) => s.includes('▶ [M] redis-1') && s.includes('[S] sentinel-3') && /⇐ redis-1 ✓ up/.test(s),
          30_000,
          'the topology of the deployment',
        ),
      );
      run.send('f');
      const asked = shot(
        await run.waitFor((s) => s.includes('a deployment the lab did not start?'), 5000, 'the confirmation'),
      );
      assert.match(asked, /SENTINEL FAILOVER via sentinel-1 on "mymaster" at Sentinel 127\.0\.0\.1:\d+ \(\+2\)/);
      run.send('n');
      shot(await run.waitFor((s) => !s.includes('a deployment the lab did not start?'), 5000, 'the modal closed'));
      run.send('x');
      shot(
        await run.waitFor(
          (s) => /Kill selected node \(kill -9\): the lab did not start this deployment/.test(s),
          5000,
          'the refusal',
        ),
      );
      run.send('K');
      shot(
        await run.waitFor(
          (s) => /SENTINEL CKQUORUM via sentinel-1 on "mymaster"/.test(s),
          5000,
          'the CKQUORUM confirmation',
        ),
      );
      run.send('y');
      shot(await run.waitFor((s) => s.includes('OK 3 usable Sentinels'), 10_000, 'the CKQUORUM answer'));
      run.send('e');
      shot(await run.waitFor((s) => /exporting the run/.test(s), 5000, 'the export outcome'));
      run.send('q');
      const end = shot(await run.waitExited(30_000));
      assert.match(end, /RSL-E2E-EXITED rc=0 /);
      outputs.push(
        ...screens.map((s, i) => ({ what: `TUI screen ${i}`, text: s })),
        { what: 'everything the TUI wrote to the terminal', text: readFileSync(piped.file, 'latin1') },
        ...filesUnder(run.root).map((f) => ({ what: f.path, text: f.text })),
      );
    } finally {
      piped.stop();
      await run.stop();
    }
  });

  it('in process: the store and the export hold no password', async () => {
    process.env.RSL_DATA_PW = password;
    process.env.RSL_SENT_PW = sentinelPassword;
    const found = await discover({
      sentinel: parseSentinels(d.sentinelArg),
      passwordEnv: 'RSL_DATA_PW',
      sentinelPasswordEnv: 'RSL_SENT_PW',
    });
    const lab = await openRemoteLab(found, 'mymaster', { flushMs: 10 });
    try {
      await eventually(() => Object.values(lab.store.getState().redis).filter((o) => o.replication).length === 3, {
        timeoutMs: 10_000,
        what: 'the view',
      });
      outputs.push({ what: 'the whole store', text: JSON.stringify(lab.store.getState()) });
      outputs.push({ what: 'the topology', text: JSON.stringify(lab.topology) });
      const dir = join(home, 'export');
      mkdirSync(dir);
      // The export needs a workload verdict today (no workload runs on a deployment the lab did not start): either
      // it writes files, which are searched below, or it refuses with that reason.
      await lab.exportRun(dir).catch((err: Error) => assert.match(err.message, /no ledger verdict/));
    } finally {
      await lab.shutdown();
      delete process.env.RSL_DATA_PW;
      delete process.env.RSL_SENT_PW;
    }
  });

  it('nothing changed on the deployment, and no password anywhere', async () => {
    assert.deepEqual(await foreignState(d), stateBefore);
    for (const f of filesUnder(home)) outputs.push({ what: f.path, text: f.text });
    assert.ok(outputs.length >= 10, `searched ${outputs.length} outputs`);
    for (const o of outputs) {
      assert.equal(o.text.includes(password), false, `the data password in ${o.what}`);
      assert.equal(o.text.includes(sentinelPassword), false, `the Sentinel password in ${o.what}`);
    }
    // The search itself works: the passwords were really in play (the nodes refuse without them).
    assert.match(String(await d.command(d.master, 'CONFIG', 'GET', 'requirepass')), new RegExp(password));
  });
});
