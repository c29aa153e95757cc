// TCP peers for network-fabric contract tests: an echo server that records what it saw, a recording client,
// and condition polling. Loopback only; everything closes without leaving handles.

import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

export type EchoServer = {
  ip: string;
  port: number;
  /** Bytes received so far over all connections. */
  received(): number;
  /** Remote address of every accepted connection, in order. */
  readonly peers: string[];
  close(): Promise<void>;
};

/** Echoes every byte back on the same connection. */
export async function startEchoServer(ip: string): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const peers: string[] = [];
  let received = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    peers.push(socket.remoteAddress ?? '?');
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: ip, port: 0 }, resolve);
  });
  return {
    ip,
    port: (server.address() as AddressInfo).port,
    received: () => received,
    peers,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client socket that records everything it receives and how it ended. */
export class TestClient {
  readonly socket: Socket;
  private readonly chunks: Buffer[] = [];
  bytes = 0;
  connected = false;
  closed = false;
  error: NodeJS.ErrnoException | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('connect', () => {
      this.connected = true;
    });
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.error = err;
    });
    socket.on('close', () => {
      this.closed = true;
    });
  }

  /** Resolves once connected, or once the socket closed (refused or reset before connect). */
  static async open(host: string, port: number, localAddress?: string): Promise<TestClient> {
    const client = new TestClient(connect({ host, port, localAddress, noDelay: true }));
    await new Promise<void>((resolve) => {
      client.socket.once('connect', () => resolve());
      client.socket.once('close', () => resolve());
    });
    return client;
  }

  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  waitForBytes(n: number, timeoutMs = 5000): Promise<void> {
    return waitFor(() => this.bytes >= n, { timeoutMs, what: `${n} bytes (have ${this.bytes})` });
  }

  waitForClose(timeoutMs = 2000): Promise<void> {
    return waitFor(() => this.closed, { timeoutMs, what: 'client socket to close' });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Polls `cond` every few ms until it holds; rejects after `timeoutMs` naming what was awaited. */
export async function waitFor(
  cond: () => boolean,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'condition'}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 5));
  }
}

/** Resolves after `ms`; only for asserting that something does *not* happen within a window. */
export function quietWindow(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
