// The seam between the lab and what it observes and breaks, after Jepsen's DB protocol with its optional Kill and
// Pause (jepsen/db.clj): a Deployment describes its nodes and how to reach them, and offers only the capabilities it
// really has. The lab (engine/lab.ts) observes through `addresses`, and every action in the catalog (src/actions/)
// names the one capability it `requires`; a deployment without it gets the action refused with the reason below,
// and the UI dims the key. Implementations: deployments/local (the lab's own processes and fabric) and
// deployments/attached (another lab process's run, observe only). Types only, plus tiny pure helpers.
import type { ActiveFault, FaultSpec } from '../cluster/fabric/plan.js';
import type { Topology } from '../cluster/topology.js';

export interface Address {
  host: string;
  port: number;
}

/** Where each node is reached. Every deployment has this; it is how the lab observes anything at all. */
export interface Addresses {
  /** Where the lab's probes and admin commands connect (on the local lab: the node's private address). */
  admin(id: string): Address;
  /** What people and application clients use (on the local lab: the fabric's address, so faults apply). */
  public(id: string): Address;
  /** The node an address names, as Redis or Sentinel reports it (either form); undefined when not one of ours. */
  nodeAt(ip: string, port: number): string | undefined;
  /**
   * The password the lab's own probes use at `admin(id)`, when it is not the topology's (a remote deployment's
   * read-only gateway takes a per-session token there and keeps the real credentials to itself). Absent: the
   * topology's password for data nodes, none for Sentinels.
   */
  auth?(id: string): { password: string } | undefined;
}

/** Processes the deployment can start, stop and kill (Jepsen's `Kill`). */
export interface NodeRuntime {
  /** Starts a node that is not running; resolves once it answers PING. */
  start(id: string): Promise<void>;
  /** SIGKILL: the node crashes, no SHUTDOWN. */
  kill(id: string): Promise<void>;
  /** Graceful stop (SIGTERM, which Redis treats like SHUTDOWN). */
  stop(id: string): Promise<void>;
  /** Starts it again with the same config file, which Redis or Sentinel may have rewritten. */
  restart(id: string): Promise<void>;
  /** Its process id while it runs (for `kill -9 <pid>` in the action log). */
  pid(id: string): number | undefined;
  /** The config file it runs with (for `redis-server <conf>`). */
  configPath(id: string): string | undefined;
  /** Processes alive now (running, frozen, starting or stopping). */
  aliveCount(): number;
}

/** Processes the deployment can suspend and resume (Jepsen's `Pause`). */
export interface Pausable {
  /** SIGSTOP: alive but silent, like a hung machine. */
  freeze(id: string): Promise<void>;
  /** SIGCONT. */
  thaw(id: string): Promise<void>;
}

/** Network faults between hosts. Each applied or healed fault is also reported as a `fault-applied`/`fault-healed` fact. */
export interface NetworkFaults {
  apply(spec: FaultSpec): ActiveFault;
  heal(faultId: string): ActiveFault;
  healAll(): ActiveFault[];
  active(): readonly ActiveFault[];
  /**
   * Puts a host behind a NAT: its nodes are published `portOffset` above their own ports and nothing answers at the
   * old ones; 0 publishes them at their own ports again. Reported as a `nat-changed` fact.
   */
  remap?(host: string, portOffset: number): Promise<void>;
  /** Hosts behind the NAT, with their port offsets. */
  remapped?(): Readonly<Record<string, number>>;
}

/** Settings the lab may change on its own nodes: CONFIG SET on data nodes, SENTINEL SET on every Sentinel. */
export interface Reconfigure {
  /**
   * CONFIG SET each pair on one data node, in order, then CONFIG REWRITE so a restart keeps them. `rewrite:
   * 'best-effort'` ignores a failed rewrite (the value is live either way); the default makes it an error.
   */
  configSet(
    node: string,
    settings: ReadonlyArray<readonly [name: string, value: string | number]>,
    opts?: { rewrite?: 'required' | 'best-effort' },
  ): Promise<void>;
  /** SENTINEL SET <master-name> option value on every Sentinel; how many accepted it. */
  sentinelSet(option: string, value: string | number): Promise<{ accepted: number; total: number }>;
  /**
   * SENTINEL RESET <master-name> on one Sentinel: it forgets the replicas, the other Sentinels and any failover
   * state for that master, and discovers them again. Resolves with how many masters it reset.
   */
  sentinelReset(sentinel: string): Promise<number>;
  /** SENTINEL CONFIG SET name value on one Sentinel (its global settings: announce-ip, announce-port, …). */
  sentinelConfigSet?(sentinel: string, name: string, value: string | number): Promise<void>;
  /**
   * CLIENT KILL TYPE master on a replica: it reconnects at once and introduces itself again (REPLCONF). A replica
   * still connecting or syncing has no such link yet; this waits (bounded) until one is dropped.
   */
  reconnectReplica?(node: string): Promise<void>;
  /**
   * Turns the append-only file on or off on one data node (CONFIG SET appendonly + CONFIG REWRITE); turning it on
   * resolves once the first rewrite has written the whole dataset to disk.
   */
  persistence?(node: string, enabled: boolean): Promise<void>;
  /** Restarts one Sentinel with or without the Sentinels' password (requirepass and sentinel-pass) in its config. */
  sentinelPassword?(sentinel: string, enabled: boolean): Promise<void>;
}

/** Sentinel-driven failover (`SENTINEL FAILOVER <master-name>`), which Sentinel then carries out itself. */
export interface Failover {
  /** Asks `sentinel` to fail over; resolves with its reply. */
  failover(sentinel: string): Promise<string>;
  /**
   * Asks `sentinel` whether the quorum and the majority a failover needs can be reached (`SENTINEL CKQUORUM`);
   * resolves with its answer, `OK …` or `NOQUORUM …`.
   */
  ckquorum(sentinel: string): Promise<string>;
  /**
   * The data node's own coordinated failover (the `FAILOVER` command, Redis >= 6.2): `node` pauses writes, waits for
   * a replica (`to`, else the first to catch up) to reach its offset, demotes itself and promotes it. Sentinel is not
   * involved. Resolves with the reply (`OK`: the failover started in the background).
   */
  serverFailover(node: string, opts: { to?: Address; timeoutMs?: number; force?: boolean }): Promise<string>;
}

/** The lab may send application traffic (client A/B, the write workload) to the data nodes. */
export interface Traffic {
  /** The source address a client on `host` connects from, so network faults apply to it as to that host's nodes. */
  sourceAddress(host: string): string | undefined;
}

/** Fresh configs and fresh Sentinel state: every node stopped, rewritten from scratch and started again. */
export interface Resettable {
  reset(): Promise<void>;
}

/** Lines the Sentinels' notification script records (warning-level events), followed as they are written. */
export interface Notifications {
  start(sink: (sentinelId: string, line: string) => void): void;
  stop(): void;
}

/** Every optional capability, by name. A capability is present when the deployment really has it. */
export interface Capabilities {
  runtime?: NodeRuntime;
  pause?: Pausable;
  network?: NetworkFaults;
  reconfigure?: Reconfigure;
  failover?: Failover;
  traffic?: Traffic;
  reset?: Resettable;
  notifications?: Notifications;
}

export type Capability = keyof Capabilities;

export const CAPABILITIES: readonly Capability[] = [
  'runtime',
  'pause',
  'network',
  'reconfigure',
  'failover',
  'traffic',
  'reset',
  'notifications',
];

/** Why a capability is missing, for the dimmed key, the help overlay and the refusal. */
export interface Unavailable {
  reason: string;
  hint?: string;
}

/** Missing capabilities with their reasons; a capability not listed is available. */
export type MissingCapabilities = Readonly<Partial<Record<Capability, Unavailable>>>;

export interface Deployment {
  /** `local`, `attached`; a remote or container deployment adds its own. */
  readonly kind: string;
  /** Stable id of this run or deployment (export file names, the header). */
  readonly id: string;
  /** Names the deployment in confirmations and status lines ("this lab's cluster, run lx3k-1a2b3c"). */
  readonly label: string;
  /** What it consists of: nodes (ids, kinds, ports), hosts where known, Sentinel and replication settings. */
  readonly topology: Topology;
  readonly addresses: Addresses;
  readonly capabilities: Capabilities;
  /** Why each capability it lacks is missing. */
  readonly missing: MissingCapabilities;
  /** Set when the preferred port block was busy and the deployment moved to another. */
  readonly portsMoved?: { from: number; to: number; reason: string };
  /**
   * A private directory of this run (owner-only, removed with the deployment) for the lab's own files: the write
   * workload's history. Absent: the lab writes no files, and keeps a workload's history nowhere.
   */
  readonly workDir?: string;
  /**
   * Makes the nodes observable: starts every process the deployment runs (resolving once each answers PING), or,
   * for one it only observes, reports the processes it knows of. The lab then observes and waits for readiness.
   */
  start(): Promise<void>;
  /** Stops what it started and removes what it wrote; idempotent. An observed deployment is left alone. */
  shutdown(): Promise<void>;
  /** For process 'exit' handlers: the synchronous best effort of shutdown. */
  shutdownSync(): void;
  /** The node id of a Sentinel run id (myid) the deployment chose itself, before any Sentinel answered. */
  resolveRunId?(runId: string): string | undefined;
  /**
   * The master names a Sentinel monitors, where they may be more than the topology's one (a deployment the lab did
   * not start): such a Sentinel publishes all their events on one connection. Absent: the topology's master only.
   */
  sentinelMasters?(sentinelId: string): readonly string[];
}

/** Why `c` is missing on `d`, or undefined when `d` has it. */
export function whyMissing(d: Deployment, c: Capability): Unavailable | undefined {
  if (d.capabilities[c] !== undefined) return undefined;
  return d.missing[c] ?? { reason: `this ${d.kind} deployment cannot do that (${c})` };
}

/** Every capability the deployment lacks, with its reason (what the UI dims). */
export function missingCapabilities(d: Deployment): MissingCapabilities {
  const out: Partial<Record<Capability, Unavailable>> = {};
  for (const c of CAPABILITIES) {
    const why = whyMissing(d, c);
    if (why) out[c] = why;
  }
  return out;
}
