// decommission: removes a data node or a Sentinel for good, the way people scale down: stop it and never start it
// again, without the SENTINEL RESET that would make the Sentinels forget it. They never forget on their own
// (redis.io, "Adding or removing Sentinels", "Removing the old master or unreachable replicas"): a removed Sentinel
// still counts towards the majority a failover needs, a removed replica stays listed, down. Needs the deployment's
// runtime capability.
import { z } from 'zod';
import { nodeRef } from '../tokens.js';
import { asIs, defineAction, unknownNode } from './action.js';
import { runtimeWithProcess } from './node.js';

export const decommission = defineAction({
  kind: 'decommission',
  schema: z.strictObject({ kind: z.literal('decommission'), node: nodeRef }),
  requires: 'runtime',
  // Removing the master makes Sentinel fail over, like any stop.
  disruptive: true,
  normalize: asIs,
  title: (a) => `remove ${a.node} for good (no SENTINEL RESET)`,
  line: (a) => `remove ${a.node} for good, without SENTINEL RESET`,
  busy: (a) => `removing ${a.node}…`,
  equivalent: (a, _t, f) =>
    `kill -TERM ${f.pid(a.node) ?? '<pid>'}   # and never start ${a.node} again; no SENTINEL RESET, so every Sentinel keeps counting it`,
  check(a, refs, report) {
    if (!refs.redis.has(a.node) && !refs.sentinels.has(a.node)) report(['node'], unknownNode(a.node));
  },
  async execute(a, env) {
    // Removed already (or crashed): there is nothing left to stop, and nothing to report as removed.
    await runtimeWithProcess(env, a.node).stop(a.node);
    return `${a.node} stopped for good; the Sentinels still remember it`;
  },
});
