// The soak's growth checks can fail: a steady leak fails, a flat noisy series passes, for RSS and for handles; and
// a process warning raised during a soak is a failed check with its name, message and stack.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Sample, slope, trend } from '../../src/soak/checks.js';
import { fullGc } from '../../src/soak/gc.js';
import { prng } from '../../src/soak/schedule.js';
import { collectWarnings, warningsCheck } from '../../src/soak/warnings.js';

const MB = 1024 * 1024;
const MIN = 60_000;
const fmt = (v: number) => `${(v / MB).toFixed(1)} MB`;

/** One sample per round: rounds of 5–12 s (as the soak's are) for `minutes`, value from `f(t)` plus noise. */
function series(minutes: number, f: (tMs: number) => number, noise: (r: () => number) => number, seed = 1): Sample[] {
  const r = prng(seed);
  const out: Sample[] = [];
  for (let t = 5000 + r() * 7000; t < minutes * MIN; t += 5000 + r() * 7000)
    out.push({ atMs: t, value: f(t) + noise(r) });
  return out;
}

/** GC sawtooth (heap fills and is collected every ~40 s) plus ±3 MB jitter, around a level. */
const gcNoise = (r: () => number) => (r() - 0.5) * 6 * MB;
const sawtooth = (t: number) => ((t % 40_000) / 40_000) * 4 * MB;
/** What the first minutes of a soak look like: heap and pools growing 40 MB, then settling. */
const warmup = (t: number) => 40 * MB * Math.min(1, t / (3 * MIN));

const RSS = { warmupMs: 5 * MIN, maxGrowth: 10 * MB };

describe('trend (soak growth checks)', () => {
  it('a steady 3.7 MB/min fails a 30-minute run (the leak of issue #17)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const leak = series(30, (t) => 120 * MB + warmup(t) + (3.7 * MB * t) / MIN + sawtooth(t), gcNoise, seed);
      const v = trend(leak, RSS, fmt);
      assert.equal(v.ok, false, v.detail);
      assert.equal(v.judged, true);
      assert.ok(Math.abs(v.slopePerMin / MB - 3.7) < 0.3, `slope ${v.slopePerMin / MB}`);
      assert.ok(v.fittedGrowth > 80 * MB, fmt(v.fittedGrowth));
    }
  });

  it('a slower 0.6 MB/min still fails 30 minutes; a flat run with GC sawtooth and jitter passes', () => {
    const slow = series(30, (t) => 150 * MB + (0.6 * MB * t) / MIN + sawtooth(t), gcNoise);
    assert.equal(trend(slow, RSS, fmt).ok, false);
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const flat = series(30, (t) => 120 * MB + warmup(t) + sawtooth(t), gcNoise, seed);
      const v = trend(flat, RSS, fmt);
      assert.equal(v.ok, true, v.detail);
      assert.ok(Math.abs(v.slopePerMin) < 0.15 * MB, `slope ${v.slopePerMin / MB} MB/min`);
    }
  });

  it('growth during the warm-up is not judged; a step after it is (quartile medians)', () => {
    const steepStart = series(30, (t) => (t < 5 * MIN ? 100 * MB + (10 * MB * t) / MIN : 150 * MB), gcNoise);
    assert.equal(trend(steepStart, RSS, fmt).ok, true);
    // Flat, then a jump of 15 MB for the last quarter: the line rises less than the step, the quartiles catch it.
    const step = series(30, (t) => 150 * MB + (t > 24 * MIN ? 15 * MB : 0), gcNoise);
    const v = trend(step, RSS, fmt);
    assert.equal(v.ok, false, v.detail);
    assert.ok(v.quartileGrowth > 10 * MB);
  });

  it('the 2-minute CI run: 40% warm-up; a fast leak fails, flat passes', () => {
    const ci = { warmupMs: 0.4 * 2 * MIN, maxGrowth: 10 * MB };
    const fast = series(2, (t) => 150 * MB + (12 * MB * t) / MIN, gcNoise);
    assert.equal(trend(fast, ci, fmt).ok, false);
    const flat = series(2, (t) => 150 * MB + sawtooth(t), gcNoise);
    const v = trend(flat, ci, fmt);
    assert.equal(v.ok, true, v.detail);
    assert.ok(v.samples >= 4, `${v.samples} samples judged`);
  });

  it('handles: one leaked per round fails; churn of ±6 around a level passes', () => {
    const bounds = { warmupMs: 5 * MIN, maxGrowth: 12 };
    let n = 140;
    const leaking = series(
      30,
      () => n++,
      (r) => Math.round((r() - 0.5) * 12),
    );
    assert.equal(trend(leaking, bounds, String).ok, false);
    for (const seed of [1, 2, 3]) {
      const churn = series(
        30,
        () => 145,
        (r) => Math.round((r() - 0.5) * 12),
        seed,
      );
      assert.equal(trend(churn, bounds, String).ok, true);
    }
  });

  it('too few samples after the warm-up: not judged, and says so', () => {
    const v = trend(
      [
        { atMs: 1000, value: 1 },
        { atMs: 400_000, value: 500 },
      ],
      RSS,
      fmt,
    );
    assert.equal(v.judged, false);
    assert.match(v.detail, /not judged: 1 samples after the 300 s warm-up/);
  });

  it('slope is the least-squares slope', () => {
    assert.equal(
      slope([
        { atMs: 0, value: 1 },
        { atMs: 1, value: 3 },
        { atMs: 2, value: 5 },
      ]),
      2,
    );
    assert.equal(slope([{ atMs: 5, value: 1 }]), 0);
    assert.equal(
      slope([
        { atMs: 5, value: 1 },
        { atMs: 5, value: 9 },
      ]),
      0,
    );
  });
});

describe('process warnings', () => {
  it('a MaxListenersExceededWarning during collection fails the check with its name, message and stack', async () => {
    const c = collectWarnings();
    // Raise the real thing: one listener more than the default limit on an emitter.
    const { EventEmitter } = await import('node:events');
    const e = new EventEmitter();
    const seen = new Promise<void>((resolve) => process.once('warning', () => resolve()));
    for (let i = 0; i <= EventEmitter.defaultMaxListeners; i++) e.on('error', () => {});
    await seen;
    c.dispose();
    process.emitWarning('after dispose: not collected');
    await new Promise((r) => setImmediate(r));
    assert.equal(c.warnings.length, 1);
    const [w] = c.warnings;
    assert.equal(w?.name, 'MaxListenersExceededWarning');
    assert.match(w?.message ?? '', /11 error listeners added to \[EventEmitter\]/);
    assert.match(w?.stack ?? '', /MaxListenersExceededWarning/);
    const check = warningsCheck(c);
    assert.equal(check.ok, false);
    assert.match(check.detail, /^1 warning: MaxListenersExceededWarning: Possible EventEmitter memory leak/);
  });

  it('no warning: the check passes; a flood is capped and counted', async () => {
    assert.deepEqual(warningsCheck({ warnings: [], dropped: 0 }), {
      name: 'no process warnings',
      ok: true,
      detail: 'none',
    });
    const c = collectWarnings();
    for (let i = 0; i < 60; i++) process.emitWarning(`w${i}`, 'DeprecationWarning');
    await new Promise((r) => setImmediate(r));
    c.dispose();
    assert.equal(c.warnings.length, 50);
    assert.equal(c.dropped, 10);
    assert.match(warningsCheck(c).detail, /^60 warnings: .*… 10 more$/);
  });
});

describe('fullGc', () => {
  it('gives a working gc without --expose-gc on the command line', () => {
    const gc = fullGc();
    assert.equal(typeof gc, 'function');
    gc?.();
    const before = process.memoryUsage().heapUsed;
    let garbage: Array<{ i: number; s: string }> | undefined = Array.from({ length: 300_000 }, (_, i) => ({
      i,
      s: `x${i}`,
    }));
    const held = process.memoryUsage().heapUsed;
    assert.ok(held - before > 10 * MB, `allocated ${fmt(held - before)}`);
    garbage = undefined;
    assert.equal(garbage, undefined);
    gc?.();
    assert.ok(process.memoryUsage().heapUsed - before < 2 * MB, 'the garbage is collected');
  });
});
