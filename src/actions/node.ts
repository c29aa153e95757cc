// Node actions: kill, stop, freeze, thaw and restart one node (a data node or a Sentinel). They need the
// deployment's runtime (kill, stop, restart) or pause (freeze, thaw) capability.
import { z } from 'zod';
import { serverProgram } from '../cluster/topology.js';
import type { NodeRuntime } from '../deployments/deployment.js';
import { UserError } from '../errors.js';
import { nodeRef } from '../tokens.js';
import { type ActionEnv, asIs, cliLine, defineAction, type Report, type TopologyRefs, unknownNode } from './action.js';

const nodeSchema = <K extends string>(kind: K) => z.strictObject({ kind: z.literal(kind), node: nodeRef });

function checkNode(a: { node: string }, refs: TopologyRefs, report: Report): void {
  if (!refs.redis.has(a.node) && !refs.sentinels.has(a.node)) report(['node'], unknownNode(a.node));
}

const pidOr = (pid: number | undefined) => pid ?? '<pid>';

/**
 * The runtime, once `id` has a process to signal: a node that exited or was stopped has none, and killing or
 * stopping it would do nothing yet report it done. The runtime knows a pid exactly while the process runs
 * (NodeRuntime.pid); a frozen, starting or stopping node has one, and may be killed or stopped. (Freeze and thaw
 * refuse in the runtime itself, which alone knows running from frozen.)
 */
export function runtimeWithProcess(env: ActionEnv, id: string): NodeRuntime {
  env.node(id);
  const runtime = env.use('runtime');
  if (runtime.pid(id) === undefined) throw new UserError(`${id} is not running`, { hint: 'restart it first' });
  return runtime;
}

export const kill = defineAction({
  kind: 'kill',
  schema: nodeSchema('kill'),
  requires: 'runtime',
  disruptive: true,
  normalize: asIs,
  title: (a) => `kill ${a.node}`,
  line: (a) => `kill ${a.node}`,
  busy: (a) => `killing ${a.node} (SIGKILL)…`,
  equivalent: (a, _t, f) => `kill -9 ${pidOr(f.pid(a.node))}   # SIGKILL: ${a.node} crashes, no SHUTDOWN`,
  check: checkNode,
  async execute(a, env) {
    await runtimeWithProcess(env, a.node).kill(a.node);
    return `${a.node} killed`;
  },
});

export const stop = defineAction({
  kind: 'stop',
  schema: nodeSchema('stop'),
  requires: 'runtime',
  disruptive: true,
  normalize: asIs,
  title: (a) => `stop ${a.node}`,
  line: (a) => `stop ${a.node}`,
  busy: (a) => `stopping ${a.node} (SHUTDOWN)…`,
  equivalent: (a, t, f) => `kill -TERM ${pidOr(f.pid(a.node))}   # same as: ${cliLine(t, a.node)} SHUTDOWN`,
  check: checkNode,
  async execute(a, env) {
    await runtimeWithProcess(env, a.node).stop(a.node);
    return `${a.node} stopped`;
  },
});

export const freeze = defineAction({
  kind: 'freeze',
  schema: nodeSchema('freeze'),
  requires: 'pause',
  disruptive: true,
  normalize: asIs,
  title: (a) => `freeze ${a.node}`,
  line: (a) => `freeze ${a.node}`,
  busy: (a) => `freezing ${a.node} (SIGSTOP)…`,
  equivalent: (a, _t, f) => `kill -STOP ${pidOr(f.pid(a.node))}   # alive but silent, like a hung machine`,
  check: checkNode,
  async execute(a, env) {
    env.node(a.node);
    await env.use('pause').freeze(a.node);
    return `${a.node} frozen`;
  },
});

export const thaw = defineAction({
  kind: 'thaw',
  schema: nodeSchema('thaw'),
  requires: 'pause',
  disruptive: false,
  normalize: asIs,
  title: (a) => `thaw ${a.node}`,
  line: (a) => `thaw ${a.node}`,
  busy: (a) => `thawing ${a.node} (SIGCONT)…`,
  equivalent: (a, _t, f) => `kill -CONT ${pidOr(f.pid(a.node))}`,
  check: checkNode,
  async execute(a, env) {
    env.node(a.node);
    await env.use('pause').thaw(a.node);
    return `${a.node} running again`;
  },
});

export const restart = defineAction({
  kind: 'restart',
  schema: nodeSchema('restart'),
  requires: 'runtime',
  // A running node is stopped first: a master restarted is down for a moment (and empty without persistence).
  disruptive: true,
  normalize: asIs,
  title: (a) => `restart ${a.node}`,
  line: (a) => `restart ${a.node}`,
  busy: (a) => `restarting ${a.node}…`,
  equivalent(a, t, f) {
    const conf = f.configPath(a.node) ?? '<conf>';
    const sentinel = t.nodes.find((n) => n.id === a.node)?.kind === 'sentinel';
    const start = sentinel ? `${serverProgram(t)} ${conf} --sentinel` : `${serverProgram(t)} ${conf}`;
    const pid = f.pid(a.node);
    return pid === undefined
      ? start
      : `kill -TERM ${pid}; ${start}   # running: stopped first (SHUTDOWN), then started`;
  },
  check: checkNode,
  async execute(a, env) {
    env.node(a.node);
    const runtime = env.use('runtime');
    const wasRunning = runtime.pid(a.node) !== undefined;
    await runtime.restart(a.node);
    env.pollNow(a.node);
    return wasRunning ? `${a.node} stopped (SHUTDOWN) and started again` : `${a.node} restarted`;
  },
});

export const NODE_ACTIONS = [kill, stop, freeze, thaw, restart] as const;
