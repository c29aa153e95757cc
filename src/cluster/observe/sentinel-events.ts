// Pure catalog of every channel Sentinel publishes (Redis 7.x / Valkey 8, facts §1.2) and the parser that turns one
// pub/sub message into a SentinelEvent with a plain-language gloss naming nodes by lab id.
import type { SentinelEvent } from '../events.js';

export type EventSeverity = SentinelEvent['severity'];

/** How the payload after the channel name is laid out. */
export type PayloadShape =
  /** `<type> <name> <ip> <port> [@ <master-name> <master-ip> <master-port>] [extra words]` */
  | 'instance'
  /** `<epoch>` */
  | 'epoch'
  /** `<leader-runid> <epoch>` */
  | 'vote'
  /** `<name> <old-ip> <old-port> <new-ip> <new-port>` */
  | 'switch-master'
  /** `#tilt mode entered|exited` */
  | 'tilt'
  /** `<path> <signal> <exitcode>` or `<path> <pid>` */
  | 'script';

/** The instance part of a payload. */
export interface InstanceDetails {
  /** `master` | `slave` | `sentinel` */
  type: string;
  /** Master name, `ip:port` of a replica, or a Sentinel's run id. */
  name: string;
  ip: string;
  port: number;
  /** The `@ <master-name> <master-ip> <master-port>` suffix of replicas and Sentinels. */
  master?: { name: string; ip: string; port: number };
  /** Words after the instance details (`#quorum 2/2`, `new reported role is master`, …). */
  rest: string[];
}

export interface GlossContext {
  /** Lab id (or address) of the instance the payload names: `redis-1`, `sentinel-2`, `127.0.0.1:6379`. */
  subject: string;
  /** `master`, `replica` or `Sentinel`. */
  kind: string;
  /** The master the instance belongs to (its own label when it is the master). */
  master: string;
  /** Words after the instance details (instance payloads) or every payload word (others). */
  rest: string[];
  /** Labels an address as a lab id when possible. */
  label(ip: string, port: number): string;
  /** Labels a Sentinel run id as a lab id when possible. */
  sentinel(runId: string): string;
}

export interface ChannelSpec {
  channel: string;
  severity: EventSeverity;
  /** Sentinel's log level: W (logged, published, runs the notification script), N (notice), V (verbose). */
  level: 'W' | 'N' | 'V';
  shape: PayloadShape;
  /**
   * Whether Sentinel runs the `notification-script` for it: warning level and an instance attached. `±tilt` and
   * `-script-*` are warnings published without an instance, so the script never sees them.
   */
  notifies: boolean;
  /** What the channel means in general (legend, help pane). */
  summary: string;
  gloss(c: GlossContext): string;
}

const spec = (
  channel: string,
  severity: EventSeverity,
  level: ChannelSpec['level'],
  shape: PayloadShape,
  summary: string,
  gloss: ChannelSpec['gloss'],
): ChannelSpec => ({
  channel,
  severity,
  level,
  shape,
  notifies: level === 'W' && shape !== 'tilt' && shape !== 'script',
  summary,
  gloss,
});

const word = (c: GlossContext, i: number, fallback = '?') => c.rest[i] ?? fallback;

/** Every channel Redis 7.0-7.4 and Valkey 8 publish, in pipeline order. */
export const SENTINEL_CHANNELS: readonly ChannelSpec[] = [
  spec('+monitor', 'notice', 'W', 'instance', 'Started monitoring a master.', (c) => {
    const q = c.rest.indexOf('quorum');
    return `started monitoring master ${c.subject} (quorum ${q >= 0 ? word(c, q + 1) : '?'})`;
  }),
  spec('-monitor', 'notice', 'W', 'instance', 'Stopped monitoring a master (SENTINEL REMOVE).', (c) => {
    return `stopped monitoring master ${c.subject}`;
  }),
  spec('+set', 'notice', 'W', 'instance', 'SENTINEL SET changed a per-master option.', (c) => {
    return `set ${word(c, 0)} to ${c.rest.slice(1).join(' ') || '?'} for master ${c.subject}`;
  }),
  spec(
    '+reset-master',
    'notice',
    'W',
    'instance',
    'SENTINEL RESET: replicas, Sentinels and failover state forgotten.',
    (c) => {
      return `reset master ${c.subject}: forgot its replicas, Sentinels and failover state`;
    },
  ),
  spec('+slave', 'info', 'N', 'instance', 'A replica was discovered (or re-added after a switch).', (c) => {
    return `discovered replica ${c.subject} of ${c.master}`;
  }),
  spec('+sentinel', 'info', 'N', 'instance', 'Another Sentinel was discovered through its hello messages.', (c) => {
    return `discovered ${c.subject} watching ${c.master}`;
  }),
  spec('+sentinel-address-switch', 'info', 'N', 'instance', 'A known Sentinel now announces a new address.', (c) => {
    const ip = word(c, 1);
    const port = Number(word(c, 3, '0'));
    const byAddr = c.label(ip, port);
    const who = byAddr === `${ip}:${port}` ? c.sentinel(word(c, 5)) : byAddr;
    return `${who} now announces ${ip}:${port}`;
  }),
  spec(
    '+sentinel-address-update',
    'info',
    'N',
    'instance',
    "A Sentinel's new address was applied to other masters.",
    (c) => {
      return `updated the address of ${c.subject} for ${word(c, 0, '0')} other master(s)`;
    },
  ),
  spec(
    '+sentinel-invalid-addr',
    'warning',
    'N',
    'instance',
    'Another run id claims the address of a known Sentinel.',
    (c) => {
      return `forgot ${c.subject}: another Sentinel now claims its address`;
    },
  ),
  spec('+sdown', 'warning', 'W', 'instance', 'This Sentinel alone thinks the instance is down (SDOWN).', (c) => {
    return `thinks ${c.kind} ${c.subject} is down (SDOWN: no valid reply within down-after)`;
  }),
  spec('-sdown', 'notice', 'W', 'instance', 'This Sentinel sees the instance answering again.', (c) => {
    return `sees ${c.kind} ${c.subject} answering again (SDOWN cleared)`;
  }),
  spec('+odown', 'critical', 'W', 'instance', 'Enough Sentinels (>= quorum) agree the master is down (ODOWN).', (c) => {
    const m = /^#quorum (\d+)\/(\d+)$/.exec(c.rest.join(' '));
    const agreed = m ? `${m[1]} of quorum ${m[2]}` : 'quorum';
    return `enough Sentinels (${agreed}) agree ${c.subject} is down (ODOWN)`;
  }),
  spec('-odown', 'notice', 'W', 'instance', 'The master is no longer objectively down.', (c) => {
    return `${c.subject} is no longer objectively down (ODOWN cleared)`;
  }),
  spec('+new-epoch', 'notice', 'W', 'epoch', 'The current epoch was raised (election or newer config).', (c) => {
    return `moved to epoch ${word(c, 0)}`;
  }),
  spec('+try-failover', 'notice', 'W', 'instance', 'This Sentinel starts an election to lead the failover.', (c) => {
    return `starts a failover of ${c.subject} and asks the others for votes`;
  }),
  spec('+vote-for-leader', 'notice', 'W', 'vote', 'This Sentinel voted for a failover leader.', (c) => {
    // Never "itself": the same payload from several Sentinels is shown as one group.
    return `votes for ${c.sentinel(word(c, 0))} as failover leader in epoch ${word(c, 1)}`;
  }),
  spec('+elected-leader', 'notice', 'W', 'instance', 'This Sentinel won the election and runs the failover.', (c) => {
    return `won the election and will fail over ${c.subject}`;
  }),
  spec(
    '-failover-abort-not-elected',
    'warning',
    'W',
    'instance',
    'Not elected within min(10 s, failover-timeout).',
    (c) => {
      return `gives up leading the failover of ${c.subject}: not elected in time`;
    },
  ),
  spec('+failover-state-select-slave', 'info', 'W', 'instance', 'The leader is choosing a replica to promote.', (c) => {
    return `choosing a replica of ${c.subject} to promote`;
  }),
  spec('-failover-abort-no-good-slave', 'critical', 'W', 'instance', 'No replica is eligible for promotion.', (c) => {
    return `aborts the failover of ${c.subject}: no replica is eligible for promotion`;
  }),
  spec('+selected-slave', 'notice', 'W', 'instance', 'The replica chosen for promotion.', (c) => {
    return `selected ${c.subject} to become the new master`;
  }),
  spec('+failover-state-send-slaveof-noone', 'info', 'N', 'instance', 'About to send REPLICAOF NO ONE.', (c) => {
    return `sends REPLICAOF NO ONE to ${c.subject}`;
  }),
  spec(
    '+failover-state-wait-promotion',
    'info',
    'N',
    'instance',
    'Waiting for the replica to report role:master.',
    (c) => {
      return `waits for ${c.subject} to report role:master`;
    },
  ),
  spec(
    '-failover-abort-slave-timeout',
    'critical',
    'W',
    'instance',
    'The promotion did not happen within failover-timeout.',
    (c) => {
      return `aborts the failover of ${c.subject}: the promotion did not happen within failover-timeout`;
    },
  ),
  spec(
    '+promoted-slave',
    'notice',
    'W',
    'instance',
    'The replica now reports master; the failover has succeeded.',
    (c) => {
      return `${c.subject} now reports role:master (promoted)`;
    },
  ),
  spec(
    '+failover-state-reconf-slaves',
    'info',
    'W',
    'instance',
    'Repointing the other replicas at the new master.',
    (c) => {
      return `repoints the other replicas of ${c.subject} at the new master`;
    },
  ),
  spec('+slave-reconf-sent', 'info', 'N', 'instance', 'REPLICAOF <new master> sent to a replica.', (c) => {
    return `sent REPLICAOF <new master> to ${c.subject}`;
  }),
  spec(
    '+slave-reconf-inprog',
    'info',
    'N',
    'instance',
    'The replica points at the new master; sync not finished.',
    (c) => {
      return `${c.subject} is syncing with the new master`;
    },
  ),
  spec('+slave-reconf-done', 'notice', 'N', 'instance', "The replica's link to the new master is up.", (c) => {
    return `${c.subject} now replicates from the new master (link up)`;
  }),
  spec(
    '-slave-reconf-sent-timeout',
    'warning',
    'N',
    'instance',
    'No progress within 10 s; the replica is treated as done.',
    (c) => {
      return `${c.subject} made no progress within 10 s; treating it as reconfigured`;
    },
  ),
  spec(
    '+slave-reconf-sent-be',
    'info',
    'N',
    'instance',
    'Best-effort REPLICAOF sent when failover-timeout hit.',
    (c) => {
      return `sent a best-effort REPLICAOF to ${c.subject} after failover-timeout`;
    },
  ),
  spec(
    '+failover-end-for-timeout',
    'warning',
    'W',
    'instance',
    'The reconfiguration phase hit failover-timeout.',
    (c) => {
      return `ends the failover of ${c.subject} at failover-timeout; unreached replicas are fixed later`;
    },
  ),
  spec(
    '+failover-end',
    'notice',
    'W',
    'instance',
    'The leader finished: every reachable replica was repointed.',
    (c) => {
      return `finished the failover of ${c.subject}`;
    },
  ),
  spec(
    '+switch-master',
    'critical',
    'W',
    'switch-master',
    'The master address changed; clients must follow it.',
    (c) => {
      const from = c.label(word(c, 1), Number(word(c, 2, '0')));
      const to = c.label(word(c, 3), Number(word(c, 4, '0')));
      return `now names ${to} as master "${word(c, 0)}" (was ${from})`;
    },
  ),
  spec(
    '+config-update-from',
    'notice',
    'W',
    'instance',
    'Adopted a newer configuration from another Sentinel.',
    (c) => {
      return `adopts the newer configuration announced by ${c.subject}`;
    },
  ),
  spec(
    '+convert-to-slave',
    'notice',
    'N',
    'instance',
    'An instance that should be a replica reported master; sent REPLICAOF.',
    (c) => {
      return `${c.subject} reports role:master but should be a replica; sends REPLICAOF ${c.master}`;
    },
  ),
  spec('+fix-slave-config', 'warning', 'N', 'instance', 'A replica of the wrong master was repointed.', (c) => {
    return `${c.subject} replicates from the wrong master; repoints it at ${c.master}`;
  }),
  spec('+role-change', 'info', 'V', 'instance', 'The role reported in INFO changed and matches the config.', (c) => {
    return `${c.kind} ${c.subject} now reports role ${word(c, 4)} (as expected)`;
  }),
  spec(
    '-role-change',
    'warning',
    'V',
    'instance',
    'The role reported in INFO changed and does not match the config.',
    (c) => {
      return `${c.kind} ${c.subject} now reports role ${word(c, 4)} (not what this Sentinel expects)`;
    },
  ),
  spec('+reboot', 'notice', 'N', 'instance', 'The run id in INFO changed: the process restarted.', (c) => {
    return `${c.kind} ${c.subject} restarted (new run id)`;
  }),
  spec('+tilt', 'warning', 'W', 'tilt', 'Its timer stalled (> 2 s): it stops acting for 30 s (TILT).', () => {
    return 'enters TILT mode: its timer stalled, so it will not act for 30 s';
  }),
  spec('-tilt', 'notice', 'W', 'tilt', 'TILT mode is over.', () => 'leaves TILT mode and acts again'),
  spec('-script-error', 'warning', 'W', 'script', 'A notification or reconfig script failed.', (c) => {
    return `script ${word(c, 0)} failed (signal ${word(c, 1)}, exit code ${word(c, 2)})`;
  }),
  spec('-script-timeout', 'warning', 'W', 'script', 'A script ran over 60 s and was killed.', (c) => {
    return `script ${word(c, 0)} (pid ${word(c, 1)}) ran over 60 s and was killed`;
  }),
];

/** Debug-level events: logged only, never published (facts §1.2). */
export const LOG_ONLY_CHANNELS: readonly string[] = [
  '+script-child',
  '-script-child',
  '-cmd-link-reconnection',
  '-pubsub-link-reconnection',
];

const BY_CHANNEL = new Map(SENTINEL_CHANNELS.map((s) => [s.channel, s]));

export function channelSpec(channel: string): ChannelSpec | undefined {
  return BY_CHANNEL.get(channel);
}

const INSTANCE_TYPES = new Set(['master', 'slave', 'sentinel']);
const isPort = (w: string | undefined) => w !== undefined && /^\d+$/.test(w);

/** Parses `<type> <name> <ip> <port> [@ <master-name> <master-ip> <master-port>] …`; undefined for other shapes. */
export function parseInstanceDetails(payload: string): InstanceDetails | undefined {
  const w = payload.trim().split(/\s+/);
  const [type, name, ip, port] = w;
  if (!type || !INSTANCE_TYPES.has(type) || !name || !ip || !isPort(port)) return undefined;
  const d: InstanceDetails = { type, name, ip, port: Number(port), rest: w.slice(4) };
  if (w[4] === '@' && w[5] && w[6] && isPort(w[7])) {
    d.master = { name: w[5], ip: w[6], port: Number(w[7]) };
    d.rest = w.slice(8);
  }
  return d;
}

/** `+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>`. */
export function parseSwitchMaster(
  payload: string,
): { name: string; oldIp: string; oldPort: number; newIp: string; newPort: number } | undefined {
  const [name, oldIp, oldPort, newIp, newPort] = payload.trim().split(/\s+/);
  if (!name || !oldIp || !newIp || !isPort(oldPort) || !isPort(newPort)) return undefined;
  return { name, oldIp, oldPort: Number(oldPort), newIp, newPort: Number(newPort) };
}

/**
 * The master name an event is about: the master itself, the master of a replica or Sentinel (`@ <name> …`), or the
 * first word of `+switch-master`; undefined for events about no master (`+new-epoch`, `+vote-for-leader`, `±tilt`).
 * A Sentinel that monitors several masters publishes all of their events on one connection.
 */
export function eventMasterName(channel: string, payload: string): string | undefined {
  const s = channelSpec(channel);
  if (s?.shape === 'switch-master') return parseSwitchMaster(payload)?.name;
  if (s && s.shape !== 'instance') return undefined;
  const d = parseInstanceDetails(payload);
  if (!d) return undefined;
  if (d.master) return d.master.name;
  return d.type === 'master' ? d.name : undefined;
}

export interface RawSentinelMessage {
  channel: string;
  payload: string;
  sentinelId: string;
  at: number;
  seq: number;
}

const KIND: Record<string, string> = { master: 'master', slave: 'replica', sentinel: 'Sentinel' };

/**
 * Parses one message. Unknown channels are kept (known:false, the raw text as gloss). `resolveRunId` maps a
 * Sentinel run id (myid) to its lab id, for `+vote-for-leader` and unresolvable Sentinel addresses.
 */
export function parseSentinelEvent(
  input: RawSentinelMessage,
  resolve: (ip: string, port: number) => string | undefined,
  resolveRunId?: (runId: string) => string | undefined,
): SentinelEvent {
  const { channel, payload, sentinelId, at, seq } = input;
  const s = channelSpec(channel);
  const label = (ip: string, port: number) => resolve(ip, port) ?? `${ip}:${port}`;
  const sentinel = (runId: string) => resolveRunId?.(runId) ?? `Sentinel ${runId.slice(0, 8)}`;
  const words = payload.trim().split(/\s+/).filter(Boolean);
  const event: SentinelEvent = {
    seq,
    at,
    sentinelId,
    channel,
    payload,
    severity: s?.severity ?? 'info',
    gloss: '',
    known: s !== undefined,
  };
  const details = !s || s.shape === 'instance' ? parseInstanceDetails(payload) : undefined;
  let ctx: GlossContext = {
    subject: '?',
    kind: '?',
    master: '?',
    rest: words,
    label,
    sentinel,
  };
  if (details) {
    event.instanceType = details.type;
    const id =
      resolve(details.ip, details.port) ?? (details.type === 'sentinel' ? resolveRunId?.(details.name) : undefined);
    if (id !== undefined) event.subjectId = id;
    const subject =
      id ?? (details.type === 'sentinel' ? `Sentinel ${details.name.slice(0, 8)}` : `${details.ip}:${details.port}`);
    const master = details.master ? label(details.master.ip, details.master.port) : subject;
    ctx = { ...ctx, subject, kind: KIND[details.type] ?? details.type, master, rest: details.rest };
  }
  if (s?.shape === 'switch-master') {
    const sw = parseSwitchMaster(payload);
    if (sw) {
      const from = resolve(sw.oldIp, sw.oldPort);
      const to = resolve(sw.newIp, sw.newPort);
      if (from !== undefined) event.fromId = from;
      if (to !== undefined) {
        event.toId = to;
        event.subjectId = to;
      }
    }
  }
  if (channel === '+sentinel-address-switch' && details) {
    const id = resolve(details.rest[1] ?? '', Number(details.rest[3] ?? 0)) ?? resolveRunId?.(details.rest[5] ?? '');
    if (id !== undefined) event.subjectId = id;
    else delete event.subjectId;
    event.instanceType = 'sentinel';
  }
  if (s?.shape === 'epoch' || s?.shape === 'vote') {
    const e = Number(words[s.shape === 'epoch' ? 0 : 1]);
    if (Number.isInteger(e)) event.epoch = e;
    if (s.shape === 'vote') {
      const leader = resolveRunId?.(words[0] ?? '');
      if (leader !== undefined) event.subjectId = leader;
      event.instanceType = 'sentinel';
    }
  }
  // A known channel with a malformed payload falls back to the raw text rather than a wrong gloss.
  const usable = s !== undefined && (s.shape !== 'instance' || details !== undefined);
  const body = usable ? s.gloss(ctx) : `${channel} ${payload}`.trim();
  event.gloss = `${sentinelId}: ${body}`;
  return event;
}

/** The gloss without its `<sentinel-id>: ` prefix (for grouped display). */
export function glossBody(event: Pick<SentinelEvent, 'gloss' | 'sentinelId'>): string {
  const prefix = `${event.sentinelId}: `;
  return event.gloss.startsWith(prefix) ? event.gloss.slice(prefix.length) : event.gloss;
}
