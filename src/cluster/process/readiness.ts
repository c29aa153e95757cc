// Readiness = PING answered and not LOADING, over a raw RESP socket (no client library, nothing queued).
import { connect } from 'node:net';

export type PingResult = 'ready' | 'loading' | 'down';

function resp(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

export function pingOnce(opts: {
  host: string;
  port: number;
  password?: string;
  timeoutMs?: number;
}): Promise<PingResult> {
  return new Promise((resolve) => {
    const sock = connect({ host: opts.host, port: opts.port });
    let buf = '';
    const expected = opts.password ? 2 : 1;
    const done = (r: PingResult) => {
      clearTimeout(timer);
      sock.removeAllListeners('data');
      sock.on('error', () => {});
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('down'), opts.timeoutMs ?? 500);
    sock.setNoDelay(true);
    sock.on('error', () => done('down'));
    sock.on('connect', () => {
      sock.write((opts.password ? resp(['AUTH', opts.password]) : '') + resp(['PING']));
    });
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      const lines = buf.split('\r\n').filter(Boolean);
      if (lines.length < expected) return;
      const last = lines[expected - 1] ?? '';
      if (last.startsWith('+PONG')) done('ready');
      else if (last.startsWith('-LOADING')) done('loading');
      else done('down');
    });
  });
}

/** Polls until ready, `isGone()` says the process died, or the timeout passes. */
export async function waitReady(
  opts: { host: string; port: number; password?: string; timeoutMs: number; intervalMs?: number },
  isGone: () => boolean,
): Promise<'ready' | 'gone' | 'timeout'> {
  const end = Date.now() + opts.timeoutMs;
  while (Date.now() < end) {
    if (isGone()) return 'gone';
    // No single PING may carry the wait past its deadline.
    const left = end - Date.now();
    const r = await pingOnce({
      host: opts.host,
      port: opts.port,
      password: opts.password,
      timeoutMs: Math.max(1, Math.min(400, left)),
    });
    if (r === 'ready') return 'ready';
    if (isGone()) return 'gone';
    await new Promise((res) => setTimeout(res, Math.max(0, Math.min(opts.intervalMs ?? 25, end - Date.now()))));
  }
  return isGone() ? 'gone' : 'timeout';
}
