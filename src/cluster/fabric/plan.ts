// Fault specs and their translation into per-link rules (bytes flowing host -> host).
// Pure: no I/O, no clocks; the proxy consults the result of `effectiveRules` per chunk.

import { UserError } from '../../errors.js';

/** Host id of any caller whose source IP is not a lab host (e.g. the user's terminal on 127.0.0.1). */
export const OUTSIDE_HOST = 'outside';

export type CutMode = 'drop' | 'reject';

export type FaultSpec =
  | { kind: 'partition'; groups: string[][]; mode: CutMode }
  | { kind: 'isolate'; host: string; mode: CutMode }
  | { kind: 'cut'; from: string; to: string; mode: CutMode }
  | { kind: 'latency'; from: string; to: string; latencyMs: number; jitterMs: number; bothWays: boolean }
  | { kind: 'bandwidth'; from: string; to: string; bytesPerSec: number; bothWays: boolean };

export type LinkEffect =
  | { kind: 'cut'; mode: CutMode }
  | { kind: 'delay'; latencyMs: number; jitterMs: number }
  | { kind: 'throttle'; bytesPerSec: number };

/** Applies to bytes flowing from host `from` to host `to`. */
export type LinkRule = { from: string; to: string; effect: LinkEffect };

export type ActiveFault = { id: string; spec: FaultSpec; rules: LinkRule[]; appliedAt: number; description: string };

/** What every active fault together does to one direction of one host pair. */
export type EffectiveLink = {
  cut?: CutMode;
  delay?: { latencyMs: number; jitterMs: number };
  throttleBytesPerSec?: number;
};

/** Validates `spec` against the known hosts ("outside" is always known) and expands it into link rules. */
export function planFault(spec: FaultSpec, hosts: readonly string[]): LinkRule[] {
  const known = new Set([...hosts, OUTSIDE_HOST]);
  switch (spec.kind) {
    case 'partition': {
      checkMode(spec.mode);
      return partitionRules(checkGroups(spec.groups, known), spec.mode);
    }
    case 'isolate': {
      checkMode(spec.mode);
      checkHost('host', spec.host, known);
      const others = hosts.filter((h) => h !== spec.host && h !== OUTSIDE_HOST);
      if (others.length === 0) throw new UserError(`host: no other host to isolate "${spec.host}" from`);
      return partitionRules([[spec.host], others], spec.mode);
    }
    case 'cut': {
      checkMode(spec.mode);
      checkPair(spec.from, spec.to, known);
      return [{ from: spec.from, to: spec.to, effect: { kind: 'cut', mode: spec.mode } }];
    }
    case 'latency': {
      checkPair(spec.from, spec.to, known);
      checkNumber('latencyMs', spec.latencyMs, 0);
      checkNumber('jitterMs', spec.jitterMs, 0);
      const effect: LinkEffect = { kind: 'delay', latencyMs: spec.latencyMs, jitterMs: spec.jitterMs };
      return pairRules(spec.from, spec.to, spec.bothWays, effect);
    }
    case 'bandwidth': {
      checkPair(spec.from, spec.to, known);
      checkNumber('bytesPerSec', spec.bytesPerSec, 1);
      return pairRules(spec.from, spec.to, spec.bothWays, { kind: 'throttle', bytesPerSec: spec.bytesPerSec });
    }
    default:
      throw new UserError(`kind: unknown fault kind "${(spec as { kind: unknown }).kind}"`);
  }
}

export function describeFault(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'partition':
      return `partition ${spec.groups.map((g) => `{${g.join(', ')}}`).join(' | ')} (${spec.mode})`;
    case 'isolate':
      return `isolate ${spec.host} (${spec.mode})`;
    case 'cut':
      return `${spec.from} -/-> ${spec.to} (${spec.mode})`;
    case 'latency': {
      const amount = spec.jitterMs > 0 ? `${spec.latencyMs}±${spec.jitterMs}` : `${spec.latencyMs}`;
      return `latency ${spec.from} ${arrow(spec.bothWays)} ${spec.to} ${amount} ms`;
    }
    case 'bandwidth':
      return `bandwidth ${spec.from} ${arrow(spec.bothWays)} ${spec.to} ${formatRate(spec.bytesPerSec)}`;
  }
}

/** Structural equality ignoring group order, host order inside groups, and endpoint order of two-way faults. */
export function sameFault(a: FaultSpec, b: FaultSpec): boolean {
  return canonicalKey(a) === canonicalKey(b);
}

/** Combines every active rule for bytes flowing `from` -> `to`: a cut wins, reject beats drop, delays add, the lowest bandwidth applies. */
export function effectiveRules(active: readonly ActiveFault[], from: string, to: string): EffectiveLink {
  const out: EffectiveLink = {};
  for (const fault of active) {
    for (const rule of fault.rules) {
      if (rule.from !== from || rule.to !== to) continue;
      const e = rule.effect;
      if (e.kind === 'cut') {
        if (out.cut !== 'reject') out.cut = e.mode;
      } else if (e.kind === 'delay') {
        const prev = out.delay ?? { latencyMs: 0, jitterMs: 0 };
        out.delay = { latencyMs: prev.latencyMs + e.latencyMs, jitterMs: prev.jitterMs + e.jitterMs };
      } else {
        out.throttleBytesPerSec = Math.min(out.throttleBytesPerSec ?? Number.POSITIVE_INFINITY, e.bytesPerSec);
      }
    }
  }
  return out;
}

export function formatRate(bytesPerSec: number): string {
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let value = bytesPerSec;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

function arrow(bothWays: boolean): string {
  return bothWays ? '<->' : '->';
}

function partitionRules(groups: readonly (readonly string[])[], mode: CutMode): LinkRule[] {
  const rules: LinkRule[] = [];
  groups.forEach((group, i) => {
    groups.forEach((other, j) => {
      if (i === j) return;
      for (const from of group) for (const to of other) rules.push({ from, to, effect: { kind: 'cut', mode } });
    });
  });
  return rules;
}

function pairRules(from: string, to: string, bothWays: boolean, effect: LinkEffect): LinkRule[] {
  const rules: LinkRule[] = [{ from, to, effect }];
  if (bothWays) rules.push({ from: to, to: from, effect: { ...effect } });
  return rules;
}

function checkGroups(groups: unknown, known: ReadonlySet<string>): string[][] {
  if (!Array.isArray(groups) || groups.length < 2) {
    throw new UserError('groups: a partition needs at least 2 groups', { hint: 'e.g. [[host-1], [host-2, host-3]]' });
  }
  const seen = new Map<string, number>();
  groups.forEach((group: unknown, i) => {
    if (!Array.isArray(group) || group.length === 0)
      throw new UserError(`groups[${i}]: a group must name at least one host`);
    for (const host of group as unknown[]) {
      checkHost(`groups[${i}]`, host, known);
      const first = seen.get(host as string);
      if (first !== undefined) {
        throw new UserError(`groups: host "${String(host)}" is in both group ${first} and group ${i}`);
      }
      seen.set(host as string, i);
    }
  });
  return groups as string[][];
}

function checkPair(from: string, to: string, known: ReadonlySet<string>): void {
  checkHost('from', from, known);
  checkHost('to', to, known);
  if (from === to) throw new UserError(`to: must differ from "from" (both are "${from}")`);
}

function checkHost(field: string, host: unknown, known: ReadonlySet<string>): void {
  if (typeof host !== 'string' || !known.has(host)) {
    throw new UserError(`${field}: unknown host "${String(host)}"`, { hint: `known hosts: ${[...known].join(', ')}` });
  }
}

function checkMode(mode: unknown): void {
  if (mode !== 'drop' && mode !== 'reject')
    throw new UserError(`mode: must be "drop" or "reject", got "${String(mode)}"`);
}

function checkNumber(field: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new UserError(`${field}: must be a number >= ${min}, got ${String(value)}`);
  }
}

function canonicalKey(spec: FaultSpec): string {
  switch (spec.kind) {
    case 'partition': {
      const groups = spec.groups.map((g) => [...g].sort()).sort((x, y) => x.join('\0').localeCompare(y.join('\0')));
      return JSON.stringify(['partition', spec.mode, groups]);
    }
    case 'isolate':
      return JSON.stringify(['isolate', spec.mode, spec.host]);
    case 'cut':
      return JSON.stringify(['cut', spec.mode, spec.from, spec.to]);
    case 'latency':
      return JSON.stringify(['latency', ends(spec), spec.bothWays, spec.latencyMs, spec.jitterMs]);
    case 'bandwidth':
      return JSON.stringify(['bandwidth', ends(spec), spec.bothWays, spec.bytesPerSec]);
  }
}

function ends(spec: { from: string; to: string; bothWays: boolean }): string[] {
  return spec.bothWays ? [spec.from, spec.to].sort() : [spec.from, spec.to];
}
