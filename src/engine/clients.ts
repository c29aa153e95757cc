// Client A, client B and the write workload, bound to their hosts, wired to the engine's events. They use the
// deployment's public addresses, from the source address its traffic capability gives each client's host. The
// workload's full history goes to a file in the deployment's work directory (memory keeps only what the verdict
// needs); the run export streams every workload's file (Lab.exportRun).
import { join } from 'node:path';
import type { ClientControl } from '../actions/action.js';
import { ClientActor, type ClientActorOptions } from '../cluster/clients/client-actor.js';
import { Workload } from '../cluster/clients/workload.js';
import type { HistoryOp, LabEmitter } from '../cluster/events.js';
import { type ClientName, type ClientSpec, nodeById, sentinelNodes, type Topology } from '../cluster/topology.js';
import type { Addresses, Traffic } from '../deployments/deployment.js';
import { errorMessage, UserError } from '../errors.js';
import type { HistorySource } from '../ledger/export.js';

const FINAL_READ_TIMEOUT_MS = 60_000;

/** One client's heartbeat: a SET every `everyMs`, each answer a client result (what the client pane shows). */
type HeartbeatReport = { command: string; node?: string; ok: boolean; text: string };

class Heartbeat {
  readonly client: ClientName;
  readonly actor: ClientActor;
  private readonly everyMs: number;
  private readonly report: (r: HeartbeatReport) => void;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private n = 0;
  private readonly done: Promise<void>;

  constructor(client: ClientName, actor: ClientActor, everyMs: number, report: (r: HeartbeatReport) => void) {
    this.client = client;
    this.actor = actor;
    this.everyMs = everyMs;
    this.report = report;
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      const key = `rsl:hb:${this.client}`;
      const value = String(++this.n);
      const r = await this.actor.write(key, value);
      if (this.stopped) break;
      this.report({ command: `SET ${key} ${value}`, ...(r.node ? { node: r.node } : {}), ok: r.ok, text: r.text });
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, Math.max(0, this.everyMs - (Date.now() - started)));
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.done;
    await this.actor.close();
  }
}

export class Clients implements ClientControl {
  private readonly actors: Record<ClientName, ClientActor>;
  private workload: Workload | undefined;
  private workloadClient: ClientName | undefined;
  private readonly emitter: LabEmitter;
  private readonly nextSeq: () => number;
  private readonly topology: Topology;
  private readonly addresses: Addresses;
  private readonly traffic: Traffic;
  private readonly historyDir: string | undefined;
  private runs = 0;
  /** Where each client points when a client-target action moved it away from the topology's choice. */
  private readonly targets: Partial<Record<ClientName, ClientSpec['target']>> = {};
  private heartbeats: Heartbeat[] = [];
  private heartbeatEveryMs = 0;

  constructor(opts: {
    topology: Topology;
    addresses: Addresses;
    traffic: Traffic;
    emitter: LabEmitter;
    nextSeq: () => number;
    /** Where each workload's history file goes (the deployment's private work directory); none: not kept. */
    historyDir?: string;
  }) {
    this.topology = opts.topology;
    this.addresses = opts.addresses;
    this.traffic = opts.traffic;
    this.emitter = opts.emitter;
    this.nextSeq = opts.nextSeq;
    this.historyDir = opts.historyDir;
    this.actors = { A: this.makeActor('A', `client-A`), B: this.makeActor('B', `client-B`) };
  }

  private actorOptions(name: ClientName, process: string): ClientActorOptions {
    const t = this.topology;
    const spec = { ...t.clients[name], target: this.targets[name] ?? t.clients[name].target };
    const a = this.addresses;
    const password = t.sentinelAuth.password;
    const target: ClientActorOptions['target'] =
      spec.target.kind === 'node'
        ? { kind: 'node', nodeId: spec.target.node, ...a.public(spec.target.node) }
        : {
            kind: 'sentinel',
            masterName: t.sentinel.masterName,
            sentinels: sentinelNodes(t).map((s) => a.public(s.id)),
            // The application knows the Sentinels' own password, as it must (redis.io: "Sentinel password-only
            // authentication": make sure your client library can send AUTH to the Sentinels).
            ...(password ? { sentinelPassword: password } : {}),
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

  /** Both clients SET a heartbeat key every `everyMs`, each on its own connection; every answer is a client result. */
  startHeartbeat(everyMs: number): string {
    if (this.heartbeats.length) throw new UserError('the heartbeat is already running; stop it first');
    this.heartbeatEveryMs = everyMs;
    this.heartbeats = (['A', 'B'] as const).map((c) => this.heartbeat(c));
    this.emitter.emit('heartbeat', { running: true, everyMs, startedAt: Date.now() });
    return `clients A and B each write a key every ${everyMs} ms`;
  }

  async stopHeartbeat(): Promise<string> {
    if (!this.heartbeats.length) throw new UserError('the heartbeat is not running');
    const hbs = this.heartbeats;
    this.heartbeats = [];
    await Promise.all(hbs.map((h) => h.stop()));
    this.emitter.emit('heartbeat', { running: false });
    return 'heartbeat stopped';
  }

  /**
   * Points a client elsewhere: at the Sentinels, or pinned to one data node (`redis-cli -h … -p …` to a fixed
   * address). Its connections are closed and the next request uses the new target; a running heartbeat follows.
   */
  async retarget(name: ClientName, target: ClientSpec['target']): Promise<string> {
    if (target.kind === 'node' && nodeById(this.topology, target.node)?.kind !== 'redis') {
      throw new UserError(`unknown Redis node "${target.node}"`);
    }
    this.targets[name] = target;
    const old = this.actors[name];
    this.actors[name] = this.makeActor(name, `client-${name}`);
    await old.close();
    const i = this.heartbeats.findIndex((h) => h.client === name);
    const hb = this.heartbeats[i];
    if (hb) {
      await hb.stop();
      this.heartbeats[i] = this.heartbeat(name);
    }
    this.emitter.emit('client-target', { client: name, target });
    return target.kind === 'node' ? `client ${name} pinned to ${target.node}` : `client ${name} asks the Sentinels`;
  }

  private heartbeat(c: ClientName): Heartbeat {
    return new Heartbeat(c, new ClientActor(this.actorOptions(c, `heartbeat-${c}`)), this.heartbeatEveryMs, (r) =>
      this.emitter.emit('client-result', { seq: this.nextSeq(), at: Date.now(), client: c, op: 'write', ...r }),
    );
  }

  startWorkload(client: ClientName, ratePerSec: number): string {
    if (this.workload?.running) throw new UserError('a workload is already running; stop it first');
    this.runs++;
    const runTag = `w${Date.now().toString(36)}${this.runs}`;
    const file = this.historyDir === undefined ? undefined : join(this.historyDir, `workload-${runTag}.jsonl`);
    let w: Workload;
    try {
      w = new Workload({
        actor: { ...this.actorOptions(client, 'workload') },
        runTag,
        ratePerSec,
        nextSeq: this.nextSeq,
        onOp: (op) => this.emitter.emit('history-op', op),
        ...(file ? { history: { file } } : {}),
      });
    } catch (err) {
      throw new UserError(`cannot create the workload's history file ${file}: ${errorMessage(err)}`);
    }
    this.workload = w;
    this.workloadClient = client;
    w.start();
    this.emitter.emit('workload', { running: true, client, ratePerSec, startedAt: Date.now() });
    return `workload started: client ${client}, ${ratePerSec} SADD/s`;
  }

  /** Stops the workload, waits for convergence, reads the final set and emits the verdict. */
  async stopWorkload(finalRead: (timeoutMs: number) => Promise<{ node: string; members: string[] }>): Promise<string> {
    const w = this.workload;
    // A workload stopped before (its verdict given) is not running: stopping it again would repeat an old verdict.
    if (!w?.running) throw new UserError('no workload is running');
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

  /**
   * The full history of the current/last workload: its file, with everything appended so far written (the export
   * calls it to flush that file before it streams every workload's). Undefined when no workload ran or its history is
   * kept nowhere (no work directory).
   */
  async historySource(): Promise<HistorySource | undefined> {
    const file = this.workload?.historyFile;
    if (!file) return undefined;
    try {
      await file.flush();
    } catch (err) {
      throw new UserError(`the workload's history file ${file.path} is incomplete: ${errorMessage(err)}`);
    }
    return { file: file.path };
  }

  note(op: HistoryOp): void {
    this.workload?.note(op);
  }

  masterChanged(): void {
    this.actors.A.masterChanged();
    this.actors.B.masterChanged();
    this.workload?.actor.masterChanged();
    for (const h of this.heartbeats) h.actor.masterChanged();
  }

  async close(): Promise<void> {
    await this.workload?.close().catch(() => undefined);
    if (this.heartbeats.length) await this.stopHeartbeat().catch(() => undefined);
    await Promise.all([this.actors.A.close(), this.actors.B.close()]);
  }
}
