// ioredis Connector that connects from a chosen source address (`localAddress`), which ioredis itself drops.
// A client actor "on host-3" must originate from host-3's IP so the lab's fabric can partition it like a real app.
import { createConnection, type Socket } from 'node:net';
import { AbstractConnector, type RedisOptions } from 'ioredis';

/** Redis options plus the source address the socket binds to before connecting. */
export type BoundRedisOptions = RedisOptions & { localAddress?: string | undefined };

export class BoundConnector extends AbstractConnector {
  readonly #options: BoundRedisOptions;

  constructor(options: unknown) {
    const o = options as BoundRedisOptions;
    super(o.disconnectTimeout ?? 2000);
    this.#options = o;
  }

  connect(): Promise<Socket> {
    const { host, port, family, localAddress } = this.#options;
    this.connecting = true;
    // Same shape as ioredis' StandaloneConnector: resolve on the next tick unless disconnect() ran in between.
    return new Promise<Socket>((resolve, reject) => {
      process.nextTick(() => {
        if (!this.connecting) {
          reject(new Error('Connection is closed.'));
          return;
        }
        let socket: Socket;
        try {
          socket = createConnection({
            host: host ?? '127.0.0.1',
            port: port ?? 6379,
            ...(family === undefined ? {} : { family }),
            ...(localAddress ? { localAddress } : {}),
          });
        } catch (err) {
          reject(err);
          return;
        }
        socket.once('error', (err) => {
          this.firstError = err;
        });
        this.stream = socket;
        resolve(socket);
      });
    });
  }
}

/** Options that make a Redis client use BoundConnector with `localAddress` (omitted when no source IP is given). */
export function boundConnectionOptions(localAddress: string | undefined): Partial<BoundRedisOptions> {
  return localAddress ? { Connector: BoundConnector, localAddress } : {};
}
