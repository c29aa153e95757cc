// `redis-sentinel-lab do <action> …`: scriptable chaos. Acts on a running lab (`up` or the full-screen lab) through
// its control socket, with the same action catalog as the keys and lessons (arguments parsed from the catalog's
// schemas, see actions/cli.ts), and prints the command it stands for and the outcome (`--json`: docs/json.md); an
// action refused (nothing attempted) prints only why.
// Exit codes: 0 done, 1 it failed or the lab refused it (or no lab to act on), 2 bad usage (unknown action, node or
// host, a value out of range).
import type { z } from 'zod';
import type { TopologyRefs } from '../actions/action.js';
import { actionRefusal, checkAction, describeAction, type LabAction } from '../actions/catalog.js';
import { argumentPlace, parseActionArgs, placedProblem } from '../actions/cli.js';
import { manifestTopology, redisNodes, sentinelNodes, type Topology } from '../cluster/topology.js';
import type { PerformReply } from '../engine/control.js';
import { UserError } from '../errors.js';
import { performRemote } from './control-client.js';
import { EXIT } from './exit.js';
import type { DoResult } from './json-schemas.js';
import type { CommonOptions } from './options.js';
import { out } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { selectLab } from './select-lab.js';

function refsOf(t: Topology): TopologyRefs {
  return {
    redis: new Set(redisNodes(t).map((n) => n.id)),
    sentinels: new Set(sentinelNodes(t).map((n) => n.id)),
    hosts: t.hosts.map((h) => h.id),
    replicas: redisNodes(t).length - 1,
  };
}

/** The lab's own topology refuses what it does not have (a node or host it lacks): a usage error, exit 2. */
function checkAgainst(t: Topology, a: LabAction): void {
  const problems: string[] = [];
  checkAction(a, refsOf(t), (path, message) => problems.push(placedProblem(argumentPlace(a, path), message)));
  if (problems.length) {
    throw new UserError(problems.join('; '), {
      exitCode: EXIT.usage,
      hint: `This lab has nodes ${t.nodes.map((n) => n.id).join(', ')} on hosts ${t.hosts.map((h) => h.id).join(', ')}.`,
    });
  }
}

export async function doCommand(
  kind: string,
  args: readonly string[],
  opts: CommonOptions & { run?: string },
): Promise<number> {
  const action = parseActionArgs(kind, args);
  const lab = selectLab({ basePort: opts.basePort, run: opts.run });
  if (!lab) throw new UserError('No lab of yours is running.');
  const m = lab.manifest;
  const topology = manifestTopology(m);
  checkAgainst(topology, action);
  // What this cluster cannot do at all is refused here, like a missing capability in the lab: nothing is sent.
  const refused = actionRefusal(action, topology);
  const reply: PerformReply = refused
    ? { ok: false, ...describeAction(action, topology), refused }
    : await performRemote(lab.dir, action);
  if (reply.invalid !== undefined) {
    throw new UserError(`the lab refused the request: ${reply.invalid}`, { exitCode: EXIT.usage });
  }
  if (opts.json) {
    const rec: z.input<typeof DoResult> = {
      schemaVersion: SCHEMA_VERSION,
      type: 'do',
      runId: m.runId,
      action: { ...action },
      title: reply.title ?? '',
      equivalent: reply.equivalent ?? '',
      ok: reply.ok,
      result: reply.result ?? null,
      refused: reply.refused ? { reason: reply.refused.reason, hint: reply.refused.hint ?? null } : null,
    };
    out(`${JSON.stringify(rec)}\n`);
  } else if (reply.refused) {
    // Nothing was attempted: the command it stands for was not run, so it is not shown as a `$` line.
    out(`✗ refused: ${reply.refused.reason}\n`);
    if (reply.refused.hint) process.stderr.write(`${reply.refused.hint}\n`);
  } else {
    out(`$ ${reply.equivalent ?? ''}\n`);
    out(`${reply.ok ? '✓' : '✗'} ${reply.title}: ${reply.result ?? ''}\n`);
  }
  return reply.ok ? EXIT.ok : EXIT.failure;
}
