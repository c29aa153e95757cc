// Network actions: partition, isolate, cut, latency and bandwidth between hosts, and healing them. They need the
// deployment's network capability (the local lab's fabric). A normalized network action IS the fabric's FaultSpec,
// and a lesson's cross-check runs the fabric's own validator (planFault), so a lesson cannot name a fault the
// engine would refuse.
import { z } from 'zod';
import {
  type CutMode,
  describeFault,
  type FaultSpec,
  formatRate,
  OUTSIDE_HOST,
  planFault,
} from '../cluster/fabric/plan.js';
import type { Topology } from '../cluster/topology.js';
import { errorMessage } from '../errors.js';
import { commandToken, count, endpointRef, hostRef, ms } from '../tokens.js';
import { type ActionEnv, asIs, defineAction, type Report, type TopologyRefs } from './action.js';

const cutMode = z.enum(['drop', 'reject'], { error: 'mode must be "drop" or "reject"' }).optional();

type Spec<K extends FaultSpec['kind']> = Extract<FaultSpec, { kind: K }>;

function ipsOf(t: Topology, hosts: readonly string[]): string {
  return hosts.map((h) => t.hosts.find((x) => x.id === h)?.ip ?? h).join(',');
}

/**
 * The iptables match for one side (`-s` or `-d`): the hosts' addresses, or for `outside` (every caller whose address
 * is no lab host's, plan.ts OUTSIDE_HOST) every address outside the hosts' subnet.
 */
function matchOf(flag: '-s' | '-d', t: Topology, hosts: readonly string[]): string {
  if (!hosts.includes(OUTSIDE_HOST)) return `${flag} ${ipsOf(t, hosts)}`;
  const nets = [...new Set(t.hosts.map((h) => h.ip.replace(/\.\d+$/, '.0/24')))];
  return `! ${flag} ${nets.length === 1 ? nets[0] : "<the hosts' subnet>"}`;
}

/** Where a `tc` line goes: on a host, or on the machine of a caller `outside` the lab. */
const onHost = (host: string) => (host === OUTSIDE_HOST ? "the outside caller's machine" : host);

const iptablesVerb = (mode: CutMode) => (mode === 'drop' ? 'DROP' : 'REJECT --reject-with tcp-reset');
const arrow = (bothWays: boolean) => (bothWays ? '⇄' : '→');

/** Cross-checks with the fabric's validator; planFault says `field: message`, which becomes the path below the action. */
function checkFault(spec: FaultSpec, refs: TopologyRefs, report: Report): void {
  try {
    planFault(spec, refs.hosts);
  } catch (err) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?: (.*)$/s.exec(errorMessage(err));
    if (m?.[1] && m[3]) report(m[2] === undefined ? [m[1]] : [m[1], Number(m[2])], m[3]);
    else report([], errorMessage(err));
  }
}

async function applyFault(spec: FaultSpec, env: ActionEnv): Promise<string> {
  const f = env.use('network').apply(spec);
  env.nemesis('fault', f.description);
  return `${f.id}: ${f.description}`;
}

/** How each fault reads on the topology pane, per affected host: "╳ partitioned (drop)". */
interface HostNotes<S> {
  hostNotes(spec: S, host: string): string[];
}

export const partition = defineAction({
  kind: 'partition',
  schema: z.strictObject({
    kind: z.literal('partition'),
    groups: z
      .array(z.array(endpointRef).min(1).max(20))
      .min(2, { error: 'a partition needs at least 2 groups' })
      .max(20),
    mode: cutMode,
  }),
  requires: 'network',
  disruptive: true,
  normalize: (a): Spec<'partition'> => ({ kind: 'partition', groups: a.groups, mode: a.mode ?? 'drop' }),
  title: (a) => describeFault(a),
  line: (a) => describeFault(a),
  busy: (a) => `${describeFault(a)}…`,
  equivalent(a, t) {
    const [first = [], second = []] = a.groups;
    // Written for the first group's hosts, dropping what comes from the second. The reverse is cut too, so when
    // `outside` is in the first group the sides swap: the rule still goes on a lab host. One rule cannot match
    // `outside` and a host: each gets its own.
    const [to, from] = first.includes(OUTSIDE_HOST) ? [second, first] : [first, second];
    const sources = [from.filter((h) => h !== OUTSIDE_HOST), from.filter((h) => h === OUTSIDE_HOST)];
    const rules = sources
      .filter((hosts) => hosts.length > 0)
      .map(
        (hosts) => `iptables -A INPUT ${matchOf('-s', t, hosts)} ${matchOf('-d', t, to)} -j ${iptablesVerb(a.mode)}`,
      );
    return `${rules.join('; ')}   # and the reverse, on each host`;
  },
  check: (a, refs, report) => checkFault(a, refs, report),
  execute: (a, env) => applyFault(a, env),
  hostNotes(s: Spec<'partition'>, host: string) {
    const mine = s.groups.findIndex((g) => g.includes(host));
    if (mine < 0) return [];
    // Mark the smaller side(s); the largest group is "the rest of the world".
    const largest = s.groups.reduce((best, g, i) => (g.length > (s.groups[best]?.length ?? 0) ? i : best), 0);
    if (mine === largest) return [];
    const others = s.groups.filter((_, i) => i !== mine).flat();
    return [`╳ partitioned from ${others.join(',')} (${s.mode})`];
  },
});

export const isolate = defineAction({
  kind: 'isolate',
  schema: z.strictObject({ kind: z.literal('isolate'), host: hostRef, mode: cutMode }),
  requires: 'network',
  disruptive: true,
  normalize: (a): Spec<'isolate'> => ({ kind: 'isolate', host: a.host, mode: a.mode ?? 'drop' }),
  title: (a) => describeFault(a),
  line: (a) => describeFault(a),
  busy: (a) => `${describeFault(a)}…`,
  equivalent(a, t) {
    const ip = ipsOf(t, [a.host]);
    const verb = iptablesVerb(a.mode);
    return `iptables -A INPUT ! -s ${ip} -j ${verb}; iptables -A OUTPUT ! -d ${ip} -j ${verb}   # on ${a.host}`;
  },
  check: (a, refs, report) => checkFault(a, refs, report),
  execute: (a, env) => applyFault(a, env),
  hostNotes: (s: Spec<'isolate'>, host: string) => (s.host === host ? [`╳ partitioned (${s.mode})`] : []),
});

export const cut = defineAction({
  kind: 'cut',
  schema: z.strictObject({ kind: z.literal('cut'), from: endpointRef, to: endpointRef, mode: cutMode }),
  requires: 'network',
  disruptive: true,
  normalize: (a): Spec<'cut'> => ({ kind: 'cut', from: a.from, to: a.to, mode: a.mode ?? 'drop' }),
  title: (a) => describeFault(a),
  line: (a) => `cut ${a.from} → ${a.to} (${a.mode})`,
  busy: (a) => `cutting ${a.from} → ${a.to} (${a.mode})…`,
  equivalent: (a, t) =>
    `iptables -A OUTPUT ${matchOf('-s', t, [a.from])} ${matchOf('-d', t, [a.to])} -j ${iptablesVerb(a.mode)}   # one way only`,
  check: (a, refs, report) => checkFault(a, refs, report),
  execute: (a, env) => applyFault(a, env),
  hostNotes: (s: Spec<'cut'>, host: string) => (s.from === host ? [`╳ cut → ${s.to} (${s.mode})`] : []),
});

/** Both directions unless told otherwise: that is what the engine always did, and what a slow link usually is. */
const bothWays = z.boolean().optional();

export const latency = defineAction({
  kind: 'latency',
  schema: z.strictObject({
    kind: z.literal('latency'),
    from: endpointRef,
    to: endpointRef,
    latencyMs: ms('latencyMs', 0, 60_000),
    jitterMs: ms('jitterMs', 0, 60_000).optional(),
    bothWays,
  }),
  requires: 'network',
  disruptive: false,
  normalize: (a): Spec<'latency'> => ({
    kind: 'latency',
    from: a.from,
    to: a.to,
    latencyMs: a.latencyMs,
    jitterMs: a.jitterMs ?? 0,
    bothWays: a.bothWays ?? true,
  }),
  title: (a) => describeFault(a),
  line: (a) => `latency ${a.from} ${arrow(a.bothWays)} ${a.to} ${a.latencyMs}${a.jitterMs ? `±${a.jitterMs}` : ''} ms`,
  busy: (a) => `adding ${a.latencyMs} ms latency ${a.from} ${arrow(a.bothWays)} ${a.to}…`,
  equivalent: (a) =>
    `tc qdisc add dev eth0 root netem delay ${a.latencyMs}ms ${a.jitterMs}ms   # on ${onHost(a.from)}${a.bothWays ? ` and ${onHost(a.to)}` : ''}`,
  check: (a, refs, report) => checkFault(a, refs, report),
  execute: (a, env) => applyFault(a, env),
  hostNotes(s: Spec<'latency'>, host: string) {
    if (s.from !== host && !(s.bothWays && s.to === host)) return [];
    const peer = s.from === host ? s.to : s.from;
    const amount = s.jitterMs ? `${s.latencyMs}±${s.jitterMs}` : `${s.latencyMs}`;
    return [`~ ${amount} ms ${arrow(s.bothWays)} ${peer}`];
  },
});

export const bandwidth = defineAction({
  kind: 'bandwidth',
  schema: z.strictObject({
    kind: z.literal('bandwidth'),
    from: endpointRef,
    to: endpointRef,
    bytesPerSec: count('bytesPerSec', 1, 1_000_000_000),
    bothWays,
  }),
  requires: 'network',
  disruptive: false,
  normalize: (a): Spec<'bandwidth'> => ({
    kind: 'bandwidth',
    from: a.from,
    to: a.to,
    bytesPerSec: a.bytesPerSec,
    bothWays: a.bothWays ?? true,
  }),
  title: (a) => describeFault(a),
  line: (a) => `bandwidth ${a.from} ${arrow(a.bothWays)} ${a.to} ${formatRate(a.bytesPerSec)}`,
  busy: (a) => `limiting ${a.from} ${arrow(a.bothWays)} ${a.to} to ${formatRate(a.bytesPerSec)}…`,
  equivalent: (a) =>
    `tc qdisc add dev eth0 root tbf rate ${Math.round((a.bytesPerSec * 8) / 1000)}kbit burst 32kbit latency 400ms   # on ${onHost(a.from)}${a.bothWays ? ` and ${onHost(a.to)}` : ''}`,
  check: (a, refs, report) => checkFault(a, refs, report),
  execute: (a, env) => applyFault(a, env),
  hostNotes(s: Spec<'bandwidth'>, host: string) {
    if (s.from !== host && !(s.bothWays && s.to === host)) return [];
    return [`⇣ ${s.bytesPerSec} B/s ${arrow(s.bothWays)} ${s.from === host ? s.to : s.from}`];
  },
});

export const heal = defineAction({
  kind: 'heal',
  schema: z.strictObject({ kind: z.literal('heal'), fault: commandToken('fault id') }),
  // `do heal` alone heals every fault; `do heal f2` one.
  cli: { args: ['fault'], bare: 'heal-all' },
  requires: 'network',
  disruptive: false,
  normalize: asIs,
  title: (a) => `heal ${a.fault}`,
  line: (a) => `heal ${a.fault}`,
  busy: (a) => `healing ${a.fault}…`,
  equivalent: () => '# remove the iptables/tc rules of that fault',
  async execute(a, env) {
    const f = env.use('network').heal(a.fault);
    env.nemesis('heal', f.description);
    return `healed ${f.id}`;
  },
});

export const healAll = defineAction({
  kind: 'heal-all',
  schema: z.strictObject({ kind: z.literal('heal-all') }),
  requires: 'network',
  disruptive: false,
  normalize: asIs,
  title: () => 'heal all faults',
  line: () => 'heal all faults',
  busy: () => 'healing all faults…',
  equivalent: () => 'iptables -F; tc qdisc del dev eth0 root   # on each host of a real network',
  async execute(_a, env) {
    const healed = env.use('network').healAll();
    for (const f of healed) env.nemesis('heal', f.description);
    return healed.length ? `healed ${healed.length} fault(s)` : 'no active faults';
  },
});

export const NETWORK_ACTIONS = [partition, isolate, cut, latency, bandwidth, heal, healAll] as const;

const FAULTS: { [K in FaultSpec['kind']]: HostNotes<Spec<K>> } = { partition, isolate, cut, latency, bandwidth };

/** The notes an active fault puts on one host of the topology pane (empty when it does not touch that host). */
export function faultHostNotes(spec: FaultSpec, host: string): string[] {
  // The discriminant picks the definition made for exactly this spec's kind.
  return (FAULTS[spec.kind] as HostNotes<FaultSpec>).hostNotes(spec, host);
}
