// Client A, client B and the write workload, bound to their hosts, wired to the engine's events. They use the
// deployment's public addresses, from the source address its traffic capability gives each client's host.
import type { ClientControl } from '../actions/action.js';
import { ClientActor, type ClientActorOptions } from '../cluster/clients/client-actor.js';
import { Workload } from '../cluster/clients/workload.js';
import type { HistoryOp, LabEmitter } from '../cluster/events.js';
import { type ClientName, sentinelNodes, type Topology } from '../cluster/topology.js';
import type { Addresses, Traffic } from '../deployments/deployment.js';
import { errorMessage, UserError } from '../errors.js';

const FINAL_READ_TIMEOUT_MS = 60_000;

export class Clients implements ClientControl {
  private readonly actors: Record<ClientName, ClientActor>;
  private workload: Workload | undefined;
  private workloadClient: ClientName | undefined;
  private readonly emitter: LabEmitter;
  private readonly nextSeq: () => number;
  private readonly topology: Topology;
  private readonly addresses: Addresses;
  private readonly traffic: Traffic;
  private runs = 0;

  constructor(opts: {
    topology: Topology;
    addresses: Addresses;
    traffic: Traffic;
    emitter: LabEmitter;
    nextSeq: () => number;
  }) {
    this.topology = opts.topology;
    this.addresses = opts.addresses;
    this.traffic = opts.traffic;
    this.emitter = opts.emitter;
    this.nextSeq = opts.nextSeq;
    this.actors = { A: this.makeActor('A', `client-A`), B: this.makeActor('B', `client-B`) };
  }

  private actorOptions(name: ClientName, process: string): ClientActorOptions {
    const t = this.topology;
    const spec = t.clients[name];
    const a = this.addresses;
    const target: ClientActorOptions['target'] =
      spec.target.kind === 'node'
        ? { kind: 'node', nodeId: spec.target.node, ...a.public(spec.target.node) }
        : {
            kind: 'sentinel',
            masterName: t.sentinel.masterName,
            sentinels: sentinelNodes(t).map((s) => a.public(s.id)),
          };
    return {
      name,
      process,
      sourceIp: this.traffic.sourceAddress(spec.host),
      password: t.password,
      target,
      resolveNode: (ip, port) => a.nodeAt(ip, port),
      nextSeq: this.nextSeq,
    };
  }

  private makeActor(name: ClientName, process: string): ClientActor {
    return new ClientActor({ ...this.actorOptions(name, process), onOp: (op) => this.emitter.emit('history-op', op) });
  }

  async command(
    a:
      | { kind: 'write'; client: ClientName; key: string; value: string }
      | { kind: 'read'; client: ClientName; key: string },
  ): Promise<string> {
    const actor = this.actors[a.client];
    const r = a.kind === 'write' ? await actor.write(a.key, a.value) : await actor.read(a.key);
    const command = a.kind === 'write' ? `SET ${a.key} ${a.value}` : `GET ${a.key}`;
    this.emitter.emit('client-result', {
      seq: this.nextSeq(),
      at: Date.now(),
      client: a.client,
      command,
      op: a.kind,
      node: r.node,
      ok: r.ok,
      text: r.text,
    });
    if (!r.ok) throw new UserError(`${r.node ? `${r.node}: ` : ''}${r.text}`);
    return `${r.node ? `${r.node}: ` : ''}${r.text}`;
  }

  async writeWait(a: {
    client: ClientName;
    key: string;
    value: string;
    replicas: number;
    timeoutMs: number;
  }): Promise<string> {
    // A connection of its own, like one redis-cli session, whose command timeout outlasts the WAIT; the client's
    // usual connection keeps its short timeout.
    const actor = new ClientActor({
      ...this.actorOptions(a.client, `client-${a.client}`),
      commandTimeoutMs: a.timeoutMs + 2000,
      onOp: (op) => this.emitter.emit('history-op', op),
    });
    try {
      const r = await actor.writeWait(a.key, a.value, a.replicas, a.timeoutMs);
      this.emitter.emit('client-result', {
        seq: this.nextSeq(),
        at: Date.now(),
        client: a.client,
        command: `SET ${a.key} ${a.value}; WAIT ${a.replicas} ${a.timeoutMs}`,
        op: 'write',
        node: r.node,
        ok: r.ok,
        text: r.text,
        ...(r.waitReplicas === undefined ? {} : { waitReplicas: r.waitReplicas }),
      });
      if (!r.ok) throw new UserError(`${r.node ? `${r.node}: ` : ''}${r.text}`);
      return `${r.node ? `${r.node}: ` : ''}${r.text}`;
    } finally {
      await actor.close();
    }
  }

  startWorkload(client: ClientName, ratePerSec: number): string {
    if (this.workload?.running) throw new UserError('a workload is already running; stop it first');
    this.runs++;
    const w = new Workload({
      actor: { ...this.actorOptions(client, 'workload') },
      runTag: `w${Date.now().toString(36)}${this.runs}`,
      ratePerSec,
      nextSeq: this.nextSeq,
      onOp: (op) => this.emitter.emit('history-op', op),
    });
    this.workload = w;
    this.workloadClient = client;
    w.start();
    this.emitter.emit('workload', { running: true, client, ratePerSec, startedAt: Date.now() });
    return `workload started: client ${client}, ${ratePerSec} SADD/s`;
  }

  /** Stops the workload, waits for convergence, reads the final set and emits the verdict. */
  async stopWorkload(finalRead: (timeoutMs: number) => Promise<{ node: string; members: string[] }>): Promise<string> {
    const w = this.workload;
    if (!w) throw new UserError('no workload is running');
    await w.stop();
    this.emitter.emit('workload', { running: false, client: this.workloadClient });
    try {
      const verdict = await w.finalCheck(() => finalRead(FINAL_READ_TIMEOUT_MS));
      this.emitter.emit('workload', { running: false, client: this.workloadClient, verdict });
      return `${verdict.acknowledged} acknowledged, ${verdict.lost} lost (${(verdict.lossRate * 100).toFixed(1)}%)`;
    } catch (err) {
      const error = errorMessage(err);
      this.emitter.emit('workload', { running: false, client: this.workloadClient, error });
      throw err;
    } finally {
      await w.close();
    }
  }

  /** The full history of the current/last workload (for export). */
  history(): readonly HistoryOp[] {
    return this.workload?.history() ?? [];
  }

  note(op: HistoryOp): void {
    this.workload?.note(op);
  }

  masterChanged(): void {
    this.actors.A.masterChanged();
    this.actors.B.masterChanged();
    this.workload?.actor.masterChanged();
  }

  async close(): Promise<void> {
    await this.workload?.close().catch(() => undefined);
    await Promise.all([this.actors.A.close(), this.actors.B.close()]);
  }
}
