// sentinel-password: restarts one Sentinel with or without the Sentinels' own password (`requirepass`, which
// clients must send, and `sentinel sentinel-pass`, which it sends to the other Sentinels). Without it, every other
// Sentinel answers its PINGs and hellos with NOAUTH, so it sees them all down; they still reach it, because it now
// takes anyone. Its config keeps everything else Sentinel saved (known replicas and Sentinels, epochs). Needs the
// deployment's reconfigure capability (which restarts the process with the edited file).
import { z } from 'zod';
import { serverProgram, type Topology } from '../cluster/topology.js';
import type { Unavailable } from '../deployments/deployment.js';
import { UserError } from '../errors.js';
import { sentinelRef } from '../tokens.js';
import { asIs, defineAction, unknownNode } from './action.js';

/** Without a password for the Sentinels there is none to restart one with, or to leave out. */
function noPassword(t: Topology): Unavailable | undefined {
  if (t.sentinelAuth.password) return undefined;
  return {
    reason: 'the Sentinels of this cluster have no password',
    hint: 'a lesson topology with sentinelPassword gives them one',
  };
}

export const sentinelPassword = defineAction({
  kind: 'sentinel-password',
  schema: z.strictObject({ kind: z.literal('sentinel-password'), sentinel: sentinelRef, enabled: z.boolean() }),
  requires: 'reconfigure',
  disruptive: false,
  normalize: asIs,
  title: (a) => `restart ${a.sentinel} ${a.enabled ? 'with' : 'without'} its password`,
  line: (a) => `restart ${a.sentinel} ${a.enabled ? 'with' : 'without'} the Sentinels' password`,
  busy: (a) => `restarting ${a.sentinel} ${a.enabled ? 'with' : 'without'} its password…`,
  equivalent(a, t, f) {
    const conf = f.configPath(a.sentinel) ?? '<sentinel.conf>';
    const pw = t.sentinelAuth.password ?? '<password>';
    const edit = a.enabled
      ? `printf 'requirepass "${pw}"\\nsentinel sentinel-pass "${pw}"\\n' >> ${conf}`
      : `sed -i '/^requirepass/d; /^sentinel sentinel-pass/d; /^user default/d' ${conf}`;
    return `kill -TERM ${f.pid(a.sentinel) ?? '<pid>'}; ${edit}; ${serverProgram(t)} ${conf} --sentinel`;
  },
  check(a, refs, report) {
    if (!refs.sentinels.has(a.sentinel)) report(['sentinel'], unknownNode(a.sentinel));
  },
  refuse: (_a, t) => noPassword(t),
  async execute(a, env) {
    const refused = noPassword(env.topology);
    if (refused) throw new UserError(refused.reason, { hint: refused.hint });
    const n = env.node(a.sentinel);
    if (n.kind !== 'sentinel') throw new UserError(`${a.sentinel} is not a Sentinel`);
    const r = env.use('reconfigure');
    if (!r.sentinelPassword) throw new UserError('this deployment cannot restart a Sentinel with another config');
    await r.sentinelPassword(n.id, a.enabled);
    env.pollNow(n.id);
    return `${n.id} runs ${a.enabled ? 'with' : 'without'} the Sentinels' password`;
  },
});
