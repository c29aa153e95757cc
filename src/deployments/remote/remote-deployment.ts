// The remote deployment: one master of a Sentinel deployment the lab did not start (`--sentinel HOST:PORT`). It
// describes what discovery found (topology.ts), lets the lab observe it through the read-only gateway (gateway.ts),
// and offers one capability: `failover` — SENTINEL FAILOVER and SENTINEL CKQUORUM for this master, which the TUI
// asks the person to confirm first, naming `label`. No runtime, pause, network, reconfigure, traffic, reset or
// notifications: the lab never kills, freezes, partitions, reconfigures, writes to or resets it.
import { randomBytes } from 'node:crypto';
import type { LabEmitter } from '../../cluster/events.js';
import type { Topology } from '../../cluster/topology.js';
import type { Facts } from '../../diagnosis/facts.js';
import { type Endpoint, endpointText } from '../../diagnosis/snapshot.js';
import { UserError } from '../../errors.js';
import {
  type Addresses,
  CAPABILITIES,
  type Capabilities,
  type Capability,
  type Deployment,
  type Failover,
  type MissingCapabilities,
  type Unavailable,
} from '../deployment.js';
import { oneCommand } from './connection.js';
import type { DeploymentCredentials } from './credentials.js';
import { Gateway } from './gateway.js';
import { remoteTopology } from './topology.js';

export interface RemoteDeploymentOptions {
  events: LabEmitter;
  facts: Facts;
  master: string;
  credentials: DeploymentCredentials;
  /** Per-command budget of the confirmed actions. */
  timeoutMs?: number;
}

export type NoticeSink = (level: 'info' | 'warning' | 'error', text: string, hint?: string) => void;

/** A safe fragment for file names and ids. */
function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40) || 'master';
}

export const REMOTE_REASON: Unavailable = {
  reason: 'the lab did not start this deployment: it only watches it (and asks Sentinel for a failover, confirmed)',
  hint: 'Kill, freeze, partition or reconfigure it with your own tools; the lab shows what Sentinel makes of it. Here: f asks for SENTINEL FAILOVER, K for SENTINEL CKQUORUM, each after a confirmation.',
};

export class RemoteDeployment implements Deployment {
  readonly kind = 'remote';
  readonly id: string;
  readonly label: string;
  readonly topology: Topology;
  readonly addresses: Addresses;
  readonly capabilities: Capabilities;
  readonly missing: MissingCapabilities;
  readonly master: string;
  /** The master the Sentinels named at discovery. */
  readonly masterId: string;
  /** Commands the gateway refused (always a bug of the lab's; tests assert there are none, or exactly the planted one). */
  readonly refused: string[] = [];
  /** Where notices about the deployment go (the lab's notice channel, set by the command that opened it). */
  onNotice: NoticeSink | undefined;

  private readonly events: LabEmitter;
  private readonly credentials: DeploymentCredentials;
  private readonly endpoints: Map<string, Endpoint>;
  private readonly token = randomBytes(24).toString('hex');
  private readonly timeoutMs: number;
  private gateway: Gateway | undefined;
  private readonly problems = new Set<string>();
  /** The masters each Sentinel monitors (SENTINEL MASTERS at discovery), and every one any of them monitors. */
  private readonly monitors: Map<string, readonly string[]>;
  private readonly anyMonitors: readonly string[];

  private constructor(o: RemoteDeploymentOptions) {
    const rt = remoteTopology(o.facts, o.master);
    this.events = o.events;
    this.credentials = o.credentials;
    this.master = o.master;
    this.masterId = rt.masterId;
    this.topology = rt.topology;
    this.endpoints = rt.endpoints;
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.monitors = new Map(o.facts.sentinels.map((s) => [s.id, s.monitors]));
    this.anyMonitors = [
      ...new Set([...o.facts.sentinels.flatMap((s) => s.monitors), ...o.facts.masters.map((m) => m.name)]),
    ];
    // Named after the seeds that are Sentinels (a data node given as one is not).
    const notSentinel = new Set(o.facts.notSentinels.map((n) => endpointText(n.endpoint)));
    const [first, ...more] = o.facts.seeds.map(endpointText).filter((e) => !notSentinel.has(e));
    this.id = `remote-${slug(o.master)}`;
    this.label = `"${o.master}" at Sentinel ${first ?? '?'}${more.length ? ` (+${more.length})` : ''}`;
    this.addresses = {
      admin: (id) => this.gatewayAddress(id),
      public: (id) => this.endpoint(id),
      nodeAt: (ip, port) => rt.aliases.get(`${ip}|${port}`),
      auth: () => ({ password: this.token }),
    };
    this.capabilities = { failover: this.failover() };
    const missing: Partial<Record<Capability, Unavailable>> = {};
    for (const c of CAPABILITIES) if (c !== 'failover') missing[c] = REMOTE_REASON;
    this.missing = missing;
  }

  /** Builds the deployment for one master and opens its gateway (one local port per node). */
  static async open(o: RemoteDeploymentOptions): Promise<RemoteDeployment> {
    const d = new RemoteDeployment(o);
    d.gateway = await Gateway.open(
      d.topology.nodes.map((n) => {
        const e = d.endpoint(n.id);
        return {
          id: n.id,
          kind: n.kind,
          host: e.host,
          port: e.port,
          credentials: n.kind === 'redis' ? d.credentials.data : d.credentials.sentinel,
        };
      }),
      {
        token: d.token,
        onRefused: (id, reason) => {
          d.refused.push(`${id}: ${reason}`);
          d.onNotice?.('error', `${id}: the read-only guard dropped a connection: ${reason}`);
        },
        onProblem: (id, text) => d.problem(id, text),
      },
    );
    return d;
  }

  private problem(id: string, text: string): void {
    const k = `${id}|${text}`;
    if (this.problems.has(k)) return;
    this.problems.add(k);
    this.onNotice?.(
      /AUTH/.test(text) ? 'error' : 'warning',
      `${id} (${endpointText(this.endpoint(id))}): ${text}`,
      /AUTH/.test(text)
        ? 'Check --password-env / --user (data nodes) and --sentinel-password-env / --sentinel-user.'
        : undefined,
    );
  }

  private endpoint(id: string): Endpoint {
    const e = this.endpoints.get(id);
    if (!e) throw new Error(`unknown node ${id}`);
    return e;
  }

  private gatewayAddress(id: string): Endpoint {
    if (!this.gateway) throw new Error('the remote deployment is not open');
    return this.gateway.address(id);
  }

  private failover(): Failover {
    const sentinel = (id: string): Endpoint => {
      const n = this.topology.nodes.find((x) => x.id === id);
      if (n?.kind !== 'sentinel') throw new UserError(`${id} is not a Sentinel of ${this.label}`);
      return this.endpoint(id);
    };
    return {
      failover: async (id) =>
        String(
          await oneCommand(sentinel(id), 'sentinel', this.credentials.sentinel, ['SENTINEL', 'FAILOVER', this.master], {
            timeoutMs: this.timeoutMs,
            confirmedFailover: this.master,
          }),
        ),
      ckquorum: async (id) => {
        try {
          return String(
            await oneCommand(
              sentinel(id),
              'sentinel',
              this.credentials.sentinel,
              ['SENTINEL', 'CKQUORUM', this.master],
              {
                timeoutMs: this.timeoutMs,
              },
            ),
          );
        } catch (err) {
          // NOQUORUM is the check's answer, not a failure to ask.
          const text = err instanceof Error ? err.message : String(err);
          if (/^NOQUORUM/.test(text)) return text;
          throw err;
        }
      },
      // The data node's own FAILOVER command moves the master without Sentinel: not one of the two actions offered
      // here (and FAILOVER is not on the allow-list either, so it could never be sent).
      serverFailover: async () => {
        throw new UserError(
          `the FAILOVER command is not offered on ${this.label}: the lab did not start it and only asks Sentinel (SENTINEL FAILOVER)`,
          { hint: 'Press f for SENTINEL FAILOVER, which asks first.' },
        );
      },
    };
  }

  /**
   * What a Sentinel monitors, as discovery read it; for one that did not say (it did not answer then), every master
   * found, so none of its events is taken for this master's by default.
   */
  sentinelMasters(sentinelId: string): readonly string[] {
    const known = this.monitors.get(sentinelId) ?? [];
    return known.length ? known : this.anyMonitors;
  }

  /**
   * The lab has no process state for a deployment it did not start: it never learns when a process dies, freezes or
   * comes back. Every node is entered once as "running" in the process table, meaning only "expected up" to the
   * shared selectors; nothing shows that word. The screen (ui/lib/observed.ts, chosen because this deployment lacks
   * the runtime capability) and `watch` (engine/view-summary.ts) show what the probes observe instead: answers, refuses
   * the lab's login, or no answer since a given time.
   */
  async start(): Promise<void> {
    for (const n of this.topology.nodes) this.events.emit('node-state', { id: n.id, state: 'running', at: Date.now() });
  }

  /** Stops the gateway; the deployment itself is left exactly as it was. */
  async shutdown(): Promise<void> {
    await this.gateway?.close();
  }

  shutdownSync(): void {
    this.gateway?.closeSync();
  }

  /** Open gateway connections (tests check that none is left after shutdown). */
  get gatewayConnections(): number {
    return this.gateway?.connections ?? 0;
  }
}
