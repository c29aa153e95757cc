// The attached deployment: a running `up` of the lab in another process, found through its run manifest. The lab
// observes it (probes, Sentinel events) and never acts on it: no runtime, pause, network, reconfigure, failover,
// traffic or reset capability. Its node processes are reported as the manifest lists them.
import type { LabEmitter } from '../cluster/events.js';
import type { RunManifest } from '../cluster/process/run-dir.js';
import { manifestTopology, type Topology } from '../cluster/topology.js';
import {
  type Addresses,
  CAPABILITIES,
  type Capabilities,
  type Capability,
  type Deployment,
  type MissingCapabilities,
  type Unavailable,
} from './deployment.js';
import { loopbackAddresses } from './loopback.js';

export class AttachedDeployment implements Deployment {
  readonly kind = 'attached';
  readonly id: string;
  readonly label: string;
  readonly topology: Topology;
  readonly addresses: Addresses;
  readonly capabilities: Capabilities = {};
  readonly missing: MissingCapabilities;
  readonly runDir: string;
  readonly basePort: number;
  readonly labPid: number;
  private readonly events: LabEmitter;
  private readonly manifest: RunManifest;

  constructor(opts: { events: LabEmitter; runDir: string; manifest: RunManifest }) {
    const m = opts.manifest;
    this.manifest = m;
    this.events = opts.events;
    this.id = m.runId;
    this.runDir = opts.runDir;
    this.basePort = m.basePort;
    this.labPid = m.labPid;
    this.label = `the lab process ${m.labPid} (run ${m.runId})`;
    this.topology = manifestTopology(m);
    this.addresses = loopbackAddresses(this.topology);
    const why: Unavailable = {
      reason: 'this view is attached to another lab process; act on it there',
      hint: `The cluster belongs to ${this.label}: press keys in that lab's window.`,
    };
    const missing: Partial<Record<Capability, Unavailable>> = {};
    for (const c of CAPABILITIES) missing[c] = why;
    this.missing = missing;
  }

  /** Reports each node as running (with the pid the manifest records) or exited. Starts nothing. */
  async start(): Promise<void> {
    for (const n of this.topology.nodes) {
      const pid = this.manifest.nodes[n.id]?.pid;
      this.events.emit('node-state', { id: n.id, state: pid ? 'running' : 'exited', pid, at: Date.now() });
    }
  }

  /** The cluster is another process's: nothing to stop. */
  async shutdown(): Promise<void> {}

  shutdownSync(): void {}
}
