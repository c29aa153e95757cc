// Pure: the only commands the lab sends to a deployment it did not start. Everything the lab does there (discovery,
// `inspect`, the probes and Sentinel subscriptions of the TUI and `watch`) passes this check in the remote
// deployment's command path (connection.ts, gateway.ts), so a bug anywhere above cannot turn into a write. Reads are
// listed one by one; SENTINEL FAILOVER is the one action, allowed only when the person confirmed it; anything else —
// SHUTDOWN, DEBUG, REPLICAOF, CONFIG SET, SENTINEL SET/RESET, FLUSHALL, a write, a command we never thought of — is
// refused.

export type RemoteNodeKind = 'redis' | 'sentinel';

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Commands either kind may get: the connection handshake and plain reads. */
const COMMON = new Set(['PING', 'INFO', 'ROLE', 'TIME', 'QUIT']);
/** Extra top-level commands a data node may get. */
const REDIS_ONLY = new Set(['DBSIZE']);
/** Extra top-level commands a Sentinel may get: its event stream. */
const SENTINEL_ONLY = new Set(['PSUBSCRIBE', 'PUNSUBSCRIBE', 'SUBSCRIBE', 'UNSUBSCRIBE']);
/** CLIENT subcommands that only name or describe our own connection. */
const CLIENT_SUBCOMMANDS = new Set(['SETNAME', 'SETINFO', 'GETNAME', 'ID']);
/**
 * SENTINEL subcommands that only read, in Redis's and Valkey's spellings (Valkey 8 added PRIMARIES, PRIMARY and
 * GET-PRIMARY-ADDR-BY-NAME beside the old names). Not IS-MASTER-DOWN-BY-ADDR: with a run id it casts a vote.
 */
const SENTINEL_READS = new Set([
  'MASTERS',
  'PRIMARIES',
  'MASTER',
  'PRIMARY',
  'REPLICAS',
  'SLAVES',
  'SENTINELS',
  'GET-MASTER-ADDR-BY-NAME',
  'GET-PRIMARY-ADDR-BY-NAME',
  'CKQUORUM',
  'MYID',
]);
/** CONFIG GET parameters the lab never asks for, even by name. */
const SECRET_PARAMETERS = new Set(['requirepass', 'tls-key-file-pass', 'tls-client-key-file-pass']);

const GLOB = /[*?[]/;

function refused(argv: readonly string[], why = 'it is not one of the read commands the lab sends'): Verdict {
  const shown = argv
    .slice(0, 2)
    .map((a) => a.slice(0, 40))
    .join(' ');
  return {
    ok: false,
    reason: `refused "${shown}": ${why}. The lab only reads from a deployment it did not start (SENTINEL FAILOVER, confirmed, is the one exception).`,
  };
}

/**
 * Whether `argv` may be sent to a `kind` node of a deployment the lab did not start. `confirmed` carries the master
 * name of a SENTINEL FAILOVER the person confirmed for this deployment; nothing else is ever confirmed.
 */
export function checkCommand(
  kind: RemoteNodeKind,
  argv: readonly string[],
  opts: { confirmedFailover?: string } = {},
): Verdict {
  const [first, second, ...rest] = argv;
  if (first === undefined) return refused(argv, 'it is empty');
  const name = first.toUpperCase();
  const sub = second?.toUpperCase();
  if (COMMON.has(name)) return { ok: true };
  if (name === 'HELLO') {
    // The protocol version, optionally SETNAME; credentials are never sent by the caller (the command path holds them).
    const [version, ...more] = argv.slice(1);
    if (version !== undefined && !/^[23]$/.test(version)) return refused(argv, 'HELLO takes protocol 2 or 3');
    if (more.length === 0 || (more.length === 2 && more[0]?.toUpperCase() === 'SETNAME')) return { ok: true };
    return refused(argv, 'HELLO may only choose the protocol and name the connection');
  }
  if (name === 'CLIENT' && sub !== undefined && CLIENT_SUBCOMMANDS.has(sub)) return { ok: true };
  if (kind === 'redis') {
    if (REDIS_ONLY.has(name)) return { ok: true };
    if (name === 'CONFIG' && sub === 'GET') {
      const params = [...rest];
      if (params.length === 0) return refused(argv, 'CONFIG GET needs parameter names');
      for (const p of params) {
        if (GLOB.test(p)) return refused(argv, `CONFIG GET asks by exact name only ("${p.slice(0, 40)}" is a pattern)`);
        if (SECRET_PARAMETERS.has(p.toLowerCase())) return refused(argv, `the lab never reads ${p}`);
      }
      return { ok: true };
    }
    return refused(argv);
  }
  if (SENTINEL_ONLY.has(name)) return { ok: true };
  if (name === 'SENTINEL' && sub !== undefined) {
    if (SENTINEL_READS.has(sub)) return { ok: true };
    if (sub === 'FAILOVER') {
      const master = argv[2];
      if (opts.confirmedFailover !== undefined && argv.length === 3 && master === opts.confirmedFailover) {
        return { ok: true };
      }
      return refused(argv, 'a failover is only sent after the person confirmed it for this deployment');
    }
  }
  return refused(argv);
}

/** The command names a person may expect to be refused, for docs and tests. */
export const NEVER_SENT = [
  'SHUTDOWN',
  'DEBUG',
  'REPLICAOF',
  'SLAVEOF',
  'CONFIG SET',
  'CONFIG REWRITE',
  'SENTINEL SET',
  'SENTINEL RESET',
  'SENTINEL REMOVE',
  'SENTINEL MONITOR',
  'FLUSHALL',
] as const;
