// The client side of a lab's control socket (engine/control.ts): proves the socket is ours and private before
// connecting, sends one request, reads the replies.
import { lstatSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { processRunState } from '../cluster/process/proc.js';
import { myUid, readManifest } from '../cluster/process/run-dir.js';
import { controlSocketPath, type PerformReply } from '../engine/control.js';
import { UserError } from '../errors.js';

/** The socket path, after proving it is a socket owned by us that nobody else may open. */
export function provenControlSocket(runDir: string): string {
  const path = controlSocketPath(runDir);
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch {
    throw new UserError(`The lab in ${runDir} has no control socket.`, {
      hint: 'It may still be starting, or be a cluster `watch --no-attach` started (it takes no actions), or an older version of the lab: start it again with this version.',
    });
  }
  if (!st.isSocket() || st.uid !== myUid() || (st.mode & 0o077) !== 0) {
    throw new UserError(`${path} is not a private socket of yours; the lab will not use it.`, {
      hint: 'Someone changed the lab’s private files. Stop that lab and start it again.',
    });
  }
  return path;
}

function open(path: string, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new UserError(`The lab did not answer on ${path} within ${timeoutMs} ms.`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      reject(new UserError(`Cannot reach the lab through ${path}: ${err.message}`, { cause: err }));
    });
  });
}

/** Reads newline-delimited JSON from the socket. */
function lines(s: Socket, onLine: (msg: unknown) => void): void {
  s.setEncoding('utf8');
  let buf = '';
  s.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        onLine(JSON.parse(line));
      } catch {
        // not JSON: ignore
      }
    }
  });
}

/**
 * A lab answers every request within this (it acknowledges an action before running it); longer means it is stopped
 * or hung. A Unix socket accepts connections even then: the kernel queues them.
 */
export const ANSWER_MS = 5000;

/** The error for a lab that did not answer in time, saying why when its process is stopped. */
export function silentLab(runDir: string, what: string, ms: number): UserError {
  const pid = readManifest(runDir)?.labPid;
  if (pid !== undefined && processRunState(pid) === 'stopped') {
    return new UserError(`The lab (pid ${pid}) is stopped (Ctrl+Z or SIGSTOP), so it cannot ${what}.`, {
      hint: `Continue it: \`fg\` in its terminal, or \`kill -CONT ${pid}\`.`,
    });
  }
  return new UserError(
    `The lab${pid === undefined ? '' : ` (pid ${pid})`} did not answer within ${ms / 1000} s, so it cannot ${what}.`,
    {
      hint: 'It may be hung: stop it (Ctrl+C in its terminal), then `redis-sentinel-lab clean`.',
    },
  );
}

/** Sends one action; resolves with the lab's reply. The action runs to its end (a stop waits for SHUTDOWN). */
export async function performRemote(
  runDir: string,
  action: unknown,
  timeoutMs = 120_000,
  answerMs = ANSWER_MS,
): Promise<PerformReply> {
  const s = await open(provenControlSocket(runDir), answerMs);
  return new Promise((resolve, reject) => {
    let timer = setTimeout(() => {
      s.destroy();
      reject(silentLab(runDir, 'do the action', answerMs));
    }, answerMs);
    lines(s, (msg) => {
      clearTimeout(timer);
      if ((msg as { type?: string }).type === 'accepted') {
        timer = setTimeout(() => {
          s.destroy();
          reject(new UserError(`The lab did not finish the action within ${timeoutMs / 1000} s.`));
        }, timeoutMs);
        return;
      }
      s.end();
      resolve(msg as PerformReply);
    });
    s.once('close', () => {
      clearTimeout(timer);
      reject(new UserError('The lab closed the control connection before answering (it is stopping?).'));
    });
    s.on('error', () => {});
    s.write(`${JSON.stringify({ op: 'perform', action })}\n`);
  });
}

/**
 * Follows a lab: `onMessage` gets each message it streams (the hello with its nodes, node facts), `onGone` runs once
 * when it says it is stopping or the connection ends (the lab process is gone). Resolves with the close function
 * once the lab said hello.
 */
export async function followLab(
  runDir: string,
  on: { onGone(why: string): void; onMessage?(msg: { type?: string; [k: string]: unknown }): void },
  answerMs = ANSWER_MS,
): Promise<() => void> {
  const s = await open(provenControlSocket(runDir), answerMs);
  let gone = false;
  let closedByUs = false;
  const end = (why: string) => {
    if (gone || closedByUs) return;
    gone = true;
    on.onGone(why);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      closedByUs = true;
      s.destroy();
      reject(silentLab(runDir, 'be followed', answerMs));
    }, answerMs);
    lines(s, (msg) => {
      const m = msg as { type?: string; [k: string]: unknown };
      if (m.type === 'hello') {
        clearTimeout(timer);
        resolve();
      }
      if (m.type === 'stopping') end('the lab is stopping');
      else on.onMessage?.(m);
    });
    s.once('close', () => {
      clearTimeout(timer);
      reject(new UserError('The lab closed the control connection.'));
      end('the lab process is gone');
    });
    s.on('error', () => {});
    s.write(`${JSON.stringify({ op: 'follow' })}\n`);
  });
  return () => {
    closedByUs = true;
    s.destroy();
  };
}
