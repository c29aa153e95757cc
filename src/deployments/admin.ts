// One-shot admin commands (CONFIG SET, SENTINEL SET/FAILOVER, SMEMBERS) sent by the lab to a node's admin
// address. Fails fast: no offline queue, no retries, short timeouts.
import { Redis } from 'ioredis';

export async function adminCommand(
  addr: { host: string; port: number },
  password: string | undefined,
  argv: readonly (string | number)[],
  timeoutMs = 2000,
): Promise<unknown> {
  const [cmd, ...args] = argv.map(String);
  if (!cmd) throw new Error('empty command');
  const client = new Redis({
    host: addr.host,
    port: addr.port,
    password,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    retryStrategy: () => null,
    enableReadyCheck: false,
    connectionName: 'rsl-admin',
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(cmd, ...args);
  } finally {
    client.disconnect();
  }
}
