// Standard output for scripts: a reader that goes away (`… --json | head -1`) ends the command quietly with exit 0
// after its cleanup, never as "hit a bug: write EPIPE". Every command writes through `out`, which drops output once
// the reader is gone; commands that hold a lab register a stop with `onOutputClosed` (guardLab does) and clean up
// the same way as on Ctrl+C.
import { fstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

let closed = false;
let installed = false;
const listeners = new Set<() => void>();

/** Errors that mean "nobody reads this stream any more". */
function isClosedReader(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' || err.code === 'ERR_STREAM_WRITE_AFTER_END';
}

/** Called once the reader is gone: the registered stops run; with none, the process ends now with exit 0. */
function readerGone(): void {
  if (closed) return;
  closed = true;
  if (listeners.size === 0) {
    process.exit(0);
  }
  for (const l of [...listeners]) l();
}

/**
 * Installs the guard on process.stdout (idempotent). Without a listener, a failed write to a closed pipe is an
 * 'error' event nobody handles, which Node turns into an uncaught exception.
 */
export function installOutputGuard(stream: NodeJS.WriteStream = process.stdout): void {
  if (installed) return;
  installed = true;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (isClosedReader(err)) readerGone();
    else throw err;
  });
}

/** Writes to stdout unless the reader is gone. */
export function out(text: string): void {
  if (closed) return;
  process.stdout.write(text);
}

/** Whether stdout's reader went away. */
export function outputClosed(): boolean {
  return closed;
}

/** Runs `fn` once the reader of stdout is gone (at once if it already is); returns the unregister function. */
export function onOutputClosed(fn: () => void): () => void {
  if (closed) {
    queueMicrotask(fn);
    return () => {};
  }
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * A command that prints nothing for a long time (`up --json` after its ready line) would only notice a vanished
 * reader at its next write, and a pipeline like `up --json | head -1` would never end. On Linux the reader of a
 * pipe can be looked for without writing: a process holding the pipe (`/proc/<pid>/fd/<n>` -> `pipe:[inode]`) open
 * for reading (`/proc/<pid>/fdinfo/<n>` flags, see proc(5)). The reader is declared gone only when every process
 * could be inspected and none reads the pipe; a process we may not inspect could be the reader. Returns the stop.
 */
export function watchOutputReader(intervalMs = 1500): () => void {
  if (process.platform !== 'linux') return () => {};
  let pipe: string;
  try {
    if (!fstatSync(1).isFIFO()) return () => {};
    pipe = readlinkSync('/proc/self/fd/1');
  } catch {
    return () => {};
  }
  if (!pipe.startsWith('pipe:')) return () => {};
  const timer = setInterval(() => {
    if (pipeReader(pipe) === 'none') readerGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether any process holds `pipe` open for reading: 'yes', 'none', or 'unknown' (some process was not readable). */
export function pipeReader(pipe: string): 'yes' | 'none' | 'unknown' {
  let blind = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return 'unknown';
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch (err) {
      // Gone meanwhile is fine; not allowed to look is not.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') blind = true;
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) !== pipe) continue;
        const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1];
        // O_ACCMODE: 0 read-only, 1 write-only, 2 read-write.
        if (flags === undefined || (Number.parseInt(flags, 8) & 3) !== 1) return 'yes';
      } catch {
        // closed meanwhile
      }
    }
  }
  return blind ? 'unknown' : 'none';
}
