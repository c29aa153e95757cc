// Pure logic of the fault pickers: which LabAction a partition or latency form stands for.
import type { LabAction } from '../../actions/catalog.js';
import type { Modal } from '../state/ui-store.js';

type PartitionForm = Extract<Modal, { kind: 'partition' }>;
type LatencyForm = Extract<Modal, { kind: 'latency' }>;

export type PickResult = { action: LabAction } | { error: string };

/**
 * Group A alone isolates it from every other host; A and B cut both ways between them;
 * one-way cuts traffic from the single host in A to the single host in B.
 */
export function partitionAction(form: PartitionForm, hosts: readonly string[]): PickResult {
  const a = hosts.filter((h) => form.sides[h] === 'A');
  const b = hosts.filter((h) => form.sides[h] === 'B');
  if (a.length === 0) return { error: 'put at least one host in group A (press a)' };
  if (form.oneWay) {
    const [from] = a;
    const [to] = b;
    if (a.length !== 1 || b.length !== 1 || !from || !to) return { error: 'one-way needs one host in A and one in B' };
    return { action: { kind: 'cut', from, to, mode: form.mode } };
  }
  if (b.length === 0) {
    const rest = hosts.filter((h) => form.sides[h] !== 'A');
    if (rest.length === 0) return { error: 'leave at least one host outside group A' };
    const [only] = a;
    if (a.length === 1 && only) return { action: { kind: 'isolate', host: only, mode: form.mode } };
    return { action: { kind: 'partition', groups: [a, rest], mode: form.mode } };
  }
  return { action: { kind: 'partition', groups: [a, b], mode: form.mode } };
}

export const LATENCY_FIELDS = ['from', 'to', 'latency', 'jitter', 'direction'] as const;

export function latencyAction(form: LatencyForm): PickResult {
  if (form.from === form.to) return { error: 'from and to must be different hosts' };
  return {
    action: {
      kind: 'latency',
      from: form.from,
      to: form.to,
      latencyMs: form.latencyMs,
      jitterMs: form.jitterMs,
      bothWays: form.bothWays,
    },
  };
}

/** Steps the focused latency field by `dir` (hosts cycle, milliseconds move in fixed steps). */
export function stepLatency(form: LatencyForm, hosts: readonly string[], dir: 1 | -1): Partial<LatencyForm> {
  const cycle = (h: string) => {
    const i = hosts.indexOf(h);
    return hosts[(i + dir + hosts.length) % hosts.length] ?? h;
  };
  switch (LATENCY_FIELDS[form.field]) {
    case 'from':
      return { from: cycle(form.from), error: undefined };
    case 'to':
      return { to: cycle(form.to), error: undefined };
    case 'latency':
      return { latencyMs: Math.max(0, Math.min(10_000, form.latencyMs + dir * 50)) };
    case 'jitter':
      return { jitterMs: Math.max(0, Math.min(5_000, form.jitterMs + dir * 10)) };
    default:
      return { bothWays: !form.bothWays };
  }
}
