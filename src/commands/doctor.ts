// `redis-sentinel-lab doctor`: checks everything the lab needs and says exactly how to fix what is missing.
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { resolveServerBinary } from '../cluster/process/binaries.js';
import { isPortFree } from '../cluster/process/ports.js';
import { inspectRunRoot, octal, runRoot } from '../cluster/process/run-dir.js';
import { buildTopology, DEFAULT_SHAPE, NOTE_BASE_PORT, topologyPorts } from '../cluster/topology.js';
import { aliasHint, detectNetworkMode } from '../engine/lab.js';
import { errorMessage, UserError } from '../errors.js';
import type { DoctorReport } from './json-schemas.js';
import type { CommonOptions } from './options.js';
import { SCHEMA_VERSION } from './schema-version.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
  /** A warning does not make doctor fail. */
  warning?: boolean;
}

export async function runChecks(opts: CommonOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  checks.push({
    name: 'Node.js',
    ok: major > 22 || (major === 22 && minor >= 12),
    detail: process.version,
    hint: 'Install Node.js 22.12 or newer.',
  });
  try {
    const b = await resolveServerBinary({
      flag: opts.redisServer,
      env: process.env.REDIS_SERVER,
      pathEnv: process.env.PATH,
    });
    checks.push({ name: 'Redis server', ok: true, detail: `${b.flavor} ${b.version} at ${b.path} (from ${b.source})` });
  } catch (err) {
    checks.push({
      name: 'Redis server',
      ok: false,
      detail: errorMessage(err),
      hint: err instanceof UserError ? err.hint : undefined,
    });
  }
  const mode = await detectNetworkMode();
  const t = buildTopology(DEFAULT_SHAPE, NOTE_BASE_PORT, mode);
  checks.push({
    name: 'Loopback addresses',
    ok: mode === 'hosts',
    warning: mode !== 'hosts',
    detail:
      mode === 'hosts'
        ? '127.0.1.x and 127.0.2.x are usable: every host gets its own address; partitions available'
        : 'only 127.0.0.1: the lab runs, but network partitions are unavailable',
    hint: mode === 'hosts' ? undefined : aliasHint(t),
  });
  const ips = t.hosts.flatMap((h) => [h.ip, h.publicIp]);
  const base = opts.basePort ?? NOTE_BASE_PORT;
  const busy: number[] = [];
  for (const p of topologyPorts(DEFAULT_SHAPE, base)) if (!(await isPortFree(p, ips))) busy.push(p);
  checks.push({
    name: 'Ports',
    ok: true,
    warning: busy.length > 0,
    detail: busy.length
      ? `busy: ${busy.join(', ')} — the lab will move its whole block elsewhere and say where`
      : `the note's block is free (${base}–${base + 4}, ${base + 100}–${base + 102})`,
  });
  checks.push(runRootCheck(runRoot()));
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const cols = process.stdout.columns ?? 0;
  const rows = process.stdout.rows ?? 0;
  const term = process.env.TERM ?? '';
  checks.push({
    name: 'Terminal',
    ok: true,
    warning: !tty || term === 'dumb' || cols < 80 || rows < 24,
    detail: tty
      ? `${cols}x${rows}, TERM=${term || '(unset)'}${process.env.NO_COLOR !== undefined ? ', NO_COLOR set' : ''}${cols < 80 || rows < 24 ? ' — the TUI needs at least 80x24' : ''}`
      : 'not a TTY: use the headless commands (up, watch, lesson run --headless)',
  });
  if (process.platform === 'win32') {
    checks.push({
      name: 'Platform',
      ok: false,
      detail: 'Windows is not supported (no SIGSTOP, no native Redis).',
      hint: 'Use WSL: https://learn.microsoft.com/windows/wsl/install',
    });
  }
  return checks;
}

/**
 * The run root, judged exactly as the lab judges it before a start (run-dir.ts), without changing anything: a root
 * someone else owns, a symlink or one others can write to is a ✗ with the fix.
 */
export function runRootCheck(root: string): Check {
  const name = 'Run directory';
  const s = inspectRunRoot(root);
  switch (s.state) {
    case 'ok':
      return { name, ok: true, detail: `${root} (yours, mode 0700)` };
    case 'tighten':
      return {
        name,
        ok: true,
        warning: true,
        detail: `${root} is yours but readable by others (mode ${octal(s.mode)}); the lab tightens it to 0700`,
      };
    case 'refused':
      return { name, ok: false, detail: s.error.message, hint: s.error.hint };
    case 'missing': {
      // It will be created with its missing parents: the nearest existing one must be a writable directory.
      let p = dirname(root);
      for (;;) {
        try {
          lstatSync(p);
          break;
        } catch {
          if (dirname(p) === p) break;
          p = dirname(p);
        }
      }
      try {
        accessSync(p, constants.W_OK | constants.X_OK);
        if (!statSync(p).isDirectory()) throw new Error(`${p} is not a directory`);
        return { name, ok: true, detail: `${root} (created at the first start, mode 0700)` };
      } catch (err) {
        return {
          name,
          ok: false,
          detail: `${root} cannot be created: ${errorMessage(err)}`,
          hint: 'Set RSL_RUN_ROOT to a writable directory.',
        };
      }
    }
  }
}

export async function doctorCommand(opts: CommonOptions): Promise<number> {
  const checks = await runChecks(opts);
  const ok = checks.every((c) => c.ok);
  if (opts.json) {
    const record: z.input<typeof DoctorReport> = { schemaVersion: SCHEMA_VERSION, type: 'doctor', ok, checks };
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } else {
    for (const c of checks) {
      const mark = !c.ok ? '✗' : c.warning ? '!' : '✓';
      process.stdout.write(`${mark} ${c.name.padEnd(19)} ${c.detail}\n`);
      if (c.hint && (!c.ok || c.warning)) process.stdout.write(`${c.hint.replace(/^/gm, '    ')}\n`);
    }
    process.stdout.write(
      ok ? '\nEverything the lab needs is here.\n' : '\nFix the ✗ items above, then run doctor again.\n',
    );
  }
  return ok ? 0 : 1;
}
