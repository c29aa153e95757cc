// Pure: facts about a Sentinel deployment in, findings out. Every check reads only the facts (facts.ts) and says what
// it saw where, the exact fix and the lesson; nothing here connects to anything. The rules follow redis.io's Sentinel
// and replication pages (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/,
// https://redis.io/docs/latest/operate/oss_and_stack/management/replication/).
import type { SentinelInstanceInfo } from '../cluster/observe/types.js';
import {
  compareEndpoints,
  type Facts,
  type MasterFact,
  type NodeFact,
  namedMaster,
  nodeAtEndpoint,
  nodeLabel,
  type SentinelFact,
  type SentinelView,
  sameEndpoint,
  sentinelLabel,
} from './facts.js';
import type { Evidence, Finding } from './findings.js';
import { type Endpoint, endpointText } from './snapshot.js';

/** Below this Sentinel declares a healthy master down around a failover (redis.io Sentinel docs; the timing lesson). */
export const DOWN_AFTER_MIN_MS = 1000;
/** Above this a dead master goes unnoticed for more than a minute. */
export const DOWN_AFTER_MAX_MS = 60_000;
/** Clock differences smaller than this (beyond what the round trips leave open) are not worth a word. */
export const CLOCK_SKEW_MS = 500;

/**
 * The command-line client the fix lines name: `valkey-cli` when every server that answered is Valkey, else
 * `redis-cli`. Both take the password from REDISCLI_AUTH, never from the lab.
 */
export function cliTool(f: Facts): 'redis-cli' | 'valkey-cli' {
  const names = [...f.sentinels, ...f.nodes].flatMap((x) => (x.server ? [x.server.name] : []));
  return names.length > 0 && names.every((n) => n === 'valkey') ? 'valkey-cli' : 'redis-cli';
}

function fields(i: SentinelInstanceInfo, ...names: string[]): string {
  return names
    .filter((n) => i.fields[n] !== undefined)
    .map((n) => `${n} ${i.fields[n]}`)
    .join(', ');
}

function secs(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

const down = (flags: readonly string[]) => flags.includes('s_down') || flags.includes('o_down');
/**
 * The master has not answered this Sentinel's PINGs for longer than its down-after-milliseconds: flagged down, or
 * about to be (the flag is set on the Sentinel's next timer tick). The same test Sentinel makes (sentinel.c,
 * sentinelCheckSubjectivelyDown): the age of the oldest PING still waiting for a reply (`last-ping-sent`), or, while
 * the link is disconnected, the time since the last valid reply (`last-ok-ping-reply`). `last-ok-ping-reply` alone
 * is not it: a Sentinel PINGs only once its last reply is older than the ping period (down-after when below 1 s), so
 * a healthy master with down-after 800 ms routinely shows a last reply a little older than 800 ms.
 */
const unanswered = (v: SentinelView) => {
  const m = v.master;
  if (!m) return false;
  if (down(m.flags)) return true;
  if (!(m.downAfterMs > 0)) return false;
  const pending = Number(m.fields['last-ping-sent']);
  if (Number.isFinite(pending) && pending > m.downAfterMs) return true;
  const lastOk = Number(m.fields['last-ok-ping-reply']);
  return m.flags.includes('disconnected') && Number.isFinite(lastOk) && lastOk > m.downAfterMs;
};
/** Sentinels send hellos every 2 s (redis.io, Sentinel); a peer heard within HELLO_FRESH_MS is alive. */
const HELLO_PERIOD_MS = 2000;
const HELLO_FRESH_MS = 5000;
const unreachableText = (n: NodeFact | undefined) => n?.error ?? 'not asked';
const isAuthError = (t: string | undefined) =>
  t !== undefined && /NOAUTH|WRONGPASS|Authentication|NOPERM|invalid password/i.test(t);
/** NOAUTH: the server wants a password and was given none; otherwise the one given was refused. */
const refusedWhat = (t: string | undefined) =>
  /NOAUTH/i.test(t ?? '')
    ? 'asks for a password, and the lab was given none'
    : 'refused the credentials the lab was given';

/** Everything the checks of one master share. */
interface MasterContext {
  m: MasterFact;
  /** Reachable Sentinels that monitor it, with their view. */
  views: Array<{ s: SentinelFact; v: SentinelView }>;
  /** What the Sentinels should name: a majority's answer, else the one named node that reports role master. */
  reference?: Endpoint;
  master?: NodeFact;
  label(e: Endpoint): string;
  /** `redis-cli -h H -p P` (or `valkey-cli`, see cliTool). */
  cli(e: Endpoint): string;
}

function context(f: Facts, m: MasterFact): MasterContext {
  const views = f.sentinels.flatMap((s) => {
    const v = s.views[m.name];
    return s.reachable && v ? [{ s, v }] : [];
  });
  const reference = namedMaster(f, m.name);
  const master = nodeAtEndpoint(f, reference);
  const tool = cliTool(f);
  return {
    m,
    views,
    ...(reference ? { reference } : {}),
    ...(master ? { master } : {}),
    label: (e) => nodeLabel(m, e),
    cli: (e) => `${tool} -h ${e.host} -p ${e.port}`,
  };
}

/** Replica endpoints of the master: what the Sentinels that name the reference list, and what its INFO lists. */
function replicaEndpoints(c: MasterContext): Endpoint[] {
  const out: Endpoint[] = [];
  const push = (e: Endpoint) => {
    if (!out.some((x) => sameEndpoint(x, e)) && !sameEndpoint(e, c.reference)) out.push(e);
  };
  for (const { v } of c.views) {
    if (c.reference && v.named && !sameEndpoint(v.named, c.reference)) continue;
    for (const r of v.replicas) if (r.ip && r.port > 0) push({ host: r.ip, port: r.port });
  }
  for (const r of c.master?.replication?.role === 'master' ? c.master.replication.replicas : []) {
    if (r.ip && r.port > 0) push({ host: r.ip, port: r.port });
  }
  // Address order, whatever order the Sentinels listed them in: the same deployment reads the same every time.
  return out.sort(compareEndpoints);
}

/** SENTINEL REPLICAS entries for an endpoint, per Sentinel. */
function sentinelEntries(c: MasterContext, e: Endpoint): Array<{ s: SentinelFact; r: SentinelInstanceInfo }> {
  return c.views.flatMap(({ s, v }) => {
    const r = v.replicas.find((x) => x.ip === e.host && x.port === e.port);
    return r ? [{ s, r }] : [];
  });
}

function masterListsReplica(c: MasterContext, e: Endpoint) {
  return c.master?.replication?.role === 'master'
    ? c.master.replication.replicas.find((r) => r.ip === e.host && r.port === e.port)
    : undefined;
}

// ── The checks ──────────────────────────────────────────────────────────────────────────────────────────────

function disagreement(f: Facts, c: MasterContext): Finding[] {
  const groups = new Map<string, { e?: Endpoint; ids: SentinelFact[] }>();
  for (const { s, v } of c.views) {
    const k = v.named ? endpointText(v.named) : '(none)';
    const g = groups.get(k) ?? { ...(v.named ? { e: v.named } : {}), ids: [] };
    g.ids.push(s);
    groups.set(k, g);
  }
  if (groups.size <= 1) return [];
  const evidence: Evidence[] = [];
  for (const { s, v } of c.views) {
    const n = nodeAtEndpoint(f, v.named);
    const role = n?.replication
      ? `, which reports role ${n.replication.role}`
      : n && !n.reachable
        ? ' (no answer from here)'
        : '';
    evidence.push({
      where: `${sentinelLabel(s)} SENTINEL GET-MASTER-ADDR-BY-NAME ${c.m.name}`,
      saw: v.named ? `${c.label(v.named)}${role}; config-epoch ${v.master?.configEpoch ?? '?'}` : 'no master',
    });
  }
  const inProgress = c.views.some(
    ({ v }) => v.master?.flags.includes('failover_in_progress') || v.master?.failoverState,
  );
  const ref = c.reference;
  const dissenters = c.views.filter(({ v }) => !ref || !v.named || !sameEndpoint(v.named, ref));
  const quorum = c.views.find(({ v }) => ref && v.named && sameEndpoint(v.named, ref))?.v.master?.quorum ?? 2;
  // A master that wants a password needs auth-pass on a Sentinel that monitors it afresh.
  const needsPassword = c.m.nodes.some(({ endpoint }) => {
    const n = nodeAtEndpoint(f, endpoint);
    return n?.authRequired === true || (n !== undefined && isAuthError(n.error));
  });
  const fix = ref
    ? dissenters.flatMap(({ s }) => [
        `${c.cli(s.endpoint)} SENTINEL REMOVE ${c.m.name}`,
        `${c.cli(s.endpoint)} SENTINEL MONITOR ${c.m.name} ${ref.host} ${ref.port} ${quorum}`,
        ...(needsPassword
          ? [
              `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} auth-pass <password>   # and the other per-master settings the rest use (down-after-milliseconds, failover-timeout)`,
            ]
          : [
              `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} down-after-milliseconds <ms>   # and the other per-master settings the rest use (failover-timeout, parallel-syncs)`,
            ]),
      ])
    : [
        `# Decide which node holds the data and should be the master, then on every Sentinel that names another one:`,
        `redis-cli -h <sentinel> -p <port> SENTINEL REMOVE ${c.m.name}`,
        `redis-cli -h <sentinel> -p <port> SENTINEL MONITOR ${c.m.name} <master-ip> <master-port> <quorum>`,
      ];
  return [
    {
      id: 'sentinels-disagree',
      severity: inProgress ? 'warning' : 'critical',
      master: c.m.name,
      title: `The Sentinels name different masters for ${c.m.name}${inProgress ? ' (a failover is in progress: look again in a few seconds)' : ''}`,
      evidence,
      fix,
      lesson: 'hello-epochs',
    },
  ];
}

function masterDown(c: MasterContext): Finding[] {
  const downs = c.views.filter(
    ({ v }) => unanswered(v) && (!c.reference || !v.named || sameEndpoint(v.named, c.reference)),
  );
  if (!downs.length || !c.reference) return [];
  const flagged = downs.some(({ v }) => v.master && down(v.master.flags));
  const n = `${downs.length} Sentinel${downs.length > 1 ? 's' : ''}`;
  return [
    {
      id: 'master-down',
      severity: 'critical',
      master: c.m.name,
      subject: c.label(c.reference),
      title: flagged
        ? `${n} consider the master ${c.label(c.reference)} down`
        : `${n} had no answer from the master ${c.label(c.reference)} for longer than down-after-milliseconds: it is about to be flagged down`,
      evidence: downs.map(({ s, v }) => ({
        where: `${sentinelLabel(s)} SENTINEL MASTER ${c.m.name}`,
        saw: `flags ${v.master?.flags.join(',')}${v.master?.fields['s-down-time'] ? `, s-down-time ${v.master.fields['s-down-time']} ms` : ''}${Number(v.master?.fields['last-ping-sent']) > 0 ? `, a PING unanswered for ${v.master?.fields['last-ping-sent']} ms (last-ping-sent)` : ''}, last-ok-ping-reply ${v.master?.fields['last-ok-ping-reply'] ?? '?'} ms ago`,
      })),
      fix: [
        `${c.cli(c.reference)} PING   # does it answer? A process, network or auth-pass problem keeps Sentinel's PINGs unanswered`,
        `# Sentinel fails over once ${c.views[0]?.v.master?.quorum ?? 'quorum'} Sentinels agree (o_down) and a majority elects a leader`,
      ],
      lesson: 'failover',
    },
  ];
}

function addresses(f: Facts, c: MasterContext): Finding[] {
  const out: Finding[] = [];
  // The master Sentinel names.
  const ref = c.reference;
  if (ref && c.master && !c.master.reachable && !isAuthError(c.master.error)) {
    // Only a Sentinel that had an answer within down-after-milliseconds reaches it; otherwise the master is down
    // (masterDown), not badly announced.
    const sentinelSeesIt = c.views.some(({ v }) => v.master && !unanswered(v));
    if (sentinelSeesIt) {
      out.push({
        id: 'announced-address-unreachable',
        severity: 'critical',
        master: c.m.name,
        subject: c.label(ref),
        title: `The master's address ${endpointText(ref)}, which Sentinel hands to clients, does not answer from here (the Sentinels reach it)`,
        evidence: [
          { where: `this machine → ${endpointText(ref)}`, saw: unreachableText(c.master) },
          ...c.views.map(({ s, v }) => ({
            where: `${sentinelLabel(s)} SENTINEL MASTER ${c.m.name}`,
            saw: `${endpointText(ref)} flags ${v.master?.flags.join(',') ?? '?'}, last-ok-ping-reply ${v.master?.fields['last-ok-ping-reply'] ?? '?'} ms ago`,
          })),
        ],
        fix: [
          `# Clients that ask Sentinel get ${endpointText(ref)}: make it an address they can reach.`,
          `# On the master's host, announce a reachable address (it is what the replicas report and what a promoted replica becomes):`,
          `replica-announce-ip <reachable-ip>`,
          `replica-announce-port <reachable-port>`,
          `# and in every sentinel.conf: sentinel monitor ${c.m.name} <reachable-ip> <reachable-port> <quorum>`,
        ],
        lesson: 'announce',
      });
    }
  }
  // Replicas.
  for (const e of replicaEndpoints(c)) {
    const n = nodeAtEndpoint(f, e);
    const entries = sentinelEntries(c, e);
    const listed = masterListsReplica(c, e);
    if (n && !n.reachable && !isAuthError(n.error)) {
      if (listed) {
        out.push({
          id: 'announced-address-unreachable',
          severity: 'warning',
          master: c.m.name,
          subject: c.label(e),
          title: `Replica ${c.label(e)} is connected to the master but its announced address does not answer`,
          evidence: [
            {
              where: `${c.label(c.reference ?? e)} INFO replication`,
              saw: `ip=${listed.ip},port=${listed.port},state=${listed.state}`,
            },
            ...entries.map(({ s, r }) => ({
              where: `${sentinelLabel(s)} SENTINEL REPLICAS ${c.m.name}`,
              saw: `${endpointText(e)} ${fields(r, 'flags', 'last-ok-ping-reply')}`,
            })),
            { where: `this machine → ${endpointText(e)}`, saw: unreachableText(n) },
          ],
          fix: [
            `# On that replica (redis.conf, then restart it or CONFIG SET each): announce the address it is reachable at,`,
            `replica-announce-ip <its reachable ip>`,
            `replica-announce-port <its reachable port>`,
            `# or remove wrong replica-announce-* lines. Sentinel cannot promote a replica it cannot reach.`,
          ],
          lesson: 'announce',
        });
      } else if (entries.length > 0) {
        const worst = entries.map(({ r }) => Number(r.fields['s-down-time'] ?? 0)).reduce((a, b) => Math.max(a, b), 0);
        out.push({
          id: 'stale-replica',
          severity: 'warning',
          master: c.m.name,
          subject: c.label(e),
          title: `Sentinel still counts ${endpointText(e)} as a replica, but it does not answer and the master does not list it${worst ? ` (down for ${secs(worst)})` : ''}`,
          evidence: [
            ...entries.map(({ s, r }) => ({
              where: `${sentinelLabel(s)} SENTINEL REPLICAS ${c.m.name}`,
              saw: `${endpointText(e)} ${fields(r, 'flags', 's-down-time', 'master-link-status')}`,
            })),
            { where: `${c.label(c.reference ?? e)} INFO replication`, saw: `no slaveN line for ${endpointText(e)}` },
            { where: `this machine → ${endpointText(e)}`, saw: unreachableText(n) },
          ],
          fix: [
            `# If it will come back: start it again. If it was removed for good, Sentinel never forgets it by itself:`,
            ...entries.map(
              ({ s }) =>
                `${c.cli(s.endpoint)} SENTINEL RESET ${c.m.name}   # one Sentinel at a time; wait until it lists the live replicas again`,
            ),
          ],
          lesson: 'stale-state',
        });
      }
    }
    // The same replica known under two addresses, or another process answering where Sentinel expects it.
    if (n?.reachable) {
      const runId = n.server?.runId;
      for (const { s, r } of entries) {
        if (runId && r.runId && r.runId !== runId) {
          out.push(
            mismatch(
              c,
              e,
              `${sentinelLabel(s)} SENTINEL REPLICAS ${c.m.name}`,
              `runid ${r.runId} at ${endpointText(e)}`,
              `run_id ${runId}: another process answers at the address Sentinel has for this replica`,
            ),
          );
        }
      }
      const port = n.server?.tcpPort;
      if (port !== undefined && port !== e.port && n.config.announcePort === undefined) {
        out.push(
          mismatch(
            c,
            e,
            `${c.label(e)} INFO server`,
            `tcp_port ${port}`,
            `it answers at ${endpointText(e)} but says it listens on port ${port}, and no replica-announce-port explains the difference`,
          ),
        );
      }
    }
  }
  // The same replica (run id) listed by Sentinel at one address and by the master at another.
  for (const { s, v } of c.views) {
    for (const r of v.replicas) {
      if (!r.runId) continue;
      const twin = f.nodes.find(
        (n) => n.server?.runId === r.runId && !sameEndpoint(n.endpoint, { host: r.ip, port: r.port }),
      );
      if (twin) {
        out.push(
          mismatch(
            c,
            { host: r.ip, port: r.port },
            `${sentinelLabel(s)} SENTINEL REPLICAS ${c.m.name}`,
            `${r.ip}:${r.port} runid ${r.runId}`,
            `the same process (run_id ${r.runId}) answers at ${endpointText(twin.endpoint)}`,
          ),
        );
      }
    }
  }
  return dedupe(out);
}

function mismatch(c: MasterContext, e: Endpoint, where: string, saw: string, other: string): Finding {
  return {
    id: 'announced-address-mismatch',
    severity: 'warning',
    master: c.m.name,
    subject: c.label(e),
    title: `${c.label(e)}: the address Sentinel uses differs from what the node itself reports`,
    evidence: [
      { where, saw },
      { where: `${endpointText(e)}`, saw: other },
    ],
    fix: [
      `# Make the replica announce one address everyone can use (redis.conf on that replica):`,
      `replica-announce-ip <ip>`,
      `replica-announce-port <port>`,
      ...c.views.map(
        ({ s }) =>
          `${c.cli(s.endpoint)} SENTINEL RESET ${c.m.name}   # afterwards, one Sentinel at a time, to forget the old address`,
      ),
    ],
    lesson: 'announce',
  };
}

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((x) => {
    const k = `${x.id}|${x.subject}|${x.evidence.map((e) => e.saw).join('|')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function links(f: Facts, c: MasterContext): Finding[] {
  const out: Finding[] = [];
  for (const e of replicaEndpoints(c)) {
    const n = nodeAtEndpoint(f, e);
    const r = n?.replication;
    if (!n?.reachable || r?.role !== 'replica' || r.masterLinkStatus !== 'down') continue;
    const entries = sentinelEntries(c, e);
    const role = n.role?.role === 'replica' ? n.role : undefined;
    const upstream =
      r.masterHost && r.masterPort ? nodeAtEndpoint(f, { host: r.masterHost, port: r.masterPort }) : undefined;
    const noauth = n.config.hasMasterauth === false && upstream?.authRequired === true;
    // A replica the master is sending its data to (listed by the master as wait_bgsave / send_bulk) is on its way up.
    // One stuck in a loop says master_sync_in_progress:1 and ROLE "sync" too (every attempt starts a SYNC), but the
    // master never lists it.
    const listed = masterListsReplica(c, e);
    const transferring = r.masterSyncInProgress === true && listed !== undefined && listed.state !== 'online';
    if (transferring && !noauth) continue;
    const downSince = r.masterLinkDownSinceSec;
    const evidence: Evidence[] = [
      {
        where: `${c.label(e)} INFO replication`,
        saw: `master_host:${r.masterHost} master_port:${r.masterPort} master_link_status:down${downSince !== undefined ? ` master_link_down_since_seconds:${downSince}${downSince < 0 ? ' (never connected)' : ''}` : ''}`,
      },
    ];
    if (role)
      evidence.push({
        where: `${c.label(e)} ROLE`,
        saw: `slave ${role.masterHost} ${role.masterPort} ${role.state} ${role.offset}`,
      });
    for (const { s, r: se } of entries) {
      evidence.push({
        where: `${sentinelLabel(s)} SENTINEL REPLICAS ${c.m.name}`,
        saw: `${endpointText(e)} ${fields(se, 'master-link-status', 'master-link-down-time', 'flags')}`,
      });
    }
    if (noauth && upstream) {
      evidence.push({ where: `${c.label(e)} CONFIG GET masterauth`, saw: 'empty (Valkey: primaryauth)' });
      evidence.push({
        where: `${c.label(upstream.endpoint)} PING without credentials`,
        saw: "NOAUTH Authentication required. — so this replica's SYNC is refused with NOAUTH, and it retries at once, again and again",
      });
      out.push({
        id: 'replica-noauth',
        severity: 'critical',
        master: c.m.name,
        subject: c.label(e),
        title: `Replica ${c.label(e)} cannot replicate: it has no masterauth and the master requires a password (NOAUTH)`,
        evidence,
        fix: [
          `${c.cli(e)} CONFIG SET masterauth <password>   # Valkey: primaryauth (masterauth is accepted too)`,
          `${c.cli(e)} CONFIG REWRITE   # or add "masterauth <password>" to its redis.conf`,
          `# Set masterauth on every data node, the master included: after a failover the old master becomes a replica`,
        ],
        lesson: 'masterauth',
      });
      continue;
    }
    if (n.config.hasMasterauth === true && upstream?.authRequired === true) {
      evidence.push({
        where: `${c.label(e)} CONFIG GET masterauth`,
        saw: "set (the link is down anyway: is it the master's password?)",
      });
    }
    out.push({
      id: 'replica-link-down',
      severity: 'critical',
      master: c.m.name,
      subject: c.label(e),
      title: `Replica ${c.label(e)} is not replicating: its link to ${r.masterHost}:${r.masterPort} is down`,
      evidence,
      fix: [
        `${c.cli(e)} INFO replication   # master_link_status, and the replica's log: "MASTER aborted replication", "Unable to AUTH to MASTER", "Error condition on socket for SYNC"`,
        `# Check that the replica reaches ${r.masterHost}:${r.masterPort} and that its masterauth (and masteruser) match the master's password`,
        `# A replica whose link has been down too long is never promoted (redis.io: replica selection)`,
      ],
      lesson: 'no-good-replica',
    });
  }
  return out;
}

function quorum(f: Facts, c: MasterContext): Finding[] {
  const withMaster = c.views.filter(({ v }) => v.master);
  if (!withMaster.length) return [];
  const q = Math.max(...withMaster.map(({ v }) => v.master?.quorum ?? 0));
  // Every Sentinel any of them knows of, itself included: the voters a failover needs a majority of.
  const voters = Math.max(...withMaster.map(({ v }) => (v.master?.numOtherSentinels ?? 0) + 1));
  // A Sentinel in TILT answers "not down" to every vote request, so it does not help.
  const usable = c.views.filter(({ s }) => !s.tilt).length;
  const majority = Math.floor(voters / 2) + 1;
  const listed = (s: SentinelFact) =>
    c.views.some(({ v }) =>
      v.sentinels.some((p) => [s.endpoint, ...s.aliases].some((e) => e.host === p.ip && e.port === p.port)),
    );
  const unreachable = f.sentinels.filter((s) => !s.reachable && listed(s));
  const ckTexts = c.views.flatMap(({ v }) => (v.ckquorum && !v.ckquorum.ok ? [v.ckquorum.text] : []));
  const evidence: Evidence[] = [
    ...withMaster.map(({ s, v }) => ({
      where: `${sentinelLabel(s)} SENTINEL MASTER ${c.m.name}`,
      saw: `quorum ${v.master?.quorum}, num-other-sentinels ${v.master?.numOtherSentinels}`,
    })),
    ...c.views.flatMap(({ s, v }) =>
      v.ckquorum ? [{ where: `${sentinelLabel(s)} SENTINEL CKQUORUM ${c.m.name}`, saw: v.ckquorum.text }] : [],
    ),
    {
      where: 'this machine',
      saw: `${usable} of ${voters} known Sentinels answer and are not in TILT${unreachable.length ? `; no answer from ${unreachable.map(sentinelLabel).join(', ')}` : ''}`,
    },
  ];
  const bringBack = unreachable.map(
    (s) => `# start ${sentinelLabel(s)} again; if it is gone for good, see the stale Sentinel finding (SENTINEL RESET)`,
  );
  const out: Finding[] = [];
  // Each Sentinel judges o_down with its own quorum, so a failover needs only one Sentinel whose quorum can be met:
  // the deployment is stuck when even the lowest quorum cannot be, and one Sentinel is when its own cannot.
  const qMin = Math.min(...withMaster.map(({ v }) => v.master?.quorum ?? 0));
  const tooHigh = qMin > voters;
  const ckStuck =
    c.views.length > 0 && c.views.every(({ v }) => v.ckquorum && /specified quorum/i.test(v.ckquorum.text));
  if (tooHigh || usable < qMin || ckStuck) {
    out.push({
      id: 'quorum-unreachable',
      severity: 'critical',
      master: c.m.name,
      title: tooHigh
        ? `Quorum ${q} is more than the ${voters} Sentinels: the master can never be agreed down (no o_down, no failover)`
        : `Only ${usable} Sentinel${usable === 1 ? '' : 's'} can vote the master down, and the quorum is ${qMin}: no failover`,
      evidence,
      fix: tooHigh
        ? withMaster.map(({ s }) => `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} quorum ${majority}`)
        : [
            ...bringBack,
            '# Run at least three Sentinels on machines that fail independently, with quorum at most a majority of them',
          ],
      lesson: 'quorum',
    });
  } else {
    const stuck = withMaster.filter(({ v }) => (v.master?.quorum ?? 0) > Math.min(voters, usable));
    if (stuck.length) {
      out.push({
        id: 'quorum-unreachable',
        severity: 'warning',
        master: c.m.name,
        title: `${stuck.map(({ s, v }) => `${s.id}'s quorum ${v.master?.quorum}`).join(', ')} cannot be reached by the ${Math.min(voters, usable)} Sentinels that can vote: ${stuck.length === 1 ? 'that Sentinel' : 'those Sentinels'} can never judge the master objectively down itself (the others can, and it still votes)`,
        evidence,
        fix: stuck.map(({ s }) => `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} quorum ${majority}`),
        lesson: 'quorum',
      });
    }
  }
  if (usable < majority || ckTexts.some((t) => /majority/i.test(t))) {
    out.push({
      id: 'majority-unreachable',
      severity: 'critical',
      master: c.m.name,
      title: `Only ${usable} of ${voters} Sentinels can vote: a failover needs a majority (${majority}) to elect a leader`,
      evidence,
      fix: [...bringBack, '# The majority counts every Sentinel seen since the last SENTINEL RESET, answering or not'],
      lesson: 'quorum',
    });
  }
  return out;
}

function staleSentinels(f: Facts, c: MasterContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const { v } of c.views) {
    for (const p of v.sentinels) {
      const e = { host: p.ip, port: p.port };
      const k = endpointText(e);
      if (seen.has(k)) continue;
      seen.add(k);
      const fact = f.sentinels.find((s) => sameEndpoint(s.endpoint, e) || s.aliases.some((a) => sameEndpoint(a, e)));
      if (fact?.reachable) continue;
      const reports = c.views.flatMap(({ s, v: w }) => {
        const q = w.sentinels.find((x) => x.ip === e.host && x.port === e.port);
        return q ? [{ s, q }] : [];
      });
      const twin = f.sentinels.find((s) => s.reachable && s.unansweredAt.some((a) => sameEndpoint(a, e)));
      if (twin) {
        out.push(sentinelAnnounceMismatch(c, twin, e, reports));
        continue;
      }
      // Hellos travel through the data nodes, so a Sentinel whose own address does not answer is still heard: its
      // hellos keep coming long after its last PING reply (a Sentinel that died stops both at once).
      const heard = (q: SentinelInstanceInfo) => {
        const hello = Number(q.fields['last-hello-message']);
        const ping = Number(q.fields['last-ok-ping-reply']);
        return hello < HELLO_FRESH_MS && ping - hello > HELLO_PERIOD_MS;
      };
      const peersSeeIt = reports.some(({ q }) => (!down(q.flags) && !q.flags.includes('disconnected')) || heard(q));
      const label = fact ? sentinelLabel(fact) : k;
      if (peersSeeIt) {
        out.push({
          id: 'announced-address-unreachable',
          severity: 'warning',
          master: c.m.name,
          subject: label,
          title: `Sentinel ${label} is announced at an address that does not answer from here (its peers hear it)`,
          evidence: [
            ...reports.map(({ s, q }) => ({
              where: `${sentinelLabel(s)} SENTINEL SENTINELS ${c.m.name}`,
              saw: `${k} ${fields(q, 'flags', 'last-hello-message')}`,
            })),
            { where: `this machine → ${k}`, saw: fact?.error ?? 'not asked' },
          ],
          fix: [
            `# In that Sentinel's sentinel.conf, announce an address others can reach:`,
            'sentinel announce-ip <reachable-ip>',
            'sentinel announce-port <reachable-port>',
          ],
          lesson: 'announce',
        });
        continue;
      }
      const worst = reports.map(({ q }) => Number(q.fields['s-down-time'] ?? 0)).reduce((a, b) => Math.max(a, b), 0);
      out.push({
        id: 'stale-sentinel',
        severity: 'warning',
        master: c.m.name,
        subject: label,
        title: `The Sentinels still count ${k} (run id ${reports[0]?.q.runId?.slice(0, 8) ?? '?'}…) as one of them, but it does not answer${worst ? ` (down for ${secs(worst)})` : ''}`,
        evidence: [
          ...reports.map(({ s, q }) => ({
            where: `${sentinelLabel(s)} SENTINEL SENTINELS ${c.m.name}`,
            saw: `${k} ${fields(q, 'flags', 's-down-time', 'last-hello-message')}`,
          })),
          { where: `this machine → ${k}`, saw: fact?.error ?? 'not asked' },
        ],
        fix: [
          `# If it will come back: start it again. If it was removed for good, it still counts towards the majority a failover needs; on every other Sentinel, one after the other, at least 30 s apart:`,
          ...c.views.map(({ s }) => `${c.cli(s.endpoint)} SENTINEL RESET ${c.m.name}`),
        ],
        lesson: 'stale-state',
      });
    }
  }
  return out;
}

function sentinelAnnounceMismatch(
  c: MasterContext,
  s: SentinelFact,
  announced: Endpoint,
  reports: Array<{ s: SentinelFact; q: SentinelInstanceInfo }>,
): Finding {
  const label = sentinelLabel(s);
  return {
    id: 'announced-address-mismatch',
    severity: 'warning',
    master: c.m.name,
    subject: label,
    title: `${label} answers here, but its peers know it as ${endpointText(announced)}, where nothing answers: it announces an address it does not listen on`,
    evidence: [
      ...reports.map(({ s: p, q }) => ({
        where: `${sentinelLabel(p)} SENTINEL SENTINELS ${c.m.name}`,
        saw: `${endpointText(announced)} runid ${q.runId ?? '?'} ${fields(q, 'flags', 'last-hello-message')}`,
      })),
      { where: `${label} SENTINEL MYID`, saw: s.myId ?? '?' },
      { where: `this machine → ${endpointText(announced)}`, saw: 'no answer' },
    ],
    fix: [
      `# In ${label}'s sentinel.conf (or SENTINEL CONFIG SET on it), announce where it listens, or remove wrong announce lines:`,
      `sentinel announce-ip ${s.endpoint.host}`,
      `sentinel announce-port ${s.endpoint.port}`,
      '# Its peers switch to the new address at its next hello (+sentinel-address-switch).',
    ],
    lesson: 'announce',
  };
}

/** Per-master settings every Sentinel should share: SENTINEL SET changes only the Sentinel it is sent to. */
const SHARED_SETTINGS = [
  { name: 'quorum', read: (v: SentinelView) => v.master?.quorum, lesson: 'quorum' as const },
  { name: 'down-after-milliseconds', read: (v: SentinelView) => v.master?.downAfterMs, lesson: 'timing' as const },
  { name: 'failover-timeout', read: (v: SentinelView) => v.master?.failoverTimeoutMs, lesson: 'timing' as const },
  { name: 'parallel-syncs', read: (v: SentinelView) => v.master?.parallelSyncs, lesson: 'failover' as const },
];

function settingsDiffer(c: MasterContext, quorumReported: boolean): Finding[] {
  const out: Finding[] = [];
  for (const setting of SHARED_SETTINGS) {
    if (setting.name === 'quorum' && quorumReported) continue;
    const values = c.views.flatMap(({ s, v }) => {
      const x = setting.read(v);
      return x !== undefined && Number.isFinite(x) ? [{ s, x }] : [];
    });
    const distinct = [...new Set(values.map(({ x }) => x))];
    if (distinct.length < 2) continue;
    const count = (x: number) => values.filter((y) => y.x === x).length;
    // The value most Sentinels use (the lowest of equally common ones): the others are set to it.
    const common = [...distinct].sort((a, b) => count(b) - count(a) || a - b)[0] ?? 0;
    const odd = values.filter(({ x }) => x !== common);
    out.push({
      id: 'sentinel-settings-differ',
      severity: 'warning',
      master: c.m.name,
      title: `The Sentinels disagree on ${setting.name} for ${c.m.name}: ${odd.map(({ s, x }) => `${s.id} has ${x}`).join(', ')}, the others ${common} (SENTINEL SET changes only the Sentinel it is sent to)`,
      evidence: values.map(({ s, x }) => ({
        where: `${sentinelLabel(s)} SENTINEL MASTER ${c.m.name}`,
        saw: `${setting.name} ${x}`,
      })),
      fix: [
        ...odd.map(({ s }) => `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} ${setting.name} ${common}`),
        `# or set the value you want on every Sentinel; each rewrites its own sentinel.conf`,
      ],
      lesson: setting.lesson,
    });
  }
  return out;
}

function settings(f: Facts, c: MasterContext): Finding[] {
  const out: Finding[] = [];
  const low = c.views.filter(
    ({ v }) => v.master && v.master.downAfterMs > 0 && v.master.downAfterMs < DOWN_AFTER_MIN_MS,
  );
  const high = c.views.filter(({ v }) => v.master && v.master.downAfterMs > DOWN_AFTER_MAX_MS);
  const ev = (xs: typeof low) =>
    xs.map(({ s, v }) => ({
      where: `${sentinelLabel(s)} SENTINEL MASTER ${c.m.name}`,
      saw: `down-after-milliseconds ${v.master?.downAfterMs}`,
    }));
  if (low.length) {
    out.push({
      id: 'down-after-too-low',
      severity: 'warning',
      master: c.m.name,
      title: `down-after-milliseconds below ${DOWN_AFTER_MIN_MS} on ${low.map(({ s }) => s.id).join(', ')}: a short stall or the reconnect right after a failover looks like a dead master (flapping, repeated failovers)`,
      evidence: ev(low),
      fix: low.map(
        ({ s }) =>
          `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} down-after-milliseconds 5000   # 1000 or more; Redis's default is 30000`,
      ),
      lesson: 'timing',
    });
  }
  if (high.length) {
    out.push({
      id: 'down-after-too-high',
      severity: 'warning',
      master: c.m.name,
      title: `down-after-milliseconds above ${DOWN_AFTER_MAX_MS / 1000} s on ${high.map(({ s }) => s.id).join(', ')}: a dead master goes unnoticed (no writes) for over a minute`,
      evidence: ev(high),
      fix: high.map(
        ({ s }) =>
          `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} down-after-milliseconds 30000   # Redis's default; lower means faster failover`,
      ),
      lesson: 'timing',
    });
  }
  const m = c.master;
  const ref = c.reference;
  if (m?.reachable && ref && m.replication?.role === 'master') {
    const replicas = replicaEndpoints(c);
    if (m.config.minReplicasToWrite === 0 && replicas.length > 0) {
      out.push({
        id: 'min-replicas-off',
        severity: 'warning',
        master: c.m.name,
        subject: c.label(ref),
        title: `min-replicas-to-write is 0 on the master ${c.label(ref)}: a master cut off from its replicas keeps accepting writes that a failover then throws away (loss unbounded)`,
        evidence: [{ where: `${c.label(ref)} CONFIG GET min-replicas-to-write`, saw: '0' }],
        fix: [
          `${c.cli(ref)} CONFIG SET min-replicas-to-write 1`,
          `${c.cli(ref)} CONFIG SET min-replicas-max-lag 10`,
          `# the same two lines in every data node's redis.conf (any of them may become master); writes then stop when no replica acknowledged for 10 s`,
        ],
        lesson: 'bounded-loss',
      });
    }
    const noSave = m.config.save !== undefined && m.config.save.trim() === '';
    const noAof = m.config.appendonly === 'no' || m.aofEnabled === false;
    if (noSave && noAof) {
      const sentinelVersions = c.views.map(({ s }) => s.server);
      const hasRebootSetting = sentinelVersions.every(
        (v) => v && (v.name === 'valkey' || versionAtLeast(v.version, 7)),
      );
      out.push({
        id: 'persistence-off',
        severity: 'warning',
        master: c.m.name,
        subject: c.label(ref),
        title: `Persistence is off on the master ${c.label(ref)}: if it restarts before Sentinel notices, it comes back empty and its replicas copy the empty data set`,
        evidence: [
          { where: `${c.label(ref)} CONFIG GET save`, saw: '""' },
          { where: `${c.label(ref)} CONFIG GET appendonly`, saw: m.config.appendonly ?? 'no' },
          ...(hasRebootSetting
            ? [
                {
                  where: 'SENTINEL MASTER',
                  saw: 'does not report master-reboot-down-after-period, so whether it is set cannot be read from here',
                },
              ]
            : []),
        ],
        fix: [
          `${c.cli(ref)} CONFIG SET appendonly yes   # then CONFIG REWRITE, or appendonly yes in redis.conf`,
          ...(hasRebootSetting
            ? c.views.map(
                ({ s }) =>
                  `${c.cli(s.endpoint)} SENTINEL SET ${c.m.name} master-reboot-down-after-period 30000   # or: treat a rebooted master as down (Valkey: primary-reboot-down-after-period)`,
              )
            : [
                '# (Sentinel before 7.0 has no master-reboot-down-after-period: persistence, or no automatic restart of the master, is the protection)',
              ]),
        ],
        lesson: 'reboot',
      });
    }
    // Replica priorities: Sentinel's view, else the replica's own setting.
    const prios = replicas.map((e) => {
      const fromSentinel = sentinelEntries(c, e)
        .map(({ r }) => Number(r.fields['slave-priority'] ?? r.fields['replica-priority']))
        .find((p) => Number.isFinite(p));
      const n = nodeAtEndpoint(f, e);
      // Without CONFIG GET (an ACL may refuse it), the replica's own INFO says it too.
      const fromInfo = Number(n?.replicationFields?.slave_priority ?? n?.replicationFields?.replica_priority);
      return {
        e,
        prio: fromSentinel ?? n?.config.replicaPriority ?? (Number.isFinite(fromInfo) ? fromInfo : undefined),
        n,
      };
    });
    if (replicas.length === 0) {
      out.push({
        id: 'no-promotable-replica',
        severity: 'critical',
        master: c.m.name,
        subject: c.label(ref),
        title: `The master ${c.label(ref)} has no replicas: Sentinel has nothing to fail over to`,
        evidence: [
          { where: `${c.label(ref)} INFO replication`, saw: `connected_slaves:${m.replication.connectedReplicas}` },
        ],
        fix: [
          '# Start at least one replica on another machine: replicaof <master-ip> <master-port> and masterauth <password>',
        ],
        lesson: 'no-good-replica',
      });
    } else if (prios.every((p) => p.prio === 0)) {
      out.push({
        id: 'no-promotable-replica',
        severity: 'critical',
        master: c.m.name,
        subject: c.label(ref),
        title:
          'Every replica has replica-priority 0: Sentinel may never promote any of them (-failover-abort-no-good-slave)',
        evidence: prios.map(({ e, n }) => {
          const listed = sentinelEntries(c, e)[0];
          const info = n?.replicationFields?.slave_priority;
          return {
            where: listed
              ? `${sentinelLabel(listed.s)} SENTINEL REPLICAS ${c.m.name}`
              : n?.config.replicaPriority !== undefined
                ? `${c.label(e)} CONFIG GET replica-priority`
                : `${c.label(e)} INFO replication`,
            saw: `${c.label(e)} slave-priority 0${info !== undefined ? ` (its INFO: slave_priority:${info})` : ''}`,
          };
        }),
        fix: [
          `${c.cli((prios.find((p) => p.n?.reachable) ?? prios[0])?.e ?? ref)} CONFIG SET replica-priority 100   # on at least one replica that is up (a lower number is preferred; 0 means never)`,
          '# and replica-priority 100 in its redis.conf',
        ],
        lesson: 'no-good-replica',
      });
    }
  }
  return out;
}

function versionAtLeast(v: string | undefined, major: number): boolean {
  const n = Number(v?.split('.')[0]);
  return Number.isFinite(n) && n >= major;
}

// ── Sentinel-wide checks ────────────────────────────────────────────────────────────────────────────────────

function tilt(f: Facts): Finding[] {
  return f.sentinels
    .filter((s) => s.tilt)
    .map((s) => ({
      id: 'sentinel-tilt' as const,
      severity: 'warning' as const,
      subject: sentinelLabel(s),
      title: `${sentinelLabel(s)} is in TILT mode: it watches but will not vote a master down or fail over${s.tiltSinceSec !== undefined ? ` (for ${s.tiltSinceSec} s)` : ''}`,
      evidence: [
        {
          where: `${sentinelLabel(s)} INFO sentinel`,
          saw: `sentinel_tilt:1${s.tiltSinceSec !== undefined ? ` sentinel_tilt_since_seconds:${s.tiltSinceSec}` : ''}`,
        },
      ],
      fix: [
        '# TILT ends by itself after 30 s of regular timer ticks. It starts when 2 s pass between two ticks, or time goes backwards:',
        '# look for what stalls that process or moves its clock (VM pauses, swapping, SIGSTOP, a clock stepped by NTP)',
      ],
      lesson: 'tilt' as const,
    }));
}

function clock(f: Facts): Finding[] {
  const all = [
    ...f.sentinels.flatMap((s) => (s.clock ? [{ label: sentinelLabel(s), c: s.clock }] : [])),
    ...f.nodes.flatMap((n) => (n.clock ? [{ label: endpointText(n.endpoint), c: n.clock }] : [])),
  ];
  if (all.length < 2) return [];
  const ahead = all.reduce((a, b) => (b.c.offsetMs - b.c.uncertaintyMs > a.c.offsetMs - a.c.uncertaintyMs ? b : a));
  const behind = all.reduce((a, b) => (b.c.offsetMs + b.c.uncertaintyMs < a.c.offsetMs + a.c.uncertaintyMs ? b : a));
  const gap = ahead.c.offsetMs - ahead.c.uncertaintyMs - (behind.c.offsetMs + behind.c.uncertaintyMs);
  if (gap < CLOCK_SKEW_MS) return [];
  return [
    {
      id: 'clock-skew',
      severity: 'info',
      title: `Clocks differ by at least ${secs(gap)} between ${ahead.label} and ${behind.label}`,
      evidence: [ahead, behind].map((x) => ({
        where: `${x.label} TIME`,
        saw: `${x.c.offsetMs >= 0 ? '+' : ''}${x.c.offsetMs} ms against this machine (± ${x.c.uncertaintyMs} ms)`,
      })),
      fix: [
        '# Sentinel compares times only within one process, so a steady skew does not break failover; it makes the logs of different machines disagree.',
        '# A clock that is stepped (e.g. NTP correcting a large skew at once) makes a Sentinel enter TILT: keep every machine on NTP with slewing.',
      ],
      lesson: 'tilt',
    },
  ];
}

function unreachableSeeds(f: Facts): Finding[] {
  const known = (s: SentinelFact) =>
    f.sentinels.some((o) =>
      Object.values(o.views).some((v) =>
        v.sentinels.some((p) => p.ip === s.endpoint.host && p.port === s.endpoint.port),
      ),
    );
  return f.sentinels
    .filter((s) => !s.reachable && s.seed && !known(s))
    .map((s) => {
      const auth = isAuthError(s.error);
      return {
        id: auth ? ('credentials-refused' as const) : ('sentinel-unreachable' as const),
        severity: 'warning' as const,
        subject: sentinelLabel(s),
        title: auth
          ? `${sentinelLabel(s)} ${refusedWhat(s.error)}`
          : `${endpointText(s.endpoint)}, given with --sentinel, does not answer and no other Sentinel knows it`,
        evidence: [{ where: `this machine → ${endpointText(s.endpoint)}`, saw: s.error ?? '?' }],
        fix: auth
          ? ["# --sentinel-password-env VAR (and --sentinel-user USER) for the Sentinels' own requirepass / ACL user"]
          : ['# Check the address; a Sentinel the others do not list is not part of this deployment'],
        lesson: auth ? ('sentinel-auth' as const) : ('stale-state' as const),
      };
    });
}

function notSentinels(f: Facts): Finding[] {
  return f.notSentinels.map(({ endpoint, mode, dataNode, error }) => {
    const at = endpointText(endpoint);
    const node = dataNode ? `${dataNode.id} of ${dataNode.master}` : undefined;
    const what =
      mode !== undefined
        ? `it answers as a data node (${mode})${node ? `: ${node}` : ''}`
        : `it is a data node (${node ?? '?'})`;
    const evidence = [
      ...(mode !== undefined ? [{ where: `${at} INFO server`, saw: `redis_mode:${mode}` }] : []),
      ...(dataNode ? [{ where: 'the Sentinels (SENTINEL MASTERS / REPLICAS)', saw: `${at} is ${node}` }] : []),
      ...(error !== undefined ? [{ where: `this machine → ${at} (as a Sentinel)`, saw: error }] : []),
    ];
    return {
      id: 'sentinel-unreachable' as const,
      severity: 'warning' as const,
      subject: at,
      title: `${at}, given with --sentinel, is not a Sentinel: ${what}`,
      evidence,
      fix: [
        `# Drop ${at} from --sentinel and give the Sentinels' addresses (a Sentinel's port is 26379 unless it was changed): --sentinel host:26379,…`,
        `# On a Sentinel, SENTINEL GET-MASTER-ADDR-BY-NAME <name> answers with the master's address`,
      ],
      lesson: 'tour' as const,
    };
  });
}

/** The ACL command name of a read: `config|get`, `sentinel|replicas`, `info`. */
function aclName(command: string): string {
  const [a = '', b = ''] = command.toLowerCase().split(' ');
  return a === 'config' || a === 'sentinel' ? `${a}|${b}` : a;
}

function refusedReads(f: Facts): Finding[] {
  if (!f.refused.length) return [];
  const byWhere = new Map<string, typeof f.refused>();
  for (const r of f.refused) byWhere.set(r.where, [...(byWhere.get(r.where) ?? []), r]);
  const perm = f.refused.filter((r) => /^NOPERM/i.test(r.error));
  // One ACL SETUSER line per kind of server: a data node does not know SENTINEL, a Sentinel does not know CONFIG.
  const grants = (['redis', 'sentinel'] as const).flatMap((kind) => {
    const cmds = [...new Set(perm.filter((r) => r.kind === kind).map((r) => aclName(r.command)))];
    return cmds.length
      ? [
          `ACL SETUSER <user> ${cmds.map((g) => `+${g}`).join(' ')}   # on each ${kind === 'redis' ? 'data node' : 'Sentinel'} that refused`,
        ]
      : [];
  });
  return [
    {
      id: 'reads-refused',
      severity: 'warning',
      title: `${f.refused.length} read${f.refused.length === 1 ? ' was' : 's were'} refused, so the checks that need ${f.refused.length === 1 ? 'it' : 'them'} did not run: no finding about them is not a clean bill of health`,
      evidence: [...byWhere].map(([where, rs]) => ({
        where,
        saw: `${rs.map((r) => r.command).join(', ')}: ${
          rs.every((r) => /^NOPERM/i.test(r.error)) ? 'NOPERM (the user may not run them)' : (rs[0]?.error ?? '')
        }`,
      })),
      fix: [
        ...(grants.length
          ? ['# Let the user the lab logs in as read them (and add the same to the ACL file, or ACL SAVE):', ...grants]
          : []),
        ...(perm.length < f.refused.length
          ? ['# A command renamed away (rename-command) cannot be read by anyone: those checks stay undone']
          : []),
      ],
      lesson: 'sentinel-auth',
    },
  ];
}

function refusedCredentials(f: Facts, c: MasterContext): Finding[] {
  return c.m.nodes.flatMap(({ endpoint }) => {
    const n = nodeAtEndpoint(f, endpoint);
    if (!n || n.reachable || !isAuthError(n.error)) return [];
    return [
      {
        id: 'credentials-refused' as const,
        severity: 'warning' as const,
        master: c.m.name,
        subject: c.label(endpoint),
        title: `${c.label(endpoint)} ${refusedWhat(n.error)}, so it could not be inspected`,
        evidence: [{ where: `this machine → ${endpointText(endpoint)}`, saw: n.error ?? '' }],
        fix: [
          "# --password-env VAR (and --user USER for an ACL user) with the data nodes' password",
          `# If the data nodes have different passwords, so does Sentinel's view: it uses one auth-pass per master (sentinel auth-pass ${c.m.name} <password>)`,
        ],
        lesson: 'masterauth' as const,
      },
    ];
  });
}

const ORDER: Record<Finding['severity'], number> = { critical: 0, warning: 1, info: 2 };

/** Every finding about the deployment, most severe first (stable within a severity). Pure. */
export function diagnose(f: Facts): Finding[] {
  const out: Finding[] = [];
  for (const m of f.masters) {
    const c = context(f, m);
    const quorumFindings = quorum(f, c);
    out.push(
      ...disagreement(f, c),
      ...masterDown(c),
      ...addresses(f, c),
      ...links(f, c),
      ...quorumFindings,
      ...staleSentinels(f, c),
      ...refusedCredentials(f, c),
      ...settings(f, c),
      ...settingsDiffer(c, quorumFindings.length > 0),
    );
  }
  out.push(...unreachableSeeds(f), ...notSentinels(f), ...refusedReads(f), ...tilt(f), ...clock(f));
  return out
    .map((x, i) => ({ x, i }))
    .sort((a, b) => ORDER[a.x.severity] - ORDER[b.x.severity] || a.i - b.i)
    .map(({ x }) => x);
}
