// What one action kind is, in one place (after toxiproxy's one file per toxic): its schema, its defaults, its words,
// the real command it stands for, whether it can cause a failover, the deployment capability it needs, how a lesson
// cross-checks it and how it is carried out. The catalog (catalog.ts) lists them; everything else derives from it.
import type { z } from 'zod';
import {
  type ClientName,
  cliProgram,
  type NodeSpec,
  nodeById,
  redisCliLine,
  type Topology,
} from '../cluster/topology.js';
import type { Capabilities, Capability, Unavailable } from '../deployments/deployment.js';

/** Result of performing one action: ok with a short text, or why it failed. */
export type ActionOutcome = { ok: true; text: string } | { ok: false; text: string };

/** What the equivalent command may name beyond the topology (the local runtime knows pids and config files). */
export interface EquivalentFacts {
  pid(id: string): number | undefined;
  configPath(id: string): string | undefined;
}

/** The lesson's own topology as a cross-check sees it. */
export interface TopologyRefs {
  redis: ReadonlySet<string>;
  sentinels: ReadonlySet<string>;
  hosts: readonly string[];
  /** Replicas the topology has (data nodes minus the master). */
  replicas: number;
}

/** Reports a problem at a path below the action (e.g. `['node']`). */
export type Report = (path: readonly PropertyKey[], message: string) => void;

/** The application clients (A, B and the write workload) as actions drive them. */
export interface ClientControl {
  command(
    a:
      | { kind: 'write'; client: ClientName; key: string; value: string }
      | { kind: 'read'; client: ClientName; key: string },
  ): Promise<string>;
  /** SET then WAIT on one fresh connection of that client (WAIT counts only that connection's writes). */
  writeWait(a: {
    client: ClientName;
    key: string;
    value: string;
    replicas: number;
    timeoutMs: number;
  }): Promise<string>;
  startWorkload(client: ClientName, ratePerSec: number): string;
  stopWorkload(finalRead: (timeoutMs: number) => Promise<{ node: string; members: string[] }>): Promise<string>;
  /** Both clients write a heartbeat key every `everyMs` (their answers side by side in the client pane). */
  startHeartbeat(everyMs: number): string;
  stopHeartbeat(): Promise<string>;
  /** Points a client at the Sentinels or pins it to one data node. */
  retarget(client: ClientName, target: { kind: 'sentinel' } | { kind: 'node'; node: string }): Promise<string>;
}

/** What `execute` works with: the deployment's capabilities and the lab around it. Implemented by engine/lab.ts. */
export interface ActionEnv {
  readonly topology: Topology;
  /** The capability; a UserError naming why when the deployment lacks it (perform checks `requires` first). */
  use<C extends Capability>(capability: C): NonNullable<Capabilities[C]>;
  /** The node, or a UserError listing the nodes there are. */
  node(id: string): NodeSpec;
  /** Probes `id` again now rather than at the next round. */
  pollNow(id: string): void;
  /** Client A, client B and the workload; a UserError before the cluster started. */
  clients(): ClientControl;
  /** Records a fault or its healing in the history (the nemesis process of the Jepsen-style history). */
  nemesis(f: 'fault' | 'heal', description: string): void;
  /** Waits for one master that every Sentinel names, then reads the workload's set from it. */
  finalRead(timeoutMs: number): Promise<{ node: string; members: string[] }>;
  /** Fresh configs and fresh Sentinel state for the whole cluster. */
  resetCluster(): Promise<void>;
}

/**
 * One action kind. `A` is the action as written (lessons, keys, the soak), `N` the action with every default
 * applied by `normalize`; every other method sees only `N`, so a default can never be applied two ways.
 */
export interface ActionDef<A extends { kind: string }, N extends A = A> {
  readonly kind: A['kind'];
  /** Strict zod object for lesson files and the command line (bounds on every number). */
  readonly schema: z.ZodType<A>;
  /** The deployment capability it needs; absent when it works on every deployment. */
  readonly requires?: Capability;
  /** Can make Sentinel fail over: a failover timeline names the last such action as its cause. */
  readonly disruptive: boolean;
  /** Fills every optional field that has a default. Must be idempotent. */
  normalize(a: A): N;
  /** Title of the action record: "kill redis-1". Tests and lesson checks read some of these; keep them stable. */
  title(a: N, t: Topology): string;
  /** One line for lesson steps, solutions and picker previews: "latency host-1 ⇄ host-2 200 ms". */
  line(a: N): string;
  /** Status while it runs: "killing redis-1 (SIGKILL)…". */
  busy(a: N): string;
  /** The real shell / redis-cli command it stands for, so people learn the real thing. */
  equivalent(a: N, t: Topology, facts: EquivalentFacts): string;
  /**
   * Its command-line form (`redis-sentinel-lab do <kind> …`, see actions/cli.ts): `args` lists the schema fields taken
   * as positional arguments, in order (default: every field of the schema, in its order); `bare` is the kind run
   * instead when no argument is given (`do heal` heals everything). Other optional fields are `--field value`.
   */
  readonly cli?: { readonly args?: readonly string[]; readonly bare?: string };
  /** Cross-checks the action against a lesson's topology (node and host references, impossible numbers). */
  check?(a: N, refs: TopologyRefs, report: Report): void;
  /**
   * Why this cluster cannot do it at all, whatever its state (its topology decides, as a missing capability would):
   * `do` refuses it before it reaches the lab, so nothing is attempted or printed as run; `execute` refuses it with
   * the same reason.
   */
  refuse?(a: N, t: Topology): Unavailable | undefined;
  /** Carries it out; resolves with a short result, throws (UserError for what the user can fix) when it fails. */
  execute(a: N, env: ActionEnv): Promise<string>;
}

/**
 * Types a definition from its schema: the action type is what the schema accepts, `N` what normalize returns. The
 * schema keeps its own zod type, so the catalog can build the lesson schema as one discriminated union.
 */
export function defineAction<S extends z.ZodType<{ kind: string }>, N extends z.output<S>, X extends object = object>(
  def: ActionDef<z.output<S>, N> & { readonly schema: S } & X,
): ActionDef<z.output<S>, N> & { readonly schema: S } & X {
  return def;
}

/** For kinds with no defaults. */
export function asIs<A>(a: A): A {
  return a;
}

/** The unknown-node message every cross-check uses. */
export function unknownNode(id: string): string {
  return `unknown node "${id}"`;
}

/** `redis-cli -h … -p … [-a …]` for a node of the topology; a placeholder for a node it does not have. */
export function cliLine(t: Topology, id: string): string {
  if (nodeById(t, id)) return redisCliLine(t, id);
  const cli = cliProgram(t);
  return id.startsWith('sentinel') ? `${cli} -p <sentinel port>` : `${cli} -p <port> -a <password>`;
}
