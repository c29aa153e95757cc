// The misconfigure menu (M): its model (src/ui/lib/misconfigure.ts) read from the probes and the lab's facts, and the
// picker: entries for the selected node and its host with their state and real command, what is misconfigured
// elsewhere, and Enter performing the misconfiguration or its undo.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { buildTopology, type TopologyShape } from '../../src/cluster/topology.js';
import type { LabState } from '../../src/state/store.js';
import { entryAt, entryCount, misconfigureMenu } from '../../src/ui/lib/misconfigure.js';
import { healthyState, masterObs, replicaObs, sentinelObs } from '../fixtures/ui-states.js';
import { renderApp } from './setup.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
});

/** The healthy fixture, with what the probes report about persistence and announced ports. */
function probed(over: (s: LabState) => void = () => {}): LabState {
  const s = healthyState();
  for (const o of Object.values(s.redis)) {
    const port = s.topology.nodes.find((n) => n.id === o.id)?.port ?? 0;
    Object.assign(o, { persistence: false, replicaPriority: 100, announcePort: port });
  }
  over(s);
  return s;
}

describe('misconfigure menu model', () => {
  it('offers each misconfiguration of the selected data node and its host, with the action Enter performs', () => {
    const m = misconfigureMenu(probed(), 'redis-2');
    assert.equal(m.node, 'redis-2');
    assert.equal(m.host, 'host-2');
    assert.deepEqual(
      m.here.map((e) => [e.id, e.now, e.misconfigured]),
      [
        ['masterauth:redis-2', 'set', false],
        ['replica-priority:redis-2', '100', false],
        ['persistence:redis-2', 'off', false],
        ['decommission:redis-2', 'running', false],
        ['nat:host-2', 'none (ports 1:1)', false],
        ['client:A', 'asks the Sentinels', false],
        ['heartbeat', 'off', false],
      ],
    );
    assert.deepEqual(m.here[0]?.action, { kind: 'masterauth', node: 'redis-2', enabled: false });
    assert.deepEqual(m.here[1]?.action, { kind: 'replica-priority', node: 'redis-2', priority: 0 });
    assert.deepEqual(m.here[4]?.action, { kind: 'nat', host: 'host-2', enabled: true });
    assert.deepEqual(m.here[5]?.action, { kind: 'client-target', client: 'A', target: 'redis-2' });
    assert.deepEqual(m.here[6]?.action, { kind: 'heartbeat', running: true });
    // No NAT and its own port announced: nothing to offer about announcing.
    assert.ok(!m.here.some((e) => e.id === 'announce:redis-2'));
    // The default lab's misconfigurations: the note's client B pinned to the master's address, and the master
    // without persistence (the reboot lesson).
    assert.deepEqual(
      m.elsewhere.map((e) => [e.id, e.verb]),
      [
        ['client:B', 'ask the Sentinels instead'],
        ['persistence:redis-1', 'turn it on'],
      ],
    );
    assert.deepEqual(m.elsewhere[0]?.action, { kind: 'client-target', client: 'B', target: 'sentinel' });
    assert.equal(entryCount(m), 9);
    assert.equal(entryAt(m, 8)?.id, 'persistence:redis-1');
  });

  it('once in place, the entry offers its undo, and the menu lists it from any other node', () => {
    const s = probed((st) => {
      st.redis['redis-3'] = replicaObs(st.topology, 'redis-3', 'redis-1', { hasMasterauth: false, announcePort: 6381 });
      st.nat = { 'host-3': 200 };
      st.processes['redis-4'] = {
        ...(st.processes['redis-4'] ?? { id: 'redis-4', kind: 'redis', restarts: 0, logTail: [], cliLine: '' }),
        state: 'stopped',
      };
      // Stopped by the decommission action: removed for good.
      st.actions = [
        {
          seq: 1,
          at: 1,
          kind: 'decommission',
          title: 'remove redis-4 for good (no SENTINEL RESET)',
          equivalent: '',
          status: 'ok',
        },
      ];
      const o = st.sentinels['sentinel-1'];
      if (o)
        o.replicas = [
          {
            name: '127.0.2.4:6382',
            ip: '127.0.2.4',
            port: 6382,
            flags: ['s_down', 'slave'],
            nodeId: 'redis-4',
            fields: {},
          },
        ];
    });
    const here = misconfigureMenu(s, 'redis-3').here;
    const by = (id: string) => here.find((e) => e.id === id);
    assert.deepEqual(by('masterauth:redis-3')?.action, { kind: 'masterauth', node: 'redis-3', enabled: true });
    assert.equal(by('masterauth:redis-3')?.verb, 'set it again');
    assert.equal(by('announce:redis-3')?.now, '6381 (nothing answers there)');
    assert.deepEqual(by('announce:redis-3')?.action, { kind: 'announce-port', node: 'redis-3', published: true });
    assert.deepEqual(by('nat:host-3')?.action, { kind: 'nat', host: 'host-3', enabled: false });
    const elsewhere = misconfigureMenu(s, 'redis-1').elsewhere.map((e) => e.id);
    assert.deepEqual(elsewhere, [
      'client:B',
      'masterauth:redis-3',
      'announce:redis-3',
      'nat:host-3',
      'decommission:redis-4',
    ]);
    const gone = misconfigureMenu(s, 'redis-4').here.find((e) => e.id === 'decommission:redis-4');
    assert.equal(gone?.now, 'removed, still listed by sentinel-1');
    // The fix: SENTINEL RESET on each Sentinel that still lists it, one press (one Sentinel) at a time.
    assert.equal(gone?.verb, 'SENTINEL RESET on sentinel-1 (1 still list it)');
    assert.deepEqual(gone?.action, { kind: 'sentinel-reset', sentinel: 'sentinel-1' });
  });

  it('a node killed with x (or stopped with s) is not "removed for good": R starts it, no SENTINEL RESET', () => {
    const s = probed((st) => {
      const p = st.processes['redis-3'];
      if (p)
        st.processes['redis-3'] = {
          ...p,
          state: 'exited',
          lastExit: { id: 'redis-3', at: 2, code: null, signal: 'SIGKILL', expected: true, logTail: [] },
        };
      const p4 = st.processes['redis-4'];
      if (p4) st.processes['redis-4'] = { ...p4, state: 'stopped' };
      // Removed once, then started again and stopped: the last word is the restart.
      st.actions = [
        {
          seq: 1,
          at: 1,
          kind: 'decommission',
          title: 'remove redis-4 for good (no SENTINEL RESET)',
          equivalent: '',
          status: 'ok',
        },
        { seq: 2, at: 2, kind: 'restart', title: 'restart redis-4', equivalent: '', status: 'ok' },
      ];
      for (const o of Object.values(st.sentinels)) {
        o.replicas = ['redis-3', 'redis-4'].map((id) => ({
          name: id,
          ip: '127.0.2.3',
          port: 6381,
          flags: ['s_down', 'slave'],
          nodeId: id,
          fields: {},
        }));
      }
    });
    const m = misconfigureMenu(s, 'redis-1');
    assert.ok(!m.elsewhere.some((e) => e.id.startsWith('decommission:')), m.elsewhere.map((e) => e.id).join(' '));
    for (const [id, word] of [
      ['redis-3', 'killed'],
      ['redis-4', 'stopped'],
    ] as const) {
      const e = misconfigureMenu(s, id).here.find((x) => x.id === `decommission:${id}`);
      assert.equal(e?.now, `not removed: ${word} (R restarts it)`);
      assert.equal(e?.misconfigured, false);
      assert.equal(e?.verb, 'start it again');
      assert.deepEqual(e?.action, { kind: 'restart', node: id });
    }
  });

  it('a Sentinel without the Sentinels’ password, when they have one; and what the deployment cannot do', () => {
    const shape: TopologyShape = { redis: 3, sentinels: 3, sentinelAuth: { password: 'sentinel-pw' } };
    const s = probed((st) => {
      st.topology = buildTopology(shape, 6379, 'hosts');
      const o = sentinelObs(st.topology, 'sentinel-2', 'redis-1');
      st.sentinels['sentinel-2'] = { ...o, passwordless: true };
      st.redis['redis-1'] = masterObs(st.topology, 'redis-1', ['redis-2', 'redis-3'], { persistence: true });
    });
    const m = misconfigureMenu(s, 'sentinel-2', { network: { reason: 'only 127.0.0.1 on loopback' } });
    const pw = m.here.find((e) => e.id === 'sentinel-password:sentinel-2');
    assert.equal(pw?.now, 'missing');
    assert.deepEqual(pw?.action, { kind: 'sentinel-password', sentinel: 'sentinel-2', enabled: true });
    assert.equal(m.here.find((e) => e.id === 'nat:host-2')?.unavailable, 'only 127.0.0.1 on loopback');
    assert.ok(!m.elsewhere.some((e) => e.id === 'persistence:redis-1'), 'a master with appendonly is fine');
  });
});

/** The picker column's text, its rows joined (a wrapped command reads as one line). */
function unwrap(frame: string): string {
  return frame
    .split('\n')
    .map((l) => /║([^║]*)║\s*$/.exec(l)?.[1]?.trimEnd() ?? '')
    .join(' ')
    .replace(/\s+/g, ' ');
}

describe('misconfigure picker', () => {
  it('M opens it for the selected node; the chosen entry shows its real command; Enter performs it', async () => {
    const { tui, performed } = renderApp(probed(), { columns: 160, rows: 45 });
    cleanup.push(() => tui.unmount());
    await tui.press('M');
    let f = await tui.waitForFrame('Misconfigure redis-1 (host-1)');
    assert.match(f, /▶ · masterauth on redis-1: set → drop it/);
    assert.match(f, /⚠ persistence on redis-1: off \(the master/);
    // The command wraps in the narrow column: compare it without line breaks.
    assert.match(unwrap(f), /\$ redis-cli -h 127\.0\.2\.1 -p 6379 -a redis CONFIG SET masterauth ""/);
    await tui.press('down');
    await tui.press('down');
    f = await tui.waitForFrame('Undo: appendonly yes on redis-1');
    assert.match(unwrap(f), /CONFIG SET appendonly yes/);
    await tui.press('enter');
    await tui.waitFor((fr) => !fr.includes('Misconfigure redis-1'));
    assert.deepEqual(performed(), [{ kind: 'persistence', node: 'redis-1', enabled: true }]);
  });

  it('Esc closes it without doing anything; an entry the deployment cannot do explains instead', async () => {
    const { tui, performed } = renderApp(probed(), {
      columns: 160,
      rows: 45,
      unavailable: { network: { reason: 'Network faults are unavailable: only 127.0.0.1.' } },
    });
    cleanup.push(() => tui.unmount());
    await tui.press('M');
    await tui.waitForFrame('Misconfigure redis-1');
    for (let i = 0; i < 4; i++) await tui.press('down');
    await tui.waitForFrame('✗ Network faults are unavailable');
    await tui.press('enter');
    await tui.press('escape');
    await tui.waitFor((fr) => !fr.includes('Misconfigure redis-1'));
    assert.deepEqual(performed(), []);
  });
});
