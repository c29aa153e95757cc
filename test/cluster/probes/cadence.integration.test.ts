// The probe cadence against a real redis-server (port 27030): fast right after a change, the normal interval while
// busy or just nudged, the idle interval once nothing changes; pollNow and a lost connection poll at once; `fresh`
// marks the first round on every new connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { FAST_INTERVAL_MS, ProbeLoop, QUIET_ROUNDS } from '../../../src/cluster/probes/probe-loop.js';
import { probeClientOptions } from '../../../src/cluster/probes/probe-options.js';
import { MINI_PASSWORD, type MiniCluster, startMiniCluster, waitFor } from '../../helpers/mini-cluster.js';

interface Round {
  at: number;
  fresh: boolean;
  state: string;
}

/** A loop whose observation is whatever `state` holds; every round is recorded with its time and `fresh`. */
function recordingLoop(c: MiniCluster, o: { intervalMs: number; idleIntervalMs: number; busy?: () => boolean }) {
  const rounds: Round[] = [];
  const ref = { state: 'a' };
  const n = c.node('redis-1');
  const loop = new ProbeLoop<Round>({
    clientOptions: probeClientOptions({ id: 'cadence', host: n.host, port: n.port, password: MINI_PASSWORD }),
    intervalMs: o.intervalMs,
    idleIntervalMs: o.idleIntervalMs,
    query: async (client: Redis, at, fresh) => {
      await client.ping();
      const r = { at, fresh, state: ref.state };
      rounds.push(r);
      return r;
    },
    unreachable: (_error, at) => ({ at, fresh: false, state: 'down' }),
    key: (r) => r.state,
    busy: o.busy ? () => o.busy?.() ?? false : undefined,
    onObservation: () => {},
  });
  return { loop, rounds, ref };
}

/** Gaps between consecutive rounds from index `from` on. */
const gaps = (rounds: Round[], from = 1) =>
  rounds.slice(Math.max(1, from)).map((r, i) => r.at - (rounds[Math.max(1, from) + i - 1]?.at ?? r.at));

describe('ProbeLoop cadence on a real redis-server', { timeout: 60_000 }, () => {
  let c: MiniCluster;
  before(async () => {
    c = await startMiniCluster({ basePort: 27030, replicas: 0, sentinels: 0 });
  });
  after(async () => {
    await c?.cleanup();
  });

  it('backs off from fast to normal to idle, and a change polls fast again', async () => {
    const intervalMs = 250;
    const idleIntervalMs = 800;
    const { loop, rounds, ref } = recordingLoop(c, { intervalMs, idleIntervalMs });
    // The expected gaps: fast after the change (round 1 sees a first state), doubling up to intervalMs, which
    // then holds for QUIET_ROUNDS - 1 more rounds, then idle.
    const expected: number[] = [FAST_INTERVAL_MS];
    for (let d = FAST_INTERVAL_MS * 2; d < intervalMs; d *= 2) expected.push(d);
    for (let i = 1; i < QUIET_ROUNDS; i++) expected.push(intervalMs);
    expected.push(idleIntervalMs, idleIntervalMs);
    loop.start();
    try {
      await waitFor(() => rounds.length > expected.length, { what: 'idle rounds', timeoutMs: 15_000 });
      const g = gaps(rounds);
      // Timers can be late on a busy machine, never early: lower bounds are strict, upper bounds loose.
      expected.forEach((e, i) => {
        const x = g[i] ?? 0;
        assert.ok(x >= e - 5 && x < e + 450, `gap ${i} is ${x} ms, expected ~${e} (gaps ${g}; expected ${expected})`);
      });

      // A change of state: the round after the one that saw it comes fast.
      const before = rounds.length;
      ref.state = 'b';
      await waitFor(() => rounds.length >= before + 2, { what: 'rounds after the change', timeoutMs: 5000 });
      const sawChange = rounds.findIndex((r, i) => i >= before && r.state === 'b');
      const next = rounds[sawChange + 1];
      const seen = rounds[sawChange];
      assert.ok(seen && next && next.at - seen.at < 240, `gap after a change ${next && seen && next.at - seen.at}`);
    } finally {
      await loop.stop();
    }
  });

  it('pollNow runs a round at once and keeps the normal cadence for a while; busy keeps it too', async () => {
    let busy = false;
    const { loop, rounds } = recordingLoop(c, { intervalMs: 100, idleIntervalMs: 5000, busy: () => busy });
    loop.start();
    try {
      await waitFor(() => rounds.length >= QUIET_ROUNDS + 1, { what: 'an idle loop', timeoutMs: 10_000 });
      const t = Date.now();
      const n = rounds.length;
      await loop.pollNow();
      assert.ok(Date.now() - t < 300, `pollNow took ${Date.now() - t} ms`);
      // Without the nudge the next round would come 5 s later; after it, rounds keep coming every ~100 ms.
      await waitFor(() => rounds.length >= n + 3, { what: 'normal cadence after pollNow', timeoutMs: 1500 });

      busy = true;
      await waitFor(() => rounds.length >= n + QUIET_ROUNDS + 6, { what: 'busy rounds', timeoutMs: 3000 });
      const last = gaps(rounds, rounds.length - 4);
      for (const x of last) assert.ok(x < 450, `busy gap ${x} (${last})`);
    } finally {
      await loop.stop();
    }
  });

  it('fresh is true on the first round of every connection, and a dropped connection polls at once', async () => {
    const { loop, rounds } = recordingLoop(c, { intervalMs: 100, idleIntervalMs: 10_000 });
    loop.start();
    try {
      await waitFor(() => rounds.length >= QUIET_ROUNDS + 1, { what: 'an idle loop', timeoutMs: 10_000 });
      assert.deepEqual(
        rounds.map((r) => r.fresh),
        [true, ...rounds.slice(1).map(() => false)],
      );
      const n = rounds.length;
      const t = Date.now();
      const killed = await c.command('redis-1', 'CLIENT', 'KILL', 'TYPE', 'normal');
      assert.ok(Number(killed) >= 1);
      // The idle cadence is 10 s: only the lost connection can explain a round this soon.
      await waitFor(() => rounds.length > n, { what: 'a round after the kill', timeoutMs: 3000, intervalMs: 10 });
      assert.ok(Date.now() - t < 2000);
      assert.equal(rounds[n]?.fresh, true, 'the first round on the new connection is fresh');
    } finally {
      await loop.stop();
    }
  });
});
