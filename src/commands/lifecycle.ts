// Cleanup on every exit path: q / Ctrl+C (the TUI calls shutdown), SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR2,
// crashes, process exit.
import type { Lab } from '../engine/lab.js';
import { reportError } from './exit.js';
import { onOutputClosed } from './output.js';

/** Every signal whose default action would end the lab without cleanup (SIGKILL cannot be caught; Node keeps SIGUSR1 for its inspector). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];
/** Why a command stops: a signal, or its standard output's reader went away (`… | head -1`). */
export type StopReason = StopSignal | 'output-closed';

/**
 * Registers handlers; returns a promise that resolves with the first stop reason (a signal, or stdout's reader gone:
 * then the command cleans up exactly as on Ctrl+C and exits 0), and an uninstall function.
 */
export function guardLab(lab: Pick<Lab, 'shutdownSync'>): { signalled: Promise<StopReason>; dispose: () => void } {
  let resolveSignal: (s: StopReason) => void = () => {};
  const signalled = new Promise<StopReason>((r) => {
    resolveSignal = r;
  });
  const offOutput = onOutputClosed(() => resolveSignal('output-closed'));
  let count = 0;
  const onSignal = (sig: StopSignal) => {
    count++;
    // A second Ctrl+C while cleaning up means "now": kill synchronously and leave.
    if (count > 1) {
      lab.shutdownSync();
      process.exit(130);
    }
    resolveSignal(sig);
  };
  const onExit = () => lab.shutdownSync();
  const onCrash = (err: unknown) => {
    lab.shutdownSync();
    process.exitCode = reportError(err);
    process.exit();
  };
  const sigs: readonly StopSignal[] = STOP_SIGNALS;
  for (const s of sigs) process.on(s, onSignal);
  process.on('exit', onExit);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  return {
    signalled,
    dispose() {
      offOutput();
      for (const s of sigs) process.off(s, onSignal);
      process.off('exit', onExit);
      process.off('uncaughtException', onCrash);
      process.off('unhandledRejection', onCrash);
    },
  };
}
