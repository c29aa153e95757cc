// Sentinel actions: a manual failover (which Sentinel then carries out itself), SENTINEL CKQUORUM (can the quorum and
// a majority be reached?) and SENTINEL SET on every Sentinel. Failover and CKQUORUM need the deployment's failover
// capability; SENTINEL SET changes settings, so it needs reconfigure.
import { z } from 'zod';
import { cliProgram, sentinelNodes, type Topology } from '../cluster/topology.js';
import { UserError } from '../errors.js';
import { MAX_MS, sentinelRef } from '../tokens.js';
import { asIs, cliLine, defineAction, type Report, type TopologyRefs, unknownNode } from './action.js';

function needSentinels(kind: string, refs: TopologyRefs, report: Report): void {
  if (refs.sentinels.size === 0) report(['kind'], `${kind} needs Sentinels but the topology has none`);
}

/** The Sentinel a failover asks: the one named, else the first. */
function askedSentinel(a: { sentinel?: string }, t: Topology): string | undefined {
  return a.sentinel ?? sentinelNodes(t)[0]?.id;
}

export const failover = defineAction({
  kind: 'failover',
  schema: z.strictObject({ kind: z.literal('failover'), sentinel: sentinelRef.optional() }),
  requires: 'failover',
  // The cause of the failover it asks for (a timeline names it).
  disruptive: true,
  normalize: asIs,
  title: (a, t) => `SENTINEL FAILOVER via ${askedSentinel(a, t) ?? 'a Sentinel'}`,
  line: (a) => `SENTINEL FAILOVER${a.sentinel ? ` via ${a.sentinel}` : ''}`,
  busy: () => 'asking Sentinel for a failover…',
  equivalent: (a, t) => `${cliLine(t, askedSentinel(a, t) ?? 'sentinel')} SENTINEL FAILOVER ${t.sentinel.masterName}`,
  check(a, refs, report) {
    needSentinels('failover', refs, report);
    if (a.sentinel !== undefined && !refs.sentinels.has(a.sentinel)) report(['sentinel'], unknownNode(a.sentinel));
  },
  async execute(a, env) {
    const s = askedSentinel(a, env.topology);
    if (!s) throw new UserError('there is no Sentinel');
    env.node(s);
    return env.use('failover').failover(s);
  },
});

export const ckquorum = defineAction({
  kind: 'ckquorum',
  schema: z.strictObject({ kind: z.literal('ckquorum'), sentinel: sentinelRef.optional() }),
  // Only reads, but it asks a Sentinel of the deployment: the same capability that reaches Sentinel for a failover.
  requires: 'failover',
  disruptive: false,
  normalize: asIs,
  title: (a, t) => `SENTINEL CKQUORUM via ${askedSentinel(a, t) ?? 'a Sentinel'}`,
  line: (a) => `SENTINEL CKQUORUM${a.sentinel ? ` via ${a.sentinel}` : ''}`,
  busy: () => 'asking Sentinel whether the quorum and a majority can be reached…',
  equivalent: (a, t) => `${cliLine(t, askedSentinel(a, t) ?? 'sentinel')} SENTINEL CKQUORUM ${t.sentinel.masterName}`,
  check(a, refs, report) {
    needSentinels('ckquorum', refs, report);
    if (a.sentinel !== undefined && !refs.sentinels.has(a.sentinel)) report(['sentinel'], unknownNode(a.sentinel));
  },
  async execute(a, env) {
    const s = askedSentinel(a, env.topology);
    if (!s) throw new UserError('there is no Sentinel');
    env.node(s);
    return env.use('failover').ckquorum(s);
  },
});

const SENTINEL_SET_BOUNDS = {
  'down-after-milliseconds': { min: 100, max: MAX_MS, unit: 'ms' },
  'failover-timeout': { min: 1000, max: 3_600_000, unit: 'ms' },
  quorum: { min: 1, max: 9, unit: '' },
} as const;

export const sentinelSet = defineAction({
  kind: 'sentinel-set',
  schema: z
    .strictObject({
      kind: z.literal('sentinel-set'),
      option: z.enum(['down-after-milliseconds', 'failover-timeout', 'quorum'], {
        error: 'option must be down-after-milliseconds, failover-timeout or quorum',
      }),
      value: z.int({ error: 'value must be a whole number' }),
    })
    .superRefine((a, ctx) => {
      const b = SENTINEL_SET_BOUNDS[a.option];
      if (a.value < b.min || a.value > b.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['value'],
          message: `${a.option} must be between ${b.min} and ${b.max}${b.unit ? ` ${b.unit}` : ''}`,
        });
      }
    }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `SENTINEL SET ${a.option} ${a.value}`,
  line: (a) => `SENTINEL SET ${a.option} ${a.value}`,
  busy: (a) => `SENTINEL SET ${a.option} ${a.value} on every Sentinel…`,
  equivalent: (a, t) =>
    `${cliProgram(t)} -p <each sentinel> SENTINEL SET ${t.sentinel.masterName} ${a.option} ${a.value}`,
  check(a, refs, report) {
    needSentinels('sentinel-set', refs, report);
    if (a.option === 'quorum' && a.value > refs.sentinels.size) {
      report(['value'], `quorum ${a.value} is more than the ${refs.sentinels.size} Sentinels`);
    }
  },
  async execute(a, env) {
    const r = await env.use('reconfigure').sentinelSet(a.option, a.value);
    return `${a.option} = ${a.value} on ${r.accepted} of ${r.total} Sentinels`;
  },
});

export const SENTINEL_ACTIONS = [failover, ckquorum, sentinelSet] as const;
