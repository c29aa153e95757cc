// Events a Sentinel logged before the lab could subscribe: parsed from real log lines, kept when they predate the
// PSUBSCRIBE, or fall in its round trip and pub/sub did not bring them; never twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MissedEvents, parseLoggedEvent } from '../../../src/cluster/observe/sentinel-log.js';

// Local time, as the Sentinel writes it.
const at = (hms: string, ms: number) => {
  const [h, m, s] = hms.split(':').map(Number);
  return new Date(2026, 11, 1, h, m, s, ms).getTime();
};
const log = (pid: number, hms: string, ms: number, rest: string) =>
  `${pid}:X 01 Dec 2026 ${hms}.${String(ms).padStart(3, '0')} ${rest}`;

const SLAVE2 = '+slave slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379';
const SLAVE3 = '+slave slave 127.0.2.3:6381 127.0.2.3 6381 @ mymaster 127.0.2.1 6379';
const MONITOR = '# +monitor master mymaster 127.0.2.1 6379 quorum 2';

describe('parseLoggedEvent', () => {
  it('reads a logged event: pid, local time to the millisecond, channel and the payload as published', () => {
    assert.deepEqual(parseLoggedEvent(log(24833, '21:30:57', 339, `* ${SLAVE2}`)), {
      pid: 24833,
      at: at('21:30:57', 339),
      channel: '+slave',
      payload: 'slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379',
    });
    assert.equal(parseLoggedEvent(log(24833, '21:30:57', 215, MONITOR))?.channel, '+monitor');
    assert.equal(parseLoggedEvent(log(7, '00:00:01', 0, '# -sdown master mymaster 127.0.2.1 6379'))?.channel, '-sdown');
  });

  it('ignores lines that are not events the lab knows', () => {
    for (const line of [
      log(24833, '21:30:57', 215, '# Sentinel ID is 6f2d344226ab7fc932c8d047bf3051a274790527'),
      log(24833, '21:30:57', 347, '* Sentinel new configuration saved on disk'),
      log(24833, '21:30:57', 208, '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'),
      log(24833, '21:30:57', 1, '* +made-up-event master mymaster 127.0.2.1 6379'),
      `${SLAVE2}`,
      '[lab] could not start redis-server: ENOENT',
      '24833:X 01 Foo 2026 21:30:57.339 * +slave slave 127.0.2.2:6380 127.0.2.2 6380 @ mymaster 127.0.2.1 6379',
    ]) {
      assert.equal(parseLoggedEvent(line), undefined, line);
    }
  });
});

describe('MissedEvents', () => {
  const started = at('21:30:57', 0);

  it('keeps what the process logged before the first PSUBSCRIBE was sent, and hands it over once, when due', () => {
    const m = new MissedEvents();
    m.started('sentinel-1', started);
    assert.deepEqual(
      m.line('sentinel-1', log(40, '21:30:57', 208, '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo')),
      [],
    );
    assert.deepEqual(m.line('sentinel-1', log(40, '21:30:57', 215, MONITOR)), []);
    assert.deepEqual(m.line('sentinel-1', log(40, '21:30:57', 339, `* ${SLAVE2}`)), []);
    // Not due before a PSUBSCRIBE was sent.
    assert.deepEqual(m.due('sentinel-1', at('21:30:57', 390)), []);
    m.subscribing('sentinel-1', at('21:30:57', 400));
    // Logged in the same millisecond as the PSUBSCRIBE was sent: it may have been published to the lab already.
    assert.deepEqual(m.line('sentinel-1', log(40, '21:30:57', 400, `* ${SLAVE3}`)), []);
    const handed = m.due('sentinel-1', at('21:30:57', 402));
    assert.deepEqual(
      handed.map((e) => [e.channel, e.at]),
      [
        ['+monitor', at('21:30:57', 215)],
        ['+slave', at('21:30:57', 339)],
      ],
    );
    // Once: the next message or a reconnect gets nothing again.
    assert.deepEqual(m.due('sentinel-1', at('21:30:57', 403)), []);
    m.subscribing('sentinel-1', at('21:31:30', 0));
    assert.deepEqual(m.due('sentinel-1', at('21:31:30', 1)), []);
  });

  it("an event of the round trip: the log's copy when pub/sub did not bring it by the marker, else none", () => {
    const m = new MissedEvents();
    m.started('sentinel-1', started);
    m.line('sentinel-1', log(40, '21:30:57', 215, MONITOR));
    m.subscribing('sentinel-1', at('21:30:57', 400));
    // Both logged while the PSUBSCRIBE was on its way: the Sentinel subscribed the lab between them.
    m.line('sentinel-1', log(40, '21:30:57', 401, `* ${SLAVE2}`));
    m.line('sentinel-1', log(40, '21:30:57', 404, `* ${SLAVE3}`));
    assert.deepEqual(
      m.due('sentinel-1', at('21:30:57', 405)).map((e) => e.channel),
      ['+monitor'],
    );
    // Pub/sub brought the second only (published after the subscription took effect).
    m.message('sentinel-1', '+slave', SLAVE3.slice('+slave '.length));
    assert.deepEqual(
      m.settled('sentinel-1').map((e) => [e.payload, e.at]),
      [[SLAVE2.slice('+slave '.length), at('21:30:57', 401)]],
    );
    // Once per process.
    assert.deepEqual(m.settled('sentinel-1'), []);
    // A window line the log hands over late is judged the same way; one after the confirmation is pub/sub's.
    assert.deepEqual(m.line('sentinel-1', log(40, '21:30:57', 406, `* ${SLAVE2}`)), []);
  });

  it('a window line read after the marker: shown unless pub/sub brought it; each message accounts for one line', () => {
    const m = new MissedEvents();
    m.started('sentinel-2', started);
    m.subscribing('sentinel-2', at('21:30:57', 300));
    assert.deepEqual(m.due('sentinel-2', at('21:30:57', 310)), []);
    m.message('sentinel-2', '+sdown', 'sentinel x 127.0.2.9 26379 @ mymaster 127.0.2.1 6379');
    assert.deepEqual(m.settled('sentinel-2'), []);
    // After the marker, messages no longer account for window lines (they are events after the confirmation).
    m.message('sentinel-2', '+slave', SLAVE2.slice('+slave '.length));
    const sdown = '# +sdown sentinel x 127.0.2.9 26379 @ mymaster 127.0.2.1 6379';
    assert.deepEqual(m.line('sentinel-2', log(41, '21:30:57', 305, sdown)), []);
    assert.deepEqual(
      m.line('sentinel-2', log(41, '21:30:57', 306, sdown)).map((e) => e.channel),
      ['+sdown'],
    );
    assert.deepEqual(
      m.line('sentinel-2', log(41, '21:30:57', 307, `* ${SLAVE2}`)).map((e) => e.channel),
      ['+slave'],
    );
  });

  it('the first PSUBSCRIBE sets the cutoff: one that timed out may still have subscribed', () => {
    const m = new MissedEvents();
    m.started('sentinel-1', started);
    m.line('sentinel-1', log(40, '21:30:57', 215, MONITOR));
    m.subscribing('sentinel-1', at('21:30:57', 300));
    // Published after the first attempt: pub/sub may have delivered it before the retry succeeded.
    m.line('sentinel-1', log(40, '21:30:57', 900, `* ${SLAVE2}`));
    m.subscribing('sentinel-1', at('21:30:58', 200));
    assert.deepEqual(
      m.due('sentinel-1', at('21:30:58', 210)).map((e) => e.channel),
      ['+monitor'],
    );
  });

  it('a line read after the handover (the pipe lags the socket) is delivered if it predates the cutoff', () => {
    const m = new MissedEvents();
    m.started('sentinel-2', started);
    m.line('sentinel-2', log(41, '21:30:57', 210, '# Redis version=7.0.15, bits=64'));
    m.subscribing('sentinel-2', at('21:30:57', 300));
    assert.deepEqual(m.due('sentinel-2', at('21:30:57', 302)), []);
    assert.deepEqual(
      m.line('sentinel-2', log(41, '21:30:57', 299, `* ${SLAVE2}`)).map((e) => e.channel),
      ['+slave'],
    );
    // In the round trip: it waits for the marker. After the confirmation, pub/sub delivers: the log's copy is not
    // shown again.
    assert.deepEqual(m.line('sentinel-2', log(41, '21:30:57', 300, `* ${SLAVE3}`)), []);
    assert.deepEqual(m.line('sentinel-2', log(41, '21:30:58', 0, `* ${SLAVE3}`)), []);
    assert.deepEqual(
      m.settled('sentinel-2').map((e) => e.at),
      [at('21:30:57', 300)],
    );
  });

  it('only the current process counts: its own pid, no time before it started, and a restart starts over', () => {
    const m = new MissedEvents();
    m.started('sentinel-3', started);
    m.line('sentinel-3', log(50, '21:30:57', 100, '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
    // Another pid (a leftover line of a previous process) and a time long before the start.
    m.line('sentinel-3', log(49, '21:30:57', 120, MONITOR));
    m.line('sentinel-3', log(50, '21:20:00', 0, MONITOR));
    m.line('sentinel-3', log(50, '21:30:57', 130, MONITOR));
    m.subscribing('sentinel-3', at('21:30:58', 0));
    assert.deepEqual(
      m.due('sentinel-3', at('21:30:58', 1)).map((e) => e.pid),
      [50],
    );
    // Restarted: a new process, a new first subscription.
    m.started('sentinel-3', at('21:40:00', 0));
    m.line('sentinel-3', log(60, '21:40:00', 10, '# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo'));
    m.line('sentinel-3', log(60, '21:40:00', 20, MONITOR));
    m.subscribing('sentinel-3', at('21:40:00', 50));
    assert.deepEqual(
      m.due('sentinel-3', at('21:40:00', 51)).map((e) => [e.pid, e.channel]),
      [[60, '+monitor']],
    );
  });

  it('knows nothing of a Sentinel it was not told started (a deployment without logs)', () => {
    const m = new MissedEvents();
    assert.deepEqual(m.line('sentinel-1', log(40, '21:30:57', 215, MONITOR)), []);
    m.subscribing('sentinel-1', at('21:30:58', 0));
    assert.deepEqual(m.due('sentinel-1', at('21:30:58', 1)), []);
    assert.deepEqual(m.settled('sentinel-1'), []);
  });
});
