// The Sentinel event stream tells a start whole: what each Sentinel announced before the lab could subscribe to it
// (`+monitor` at once, `+slave` within milliseconds) comes from its log, once, and nothing comes twice. A logged
// event may be read a moment after the cluster is ready (the log's pipe lags the socket), so the test waits for the
// whole picture, with a deadline, before it counts. The replicas come from each Sentinel's first INFO of the master.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SentinelEvent } from '../../src/cluster/events.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { startTestLab } from '../helpers/lab.js';

let lab: LocalLab;
let cleanup: () => Promise<void>;
// As in the tour: each Sentinel starts knowing only the master and discovers the rest.
const SHAPE = { redis: 3, sentinels: 3, sentinel: { preseedState: false } };
const SENTINELS = ['sentinel-1', 'sentinel-2', 'sentinel-3'];

before(async () => {
  ({ lab, cleanup } = await startTestLab(SHAPE));
});
after(async () => {
  await cleanup?.();
});

const of = (events: readonly SentinelEvent[], sentinelId: string, channel: string) =>
  events.filter((e) => e.sentinelId === sentinelId && e.channel === channel);

function noDuplicates(events: readonly SentinelEvent[]): void {
  const seen = new Set<string>();
  for (const e of events) {
    const key = `${e.sentinelId} ${e.channel} ${e.payload}`;
    assert.ok(!seen.has(key), `shown twice: ${key}`);
    seen.add(key);
  }
}

describe('the events of a start', () => {
  it('every Sentinel: +monitor once and first, each replica once, each peer once', async () => {
    await lab
      .waitFor(
        (st) =>
          SENTINELS.every(
            (s) =>
              of(st.events, s, '+slave').length >= 2 && of(st.events, s, '+sentinel').length >= SENTINELS.length - 1,
          ),
        5000,
        "every Sentinel's +slave and +sentinel events",
      )
      .catch(() => {}); // the assertions below name what is missing
    const events = lab.store.getState().events;
    for (const s of SENTINELS) {
      const monitor = of(events, s, '+monitor');
      assert.equal(monitor.length, 1, `${s}: one +monitor (published before anyone could subscribe)`);
      assert.deepEqual(
        of(events, s, '+slave')
          .map((e) => e.subjectId)
          .sort(),
        ['redis-2', 'redis-3'],
        `${s}: +slave for each replica`,
      );
      assert.deepEqual(
        of(events, s, '+sentinel')
          .map((e) => e.subjectId)
          .sort(),
        SENTINELS.filter((x) => x !== s),
        `${s}: +sentinel for each peer`,
      );
      // Logged before the Sentinel answered its first PING, so before the lab even connected: always first.
      const mine = events.filter((e) => e.sentinelId === s);
      assert.equal(mine[0]?.channel, '+monitor', `${s}: +monitor comes first`);
      // As in the note, the Sentinels start once the master lists its replicas: each Sentinel finds them in its first
      // INFO of the master (milliseconds after +monitor), not in the next one, 10 s later.
      const monitorAt = monitor[0]?.at ?? 0;
      for (const e of of(events, s, '+slave')) {
        assert.ok(e.at - monitorAt < 5000, `${s}: +slave ${e.subjectId} ${e.at - monitorAt} ms after +monitor`);
      }
    }
    noDuplicates(events);
  });

  it('a Sentinel restarted by the lab: its new +monitor arrives after the restart, once', async () => {
    const mark = lab.store.getState().events.at(-1)?.seq ?? 0;
    const restartedAt = Date.now();
    assert.ok((await lab.perform({ kind: 'restart', node: 'sentinel-2' })).ok);
    await lab.waitFor(
      (s) => s.events.some((e) => e.seq > mark && e.sentinelId === 'sentinel-2' && e.channel === '+monitor'),
      15_000,
      "sentinel-2's +monitor after its restart",
    );
    const since = lab.store.getState().events.filter((e) => e.seq > mark);
    const monitor = of(since, 'sentinel-2', '+monitor');
    assert.equal(monitor.length, 1);
    assert.ok((monitor[0]?.at ?? 0) >= restartedAt - 1000, 'dated at the new process, not the old one');
    noDuplicates(since);
  });
});
