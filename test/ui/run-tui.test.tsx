import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});
