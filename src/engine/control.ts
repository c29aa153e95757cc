// The control socket: how `redis-sentinel-lab do …` (and `watch`) reach a running lab (`up` or the TUI). A Unix
// socket in the lab's run directory (0700, ours), itself 0600, speaking one JSON object per line:
//
//   → {"op":"perform","action":{"kind":"kill","node":"redis-1"}}
//   ← {"type":"accepted"}   at once, so a client can tell a lab that is working from one that is stopped or hung
//   ← {"ok":true,"title":"kill redis-1","equivalent":"kill -9 4242 …","result":"redis-1 killed"}
//   → {"op":"follow"}
//   ← {"type":"hello","runId":"…","pid":4242,"nodes":{…},"faults":[…]}   … node and fault facts as they happen,
//     and {"type":"stopping"} when the lab stops, then the end.
//
// Actions go through the same catalog and `Lab.perform` as keys and lessons: an action the deployment cannot do is
// refused with its reason. No React, no UI: engine side only.
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type ActionOutcome,
  ActionSchema,
  describeAction,
  type LabAction,
  requiredCapability,
} from '../actions/catalog.js';
import type { ProcessState } from '../cluster/events.js';
import type { ActiveFault } from '../cluster/fabric/plan.js';
import type { Topology } from '../cluster/topology.js';
import { type Unavailable, whyMissing } from '../deployments/deployment.js';
import { errorMessage } from '../errors.js';
import type { Lab } from './lab.js';

export const CONTROL_SOCKET = 'control.sock';
/** A request line longer than this is refused (a LabAction is a few hundred bytes). */
export const MAX_LINE = 64 * 1024;

export function controlSocketPath(runDir: string): string {
  return join(runDir, CONTROL_SOCKET);
}

/** What the control socket acts on; a Lab provides it (controlTargetOf). */
export interface ControlTarget {
  runId: string;
  topology: Topology;
  perform(a: LabAction): Promise<ActionOutcome>;
  describe(a: LabAction): { title: string; equivalent: string };
  /** Why the deployment cannot do this action, if it cannot. */
  refusal(a: LabAction): Unavailable | undefined;
  /** Each node's process state now, for a follower's hello (so an attached view starts from the truth). */
  nodes(): Record<string, NodeFacts>;
  /** The network faults in force now, for the same hello (later ones come as fault-applied / fault-healed). */
  faults(): ActiveFault[];
}

/** A node's process as the lab that runs it knows it: its state, pid, and how it last ended. */
export interface NodeFacts {
  state: ProcessState;
  pid?: number;
  exit?: { code: number | null; signal: string | null; expected: boolean; at: number };
}

export function controlTargetOf(lab: Lab): ControlTarget {
  const d = lab.deployment;
  return {
    runId: lab.runId,
    topology: lab.topology,
    perform: (a) => lab.perform(a),
    describe: (a) => {
      const runtime = d.capabilities.runtime;
      return describeAction(a, d.topology, {
        pid: (id) => runtime?.pid(id),
        configPath: (id) => runtime?.configPath(id),
      });
    },
    refusal: (a) => {
      const c = requiredCapability(a.kind);
      return c ? whyMissing(d, c) : undefined;
    },
    faults: () => lab.store.getState().faults,
    nodes: () => {
      const out: Record<string, NodeFacts> = {};
      for (const [id, p] of Object.entries(lab.store.getState().processes)) {
        const e = p.lastExit;
        out[id] = {
          state: p.state,
          ...(p.pid !== undefined ? { pid: p.pid } : {}),
          ...(e ? { exit: { code: e.code, signal: e.signal, expected: e.expected, at: e.at } } : {}),
        };
      }
      return out;
    },
  };
}

const Request = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('perform'), action: z.unknown() }),
  z.strictObject({ op: z.literal('follow') }),
]);

/** The answer to one `perform`. */
export interface PerformReply {
  ok: boolean;
  title?: string;
  equivalent?: string;
  result?: string;
  /** The deployment cannot do it (nothing was attempted). */
  refused?: Unavailable;
  /** The request itself was wrong (not a valid action). */
  invalid?: string;
}

export class ControlServer {
  private readonly server: Server;
  private readonly followers = new Set<Socket>();
  private readonly sockets = new Set<Socket>();
  readonly path: string;
  private closing: Promise<void> | undefined;

  private constructor(server: Server, path: string) {
    this.server = server;
    this.path = path;
  }

  /** Listens on `<runDir>/control.sock` (0600). Rejects when the socket cannot be created. */
  static listen(runDir: string, target: ControlTarget): Promise<ControlServer> {
    const path = controlSocketPath(runDir);
    // A stale socket of this same run (a previous listen) would make listen fail with EADDRINUSE.
    rmSync(path, { force: true });
    let self: ControlServer | undefined;
    const server = createServer((socket) => self?.accept(socket, target));
    self = new ControlServer(server, path);
    const created = self;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      // The run directory is 0700 already, so nobody else can reach the socket even for the instant before chmod.
      server.listen(path, () => {
        server.off('error', reject);
        server.on('error', () => {});
        try {
          chmodSync(path, 0o600);
        } catch (err) {
          server.close();
          reject(err);
          return;
        }
        resolve(created);
      });
    });
  }

  private accept(socket: Socket, target: ControlTarget): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.followers.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE && !buffer.includes('\n')) {
        this.reply(socket, { ok: false, invalid: `request longer than ${MAX_LINE} bytes` });
        socket.end();
        return;
      }
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim()) void this.handle(socket, line, target);
      }
    });
  }

  private reply(socket: Socket, msg: object): void {
    if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(msg)}\n`);
  }

  private async handle(socket: Socket, line: string, target: ControlTarget): Promise<void> {
    let req: z.output<typeof Request>;
    try {
      req = Request.parse(JSON.parse(line));
    } catch (err) {
      this.reply(socket, { ok: false, invalid: `not a control request: ${errorMessage(err)}` });
      return;
    }
    if (req.op === 'follow') {
      this.followers.add(socket);
      this.reply(socket, {
        type: 'hello',
        runId: target.runId,
        pid: process.pid,
        nodes: target.nodes(),
        faults: target.faults(),
      });
      return;
    }
    this.reply(socket, { type: 'accepted' });
    this.reply(socket, await performRequest(req.action, target));
  }

  /** Sends one message to every follower (node process facts as they happen). */
  broadcast(msg: object): void {
    if (this.closing) return;
    for (const f of this.followers) this.reply(f, msg);
  }

  /** Tells every follower the lab is stopping, then closes every connection and removes the socket. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      for (const f of this.followers) {
        this.reply(f, { type: 'stopping' });
        f.end();
      }
      this.server.close(() => resolve());
      for (const s of this.sockets) if (!this.followers.has(s)) s.destroy();
      // Followers got their line; a follower that never reads must not hold the lab up.
      setTimeout(() => {
        for (const s of this.sockets) s.destroy();
      }, 200).unref();
      try {
        if (lstatSync(this.path).isSocket()) rmSync(this.path, { force: true });
      } catch {
        // the run directory is gone already
      }
    });
    return this.closing;
  }
}

/** Validates and performs one action; never throws. Exported for tests. */
export async function performRequest(raw: unknown, target: ControlTarget): Promise<PerformReply> {
  const parsed = ActionSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, invalid: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  const a = parsed.data;
  let words: { title: string; equivalent: string };
  try {
    words = target.describe(a);
  } catch (err) {
    return { ok: false, invalid: errorMessage(err) };
  }
  const refused = target.refusal(a);
  if (refused) return { ok: false, ...words, refused };
  const outcome = await target.perform(a);
  return { ok: outcome.ok, ...words, result: outcome.text };
}
