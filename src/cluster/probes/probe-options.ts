// The shared ioredis option sets for the lab's own monitoring connections: fail fast while a node is down or
// frozen, reconnect by themselves at a constant pace, never queue commands offline.
import type { RedisOptions } from 'ioredis';

export interface ProbeTimeouts {
  /** TCP connect budget. */
  connectTimeoutMs: number;
  /** Per-command budget; a SIGSTOPped node answers nothing, so this bounds every probe round. */
  commandTimeoutMs: number;
  /** A socket silent this long while a command is pending is destroyed, which starts a reconnect. */
  socketTimeoutMs: number;
  /** Constant delay between reconnect attempts. */
  retryDelayMs: number;
}

export const PROBE_TIMEOUTS: ProbeTimeouts = {
  connectTimeoutMs: 1000,
  commandTimeoutMs: 800,
  socketTimeoutMs: 1000,
  retryDelayMs: 250,
};

/** Options for a polling client (INFO, CONFIG GET, SENTINEL …). */
export function monitorOptions(o: {
  host: string;
  port: number;
  password?: string;
  connectionName: string;
  timeouts?: Partial<ProbeTimeouts>;
}): RedisOptions {
  const t = { ...PROBE_TIMEOUTS, ...o.timeouts };
  const options: RedisOptions = {
    host: o.host,
    port: o.port,
    connectionName: o.connectionName,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Don't wait for `loading:0` during a full sync: INFO is exactly what we want to see then.
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    connectTimeout: t.connectTimeoutMs,
    commandTimeout: t.commandTimeoutMs,
    socketTimeout: t.socketTimeoutMs,
    // Never null: the node may come back at any time and the probe must notice by itself.
    retryStrategy: () => t.retryDelayMs,
    disableClientInfo: true,
  };
  if (o.password !== undefined) options.password = o.password;
  return options;
}

/**
 * Options for a PSUBSCRIBE connection. No socketTimeout: a frozen Sentinel keeps the subscription, and the events
 * it publishes when it resumes (`+tilt`) arrive on it; liveness is checked with PINGs instead.
 */
export function subscriberOptions(o: {
  host: string;
  port: number;
  password?: string;
  connectionName: string;
  timeouts?: Partial<ProbeTimeouts>;
}): RedisOptions {
  const options = monitorOptions(o);
  delete options.socketTimeout;
  // The subscriber re-issues PSUBSCRIBE itself on every `ready`, including the first connection.
  options.autoResubscribe = false;
  return options;
}

/** The monitor options of one probe's client, named after the node it watches. */
export function probeClientOptions(o: {
  id: string;
  host: string;
  port: number;
  password?: string | undefined;
  timeouts?: Partial<ProbeTimeouts> | undefined;
}): ReturnType<typeof monitorOptions> {
  const opts: Parameters<typeof monitorOptions>[0] = {
    host: o.host,
    port: o.port,
    connectionName: `rsl-probe-${o.id}`,
  };
  if (o.password !== undefined) opts.password = o.password;
  if (o.timeouts !== undefined) opts.timeouts = o.timeouts;
  return monitorOptions(opts);
}
