import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdKeys } from '../../src/ui/hold-keys.js';
import { runTui } from '../../src/ui/run-tui.js';
import { healthyState } from '../fixtures/ui-states.js';
import { FakeStdin, FakeStdout } from '../helpers/render-tui.js';
import { fakeController } from './fake-controller.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function asStreams(s: ReturnType<typeof io>) {
  return {
    stdout: s.stdout as unknown as NodeJS.WriteStream,
    stdin: s.stdin as unknown as NodeJS.ReadStream,
    stderr: s.stderr as unknown as NodeJS.WriteStream,
  };
}

function io() {
  const stdout = new FakeStdout(100, 30);
  const stdin = new FakeStdin();
  return { stdout, stdin, stderr: new FakeStdout(100, 30) };
}

describe('runTui', () => {
  it('ends with the error when the terminal goes away (EIO), restoring what it can', async () => {
    const { controller } = fakeController(healthyState());
    const streams = io();
    const done = runTui(controller, { ...asStreams(streams), colorMode: 'none' });
    await sleep(100);
    streams.stdout.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }));
    await assert.rejects(done, /EIO/);
  });

  it('renders on the alternate screen, resolves after q → controller.quit(), and leaves the alternate screen', async () => {
    const { controller, calls } = fakeController(healthyState());
    const streams = io();
    const done = runTui(controller, { ...asStreams(streams), colorMode: 'none' });
    await sleep(100);
    const written = () => streams.stdout.frames.join('');
    assert.ok(written().includes('\x1b[?1049h'), 'entered the alternate screen');
    assert.ok(written().includes('Topology'));
    streams.stdin.write('q');
    await done;
    assert.deepEqual(
      calls.map((c) => c.method),
      ['quit'],
    );
    assert.ok(written().includes('\x1b[?1049l'), 'left the alternate screen');
  });

  it('rejects with the quit error but still restores the terminal', async () => {
    const { controller } = fakeController(healthyState(), {
      quit: async () => {
        throw new Error('could not stop redis-2');
      },
    });
    const streams = io();
    const done = runTui(controller, { ...asStreams(streams), colorMode: 'none' });
    await sleep(100);
    streams.stdin.write('\x03');
    await assert.rejects(done, /could not stop redis-2/);
    assert.ok(streams.stdout.frames.join('').includes('\x1b[?1049l'));
  });

  it('turns echo off (raw mode) before it writes anything, so a key typed while Ink starts is not echoed', async () => {
    const { controller } = fakeController(healthyState());
    const streams = io();
    // What the terminal had been written when raw mode was switched on or off.
    const switched: Array<{ on: boolean; written: number }> = [];
    Object.assign(streams.stdin, {
      setRawMode: (on: boolean) => void switched.push({ on, written: streams.stdout.frames.length }),
    });
    const done = runTui(controller, { ...asStreams(streams), colorMode: 'none' });
    const first = switched[0];
    assert.deepEqual(first, { on: true, written: 0 }, 'raw mode before the alternate screen and the first frame');
    await until(() => streams.stdout.frames.join('').includes('Topology'));
    assert.ok(!switched.some((x) => !x.on), 'raw mode stays on while the TUI runs');
    // A key echoed before Node ran left the cursor past column 0; the frames start where the cursor is.
    const written = streams.stdout.frames.join('');
    assert.ok(written.startsWith('\r'), 'back to column 0 first');
    assert.ok(written.indexOf('\x1b[?1049h') > 0, 'then the alternate screen');
    streams.stdin.write('q');
    await done;
    assert.equal(switched.at(-1)?.on, false, 'and is off again after');
  });
});

describe('holdKeys', () => {
  it('puts a terminal in raw mode until released (once), and leaves anything else alone', () => {
    const calls: boolean[] = [];
    const release = holdKeys({ isTTY: true, setRawMode: (on: boolean) => calls.push(on) });
    assert.deepEqual(calls, [true]);
    release();
    release();
    assert.deepEqual(calls, [true, false]);
    const piped: boolean[] = [];
    holdKeys({ isTTY: false, setRawMode: (on: boolean) => piped.push(on) })();
    assert.deepEqual(piped, []);
  });
});

/** Waits for `ok()` to hold (polling the event loop), failing after `timeoutMs`. */
async function until(ok: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
