// Pure: client requests as they travel to a Redis server (arrays of bulk strings, `*2\r\n$4\r\nINFO\r\n…`), parsed
// incrementally so the gateway (gateway.ts) can check every command before it is forwarded. Inline commands (plain
// text lines) are refused: no client library sends them, and a guard should not guess where they end.

export interface Request {
  /** The arguments as text (command names and arguments of the read commands are ASCII). */
  argv: string[];
  /** The exact bytes of this request. */
  raw: Buffer;
}

export class RespProtocolError extends Error {
  override name = 'RespProtocolError';
}

/** Bounds, so a misbehaving client cannot make the gateway buffer without limit. */
const MAX_ARGS = 256;
const MAX_BULK = 1 << 20;

/** Reads `\r\n`-terminated decimal after a type byte at `at`; undefined when the line is not complete yet. */
function readLength(buf: Buffer, at: number, type: number): { value: number; next: number } | undefined {
  if (buf[at] !== type) {
    throw new RespProtocolError(
      type === 0x2a ? 'inline commands are not accepted (send RESP arrays)' : 'expected a bulk string',
    );
  }
  const end = buf.indexOf('\r\n', at + 1);
  if (end < 0) {
    if (buf.length - at > 24) throw new RespProtocolError('length line too long');
    return undefined;
  }
  const text = buf.toString('latin1', at + 1, end);
  if (!/^-?\d{1,10}$/.test(text)) throw new RespProtocolError(`bad length "${text.slice(0, 12)}"`);
  return { value: Number(text), next: end + 2 };
}

/** Incremental parser: push chunks, get every complete request. Throws RespProtocolError on malformed input. */
export class RequestParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Request[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Request[] = [];
    for (;;) {
      const r = this.one();
      if (!r) break;
      out.push(r);
    }
    return out;
  }

  /** Bytes received but not yet a complete request. */
  get pending(): number {
    return this.buf.length;
  }

  private one(): Request | undefined {
    const buf = this.buf;
    if (buf.length === 0) return undefined;
    const head = readLength(buf, 0, 0x2a);
    if (!head) return undefined;
    const n = head.value;
    if (n < 1 || n > MAX_ARGS) throw new RespProtocolError(`a request must have 1–${MAX_ARGS} arguments, not ${n}`);
    let at = head.next;
    const argv: string[] = [];
    for (let i = 0; i < n; i++) {
      if (at >= buf.length) return undefined;
      const len = readLength(buf, at, 0x24);
      if (!len) return undefined;
      if (len.value < 0 || len.value > MAX_BULK) throw new RespProtocolError(`bad argument length ${len.value}`);
      const end = len.next + len.value;
      if (buf.length < end + 2) return undefined;
      if (buf[end] !== 0x0d || buf[end + 1] !== 0x0a) throw new RespProtocolError('argument not followed by CRLF');
      argv.push(buf.toString('utf8', len.next, end));
      at = end + 2;
    }
    const raw = buf.subarray(0, at);
    this.buf = buf.subarray(at);
    return { argv, raw: Buffer.from(raw) };
  }
}

/** One request as RESP bytes. */
export function encodeRequest(argv: readonly string[]): Buffer {
  const parts = [`*${argv.length}\r\n`];
  for (const a of argv) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
  return Buffer.from(parts.join(''));
}
