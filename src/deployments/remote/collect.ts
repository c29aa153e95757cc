// Gathers a snapshot of a deployment the lab did not start (the effectful half of `inspect` and of attaching): every
// Sentinel given on the command line and every Sentinel they know of (SENTINEL MASTERS / REPLICAS / SENTINELS /
// GET-MASTER-ADDR-BY-NAME / CKQUORUM, MYID, INFO, TIME), then every data node any of them names (INFO, ROLE,
// CONFIG GET of a few settings, TIME, and whether it answers PING without credentials). Read commands only, through
// connection.ts (the allow-list). Interpretation is pure and lives in src/diagnosis/.

import { fieldsOf, parseInfoEntry, parseInfoSections } from '../../cluster/observe/parse-info.js';
import {
  CONFIG_PARAMETERS,
  type Endpoint,
  endpointText,
  type RawClock,
  type RawNode,
  type RawReply,
  type RawSentinel,
  type RawSnapshot,
  SECRET_CONFIG,
  SECRET_SET,
} from '../../diagnosis/snapshot.js';
import { UserError } from '../../errors.js';
import { type ConnectError, RemoteConnection } from './connection.js';
import type { Credentials, DeploymentCredentials } from './credentials.js';

export interface CollectOptions {
  seeds: readonly Endpoint[];
  credentials: DeploymentCredentials;
  masterName?: string;
  timeoutMs?: number;
  /** Asked once per kind when a node wants a password and none was given (a prompt); undefined: none. */
  ask?(kind: 'data' | 'sentinel'): Promise<string | undefined>;
}

/** At most this many Sentinels are followed (a deployment has a handful; this only bounds a runaway). */
const MAX_SENTINELS = 32;
const MAX_NODES = 64;
const CONNECTION_NAME = 'redis-sentinel-lab';

const isUnknownSubcommand = (r: RawReply | undefined) =>
  r !== undefined && !r.ok && /unknown subcommand/i.test(r.error);
const needsAuth = (text: string) => /NOAUTH|Authentication required/i.test(text);

function key(e: Endpoint): string {
  return endpointText(e);
}

function endpointOf(fields: Record<string, string>): Endpoint | undefined {
  const port = Number(fields.port);
  return fields.ip && Number.isInteger(port) && port > 0 ? { host: fields.ip, port } : undefined;
}

/** Each entry of an array reply as field records. */
function records(r: RawReply | undefined): Record<string, string>[] {
  return r?.ok && Array.isArray(r.value) ? r.value.map(fieldsOf) : [];
}

/** Asks for a password at most once per kind, however many nodes want it at the same time. */
class Asker {
  private readonly asked = new Map<'data' | 'sentinel', Promise<string | undefined>>();
  private readonly ask: CollectOptions['ask'];
  /** Kinds whose password was typed at the prompt (a refusal is then about what was typed, not an option). */
  readonly typed = new Set<'data' | 'sentinel'>();
  constructor(ask: CollectOptions['ask']) {
    this.ask = ask;
  }
  password(kind: 'data' | 'sentinel'): Promise<string | undefined> {
    let p = this.asked.get(kind);
    if (!p) {
      p = (this.ask ? this.ask(kind) : Promise.resolve(undefined)).then((pw) => {
        if (pw !== undefined) this.typed.add(kind);
        return pw;
      });
      this.asked.set(kind, p);
    }
    return p;
  }
}

/**
 * What to do when no Sentinel answered: why, in the words of what was given. A seed that wants a password may be a
 * data node rather than a Sentinel (both answer NOAUTH alike before AUTH, and the lab sends a seed no data-node
 * password), so that is named as the other possibility; a refused password is blamed on where it came from.
 */
export function noSentinelHint(
  problem: 'auth-required' | 'auth-failed' | undefined,
  given: { typed: boolean; dataPassword: boolean },
): string {
  if (problem === 'auth-failed') {
    return given.typed
      ? "The Sentinels refused the password typed at the prompt: run again and type the Sentinels' password (their requirepass; --sentinel-user USER for an ACL user)."
      : 'The Sentinels refused the password given: check the value of the --sentinel-password-env variable (and --sentinel-user USER for an ACL user).';
  }
  if (problem === 'auth-required') {
    const notSentinel = given.dataPassword
      ? " If it is a data node, not a Sentinel (--password-env is the data nodes' password), give a Sentinel's HOST:PORT to --sentinel instead (Sentinels usually listen on 26379)."
      : " If it is a data node, not a Sentinel, give a Sentinel's HOST:PORT to --sentinel instead (Sentinels usually listen on 26379).";
    return `It wants a password. If it is a Sentinel with one: pass --sentinel-password-env VAR (and --sentinel-user USER for an ACL user), or run in a terminal to be asked.${notSentinel}`;
  }
  return 'Check the HOST:PORT of each Sentinel (--sentinel host1:26379,host2:26379) and that this machine can reach them.';
}

/** One command on its own round trip, with this machine's clock read just before and just after. */
async function timed(conn: RemoteConnection, argv: string[] = ['TIME']): Promise<RawClock> {
  const beforeMs = Date.now();
  const [reply] = await conn.batch([argv]);
  return { beforeMs, afterMs: Date.now(), reply: reply ?? { ok: false, error: 'no reply' } };
}

/**
 * Opens a connection with `creds`; when the node answers NOAUTH and no password was given, asks for one (once) and
 * opens again. Resolves the connection and the credentials that worked, or the error text.
 */
async function openAuthenticated(
  e: Endpoint,
  kind: 'redis' | 'sentinel',
  creds: { current: Credentials },
  asker: Asker,
  timeoutMs: number,
): Promise<{ conn: RemoteConnection } | { error: string; problem?: string }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    let conn: RemoteConnection;
    try {
      conn = await RemoteConnection.open(e, kind, creds.current, { timeoutMs, name: CONNECTION_NAME });
    } catch (err) {
      const ce = err as ConnectError;
      return { error: ce.message, problem: ce.problem };
    }
    const [probe] = await conn.batch([['PING']]);
    if (probe?.ok) return { conn };
    conn.close();
    const text = probe?.error ?? 'no reply to PING';
    if (!needsAuth(text) || creds.current.password !== undefined || attempt > 0) return { error: text };
    const pw = await asker.password(kind === 'redis' ? 'data' : 'sentinel');
    if (pw === undefined) return { error: text, problem: 'auth-required' };
    creds.current = { ...creds.current, password: pw };
  }
  return { error: 'could not authenticate' };
}

async function querySentinel(
  e: Endpoint,
  seed: boolean,
  ctx: { creds: { current: Credentials }; asker: Asker; timeoutMs: number; masterName?: string },
): Promise<RawSentinel & { problem?: string }> {
  const out: RawSentinel & { problem?: string } = { endpoint: e, seed, views: {} };
  const opened = await openAuthenticated(e, 'sentinel', ctx.creds, ctx.asker, ctx.timeoutMs);
  if ('error' in opened) {
    out.error = opened.error;
    if (opened.problem) out.problem = opened.problem;
    return out;
  }
  const conn = opened.conn;
  try {
    // Sentinel has no TIME command: INFO server's server_time_usec, timed on its own round trip, tells its clock.
    out.clock = await timed(conn, ['INFO', 'server']);
    out.infoServer = out.clock.reply;
    const [infoSentinel, myId, masters] = await conn.batch([
      ['INFO', 'sentinel'],
      ['SENTINEL', 'MYID'],
      ['SENTINEL', 'MASTERS'],
    ]);
    Object.assign(out, { infoSentinel, myId, masters });
    if (isUnknownSubcommand(masters)) [out.masters] = await conn.batch([['SENTINEL', 'PRIMARIES']]);
    // A least-privilege ACL user may have SENTINEL MASTER but not MASTERS (redis.io's Sentinel ACL example): with
    // --master-name, that one entry is the list.
    if (!out.masters?.ok && ctx.masterName !== undefined) {
      const [one] = await conn.batch([['SENTINEL', 'MASTER', ctx.masterName]]);
      if (one?.ok) out.masters = { ok: true, value: [one.value] };
    }
    const names = records(out.masters)
      .map((f) => f.name)
      .filter((n): n is string => n !== undefined && (ctx.masterName === undefined || n === ctx.masterName));
    const perName = names.flatMap((n) => [
      ['SENTINEL', 'GET-MASTER-ADDR-BY-NAME', n],
      ['SENTINEL', 'REPLICAS', n],
      ['SENTINEL', 'SENTINELS', n],
      ['SENTINEL', 'CKQUORUM', n],
    ]);
    const replies = await conn.batch(perName);
    for (const [i, n] of names.entries()) {
      const [addr, replicas, sentinels, ckquorum] = replies.slice(i * 4, i * 4 + 4);
      out.views[n] = { addr, replicas, sentinels, ckquorum };
      if (isUnknownSubcommand(addr))
        [out.views[n].addr] = await conn.batch([['SENTINEL', 'GET-PRIMARY-ADDR-BY-NAME', n]]);
    }
  } finally {
    conn.close();
  }
  return out;
}

/** CONFIG GET's reply with a secret's value replaced by whether it is set. */
function scrub(param: string, r: RawReply | undefined): RawReply {
  if (!r) return { ok: false, error: 'no reply' };
  if (!r.ok || !SECRET_CONFIG.has(param)) return r;
  const f = fieldsOf(r.value);
  const value: string[] = [];
  for (const [k, v] of Object.entries(f)) value.push(k, SECRET_CONFIG.has(k) && v !== '' ? SECRET_SET : v);
  return { ok: true, value };
}

async function queryNode(
  e: Endpoint,
  ctx: { creds: { current: Credentials }; asker: Asker; timeoutMs: number },
): Promise<RawNode> {
  const out: RawNode = { endpoint: e, config: {} };
  // Without credentials too, at the same time: whether the node demands a password (what a replica without
  // masterauth runs into).
  const bare = (async () => {
    try {
      const conn = await RemoteConnection.open(e, 'redis', {}, { timeoutMs: ctx.timeoutMs });
      try {
        const [ping] = await conn.batch([['PING']]);
        out.authRequired = ping !== undefined && !ping.ok && needsAuth(ping.error);
      } finally {
        conn.close();
      }
    } catch {
      // Unreachable: the authenticated attempt says why.
    }
  })();
  const [opened] = await Promise.all([openAuthenticated(e, 'redis', ctx.creds, ctx.asker, ctx.timeoutMs), bare]);
  if ('error' in opened) {
    out.error = opened.error;
    return out;
  }
  const conn = opened.conn;
  try {
    const replies = await conn.batch([
      ['INFO', 'server'],
      ['INFO', 'replication'],
      ['INFO', 'persistence'],
      ['ROLE'],
      ...CONFIG_PARAMETERS.map((p) => ['CONFIG', 'GET', p]),
    ]);
    [out.infoServer, out.infoReplication, out.infoPersistence, out.role] = replies;
    for (const [i, p] of CONFIG_PARAMETERS.entries()) out.config[p] = scrub(p, replies[4 + i]);
    out.clock = await timed(conn);
  } finally {
    conn.close();
  }
  return out;
}

/** Replicas the master's INFO lists (`slaveN:ip=…,port=…`). */
function replicasInInfo(r: RawReply | undefined): Endpoint[] {
  if (!r?.ok || typeof r.value !== 'string') return [];
  const out: Endpoint[] = [];
  for (const [k, v] of Object.entries(parseInfoSections(r.value))) {
    if (!/^(slave|replica)\d+$/.test(k)) continue;
    const e = endpointOf(parseInfoEntry(v));
    if (e) out.push(e);
  }
  return out;
}

/**
 * Takes the snapshot; also resolves the credentials that worked (a password typed at the prompt included), for the
 * deployment that attaches next. UserError when no Sentinel could be asked at all (unreachable, or refused us).
 */
export async function collectSnapshot(
  opts: CollectOptions,
): Promise<{ snapshot: RawSnapshot; credentials: DeploymentCredentials }> {
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMs ?? 1500;
  const asker = new Asker(opts.ask);
  const sentinelCreds = { current: opts.credentials.sentinel };
  const dataCreds = { current: opts.credentials.data };
  const sctx = { creds: sentinelCreds, asker, timeoutMs, ...(opts.masterName ? { masterName: opts.masterName } : {}) };

  const sentinels = new Map<string, RawSentinel & { problem?: string }>();
  let wave: Array<{ e: Endpoint; seed: boolean }> = opts.seeds.map((e) => ({ e, seed: true }));
  while (wave.length && sentinels.size < MAX_SENTINELS) {
    for (const w of wave) sentinels.set(key(w.e), { endpoint: w.e, seed: w.seed, views: {} });
    const got = await Promise.all(wave.map((w) => querySentinel(w.e, w.seed, sctx)));
    for (const s of got) sentinels.set(key(s.endpoint), s);
    const next = new Map<string, Endpoint>();
    for (const s of got) {
      for (const v of Object.values(s.views)) {
        for (const f of records(v.sentinels)) {
          const e = endpointOf(f);
          if (e && !sentinels.has(key(e))) next.set(key(e), e);
        }
      }
    }
    wave = [...next.values()].slice(0, MAX_SENTINELS - sentinels.size).map((e) => ({ e, seed: false }));
  }
  const answered = [...sentinels.values()].filter((s) => s.error === undefined);
  if (answered.length === 0) {
    const seeds = [...sentinels.values()].filter((s) => s.seed);
    const found = seeds.find((s) => s.problem === 'auth-required' || s.problem === 'auth-failed')?.problem;
    const authProblem = found === 'auth-required' || found === 'auth-failed' ? found : undefined;
    throw new UserError(
      `No Sentinel answered: ${seeds.map((s) => `${key(s.endpoint)}: ${s.error ?? '?'}`).join('; ')}`,
      {
        hint: noSentinelHint(authProblem, {
          typed: asker.typed.has('sentinel'),
          dataPassword: opts.credentials.data.password !== undefined,
        }),
      },
    );
  }

  const nodes = new Map<string, Endpoint>();
  const add = (e: Endpoint | undefined) => {
    if (e && nodes.size < MAX_NODES && !nodes.has(key(e))) nodes.set(key(e), e);
  };
  for (const s of answered) {
    for (const f of records(s.masters)) {
      if (opts.masterName === undefined || f.name === opts.masterName) add(endpointOf(f));
    }
    for (const v of Object.values(s.views)) {
      if (v.addr?.ok && Array.isArray(v.addr.value)) {
        const [host, port] = v.addr.value.map(String);
        if (host && port) add({ host, port: Number(port) });
      }
      for (const f of records(v.replicas)) add(endpointOf(f));
    }
  }
  const nctx = { creds: dataCreds, asker, timeoutMs };
  const done = new Map<string, RawNode>();
  let pending = [...nodes.values()];
  while (pending.length) {
    const got = await Promise.all(pending.map((e) => queryNode(e, nctx)));
    for (const n of got) done.set(key(n.endpoint), n);
    // Replicas a master lists that no Sentinel named (yet): they belong to the picture too.
    for (const n of got) for (const e of replicasInInfo(n.infoReplication)) add(e);
    pending = [...nodes.values()].filter((e) => !done.has(key(e)));
  }

  const clean = ({ problem: _p, ...s }: RawSentinel & { problem?: string }): RawSentinel => s;
  const snapshot: RawSnapshot = {
    takenAt: t0,
    tookMs: Date.now() - t0,
    seeds: [...opts.seeds],
    ...(opts.masterName ? { masterName: opts.masterName } : {}),
    sentinels: [...sentinels.values()].map(clean),
    nodes: [...done.values()],
  };
  return { snapshot, credentials: { data: dataCreds.current, sentinel: sentinelCreds.current } };
}
