// Process warnings during a soak (a `MaxListenersExceededWarning`, a deprecation, anything `process.emitWarning`
// raises) are failures, not stderr noise: each is kept with its name, message and stack for the report.
// Node still prints them as usual; this only listens (https://nodejs.org/api/process.html#event-warning).

export interface ProcessWarning {
  name: string;
  message: string;
  stack?: string;
  /** Milliseconds since collection began. */
  atMs: number;
}

export interface WarningCollector {
  readonly warnings: readonly ProcessWarning[];
  dispose(): void;
}

/** At most this many are kept (a warning in a loop must not become the leak); `dropped` counts the rest. */
const MAX_KEPT = 50;

export function collectWarnings(now: () => number = Date.now): WarningCollector & { readonly dropped: number } {
  const t0 = now();
  const warnings: ProcessWarning[] = [];
  let dropped = 0;
  const onWarning = (w: Error) => {
    if (warnings.length >= MAX_KEPT) {
      dropped++;
      return;
    }
    warnings.push({ name: w.name, message: w.message, ...(w.stack ? { stack: w.stack } : {}), atMs: now() - t0 });
  };
  process.on('warning', onWarning);
  return {
    warnings,
    get dropped() {
      return dropped;
    },
    dispose: () => {
      process.off('warning', onWarning);
    },
  };
}

/** The soak's check over what was collected: ok only when there was none. */
export function warningsCheck(c: { warnings: readonly ProcessWarning[]; dropped: number }): {
  name: string;
  ok: boolean;
  detail: string;
} {
  const n = c.warnings.length + c.dropped;
  return {
    name: 'no process warnings',
    ok: n === 0,
    detail:
      n === 0
        ? 'none'
        : `${n} warning${n === 1 ? '' : 's'}: ${c.warnings
            .map((w) => `${w.name}: ${w.message} (at ${(w.atMs / 1000).toFixed(1)} s)`)
            .join(' | ')}${c.dropped ? ` | … ${c.dropped} more` : ''}`,
  };
}
