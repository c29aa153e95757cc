// Cluster actions: reset (every node stopped, configs rewritten from scratch, fresh Sentinel state, started again).
// Needs the deployment's reset capability; only a deployment that wrote the configs can rewrite them.
import { z } from 'zod';
import { asIs, defineAction } from './action.js';

export const reset = defineAction({
  kind: 'reset',
  schema: z.strictObject({ kind: z.literal('reset') }),
  requires: 'reset',
  disruptive: false,
  normalize: asIs,
  title: () => 'reset the cluster',
  line: () => 'reset the cluster (fresh configs)',
  busy: () => 'resetting the cluster…',
  equivalent: () => '# stop every process, rewrite every config from scratch, start again',
  async execute(_a, env) {
    await env.resetCluster();
    return 'cluster reset';
  },
});

export const CLUSTER_ACTIONS = [reset] as const;
