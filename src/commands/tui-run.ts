// Runs the full-screen lab: one engine, one store, the TUI on top; cleanup on q, Ctrl+C, SIGTERM, SIGHUP, crash.
import type { TopologyShape } from '../cluster/topology.js';
import { Lab } from '../engine/lab.js';
import { errorMessage } from '../errors.js';
import type { LabController } from '../state/controller.js';
import { runTui } from '../ui/run-tui.js';
import { openLesson } from './lesson-session.js';
import { guardLab } from './lifecycle.js';
import { type CommonOptions, findBinary } from './options.js';
import type { SentinelFlags } from './sentinel-options.js';
import { type ServedControl, serveControl } from './serve-control.js';

export async function runLabTui(
  opts: CommonOptions & SentinelFlags & { lesson?: string; sandbox?: boolean },
): Promise<number> {
  // A deployment the lab did not start (--sentinel): read-only (tui-remote.ts).
  if (opts.sentinel) return (await import('./tui-remote.js')).runRemoteTui(opts);
  const binary = await findBinary(opts);
  const lesson = opts.sandbox ? undefined : await openLesson(opts.lesson);
  const shape: TopologyShape | undefined = lesson?.shape;
  const lab = await Lab.create({
    binary,
    shape,
    basePort: opts.basePort,
    strictPorts: opts.basePort !== undefined,
    keep: opts.keep,
  });
  const guard = guardLab(lab);
  const abort = new AbortController();
  const session = lesson?.attach(lab);
  const controller: LabController = {
    store: lab.store,
    unavailable: lab.missing,
    perform: (a) => lab.perform(a),
    lesson: session?.controls,
    exportRun: () => lab.exportRun(process.cwd()),
    quit: async () => {
      session?.dispose();
      await lab.shutdown();
    },
  };
  const moved = lab.deployment.portsMoved;
  if (moved) {
    lab.notice('warning', `Ports ${moved.from}… are busy (${moved.reason}): the whole block moved to ${moved.to}.`);
  }
  // Start in the background: the screen shows progress at once and stays responsive.
  let startFailed = false;
  let control: ServedControl | undefined;
  lab.start().then(
    async () => {
      session?.started();
      // `redis-sentinel-lab do …` from another terminal acts on this lab too.
      const served = await serveControl(lab);
      if ('error' in served) lab.notice('warning', served.error);
      else if (lab.store.getState().phase.startsWith('stop')) await served.close();
      else control = served;
    },
    (err: unknown) => {
      if (!lab.store.getState().phase.startsWith('stop')) {
        startFailed = true;
        lab.notice(
          'error',
          `The cluster did not start: ${errorMessage(err)}`,
          'Press q to quit; the node log shows why.',
        );
        lab.emitter.emit('phase', 'failed');
      }
    },
  );
  void guard.signalled.then(() => abort.abort());
  try {
    await runTui(controller, { signal: abort.signal });
  } finally {
    session?.dispose();
    await control?.close();
    await lab.shutdown();
    guard.dispose();
  }
  // The user quit after "The cluster did not start": the run failed, and scripts must be able to tell.
  return startFailed ? 1 : 0;
}
