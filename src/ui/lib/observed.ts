// Pure: a node's state when the lab does not run it. Attached to a deployment it did not start (`--sentinel`), or to
// another lab's run, the deployment has no runtime capability (deployments/deployment.ts): the lab never learns when
// a process dies, freezes or comes back, so it shows no process state ("● running", "✗ exited") at all. It shows what
// its probes observe: the node answers, refuses the lab's login, or has not answered since a given time. An unanswered
// observation's `at` is when the silence began: the probe loop (cluster/probes/probe-loop.ts) stamps every observation
// of one outage with its first failed round, even when a new error text makes it report again.
import type { MissingCapabilities } from '../../deployments/deployment.js';
import type { LabState } from '../../state/store.js';

/** The lab does not run these nodes: their state is what the probes observe (see above). */
export function observesOnly(unavailable: MissingCapabilities): boolean {
  return unavailable.runtime !== undefined;
}

export type Observed =
  | { kind: 'answers' }
  /** It answers but refuses the lab's credentials (NOAUTH, WRONGPASS, NOPERM): nothing it holds can be read. */
  | { kind: 'refused'; since: number; error: string }
  | { kind: 'silent'; since: number; error?: string }
  | { kind: 'unprobed' };

export type ObservedKind = Observed['kind'];

/** Symbol + word, as PROCESS_SYMBOL (lib/format.ts) has them for the lab's own processes. */
export const OBSERVED_SYMBOL: Record<ObservedKind, string> = {
  answers: '● answers',
  refused: '⚠ refused',
  silent: '✗ no answer',
  unprobed: '◌ not probed',
};

const AUTH_ERROR = /NOAUTH|WRONGPASS|NOPERM|invalid password|Authentication required/i;

export function observedState(s: Pick<LabState, 'redis' | 'sentinels'>, id: string): Observed {
  const o = s.redis[id] ?? s.sentinels[id];
  if (!o) return { kind: 'unprobed' };
  if (o.reachable) return { kind: 'answers' };
  if (o.error && AUTH_ERROR.test(o.error)) return { kind: 'refused', since: o.at, error: o.error };
  return o.error ? { kind: 'silent', since: o.at, error: o.error } : { kind: 'silent', since: o.at };
}

/** `14:03:07`, this machine's local time (static text: no clock needed to redraw it). */
export function clockTime(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** What follows the state of a node that does not answer: "since 14:03:07: connect ECONNREFUSED …". */
export function observedDetail(o: Observed): string | undefined {
  if (o.kind === 'answers' || o.kind === 'unprobed') return undefined;
  return `since ${clockTime(o.since)}${o.error ? `: ${plainError(o.error)}` : ''}`;
}

/** The client library's words for a connection it gave up on ("Reached the max retries per request limit …"). */
function plainError(error: string): string {
  return /max retries per request/i.test(error) ? 'the connection was lost' : error;
}

/** Nodes that do not answer the lab (or refuse it), in topology order, with how: for the header. */
export function notAnswering(s: Pick<LabState, 'topology' | 'redis' | 'sentinels'>): {
  silent: string[];
  refused: string[];
} {
  const silent: string[] = [];
  const refused: string[] = [];
  for (const n of s.topology.nodes) {
    const o = observedState(s, n.id);
    if (o.kind === 'silent') silent.push(n.id);
    else if (o.kind === 'refused') refused.push(n.id);
  }
  return { silent, refused };
}

/**
 * How many nodes do not answer, and how many refuse the lab's login, each as such: "2 not answering", "2 refused the
 * lab's login", "1 not answering · 1 refused the lab's login" (a refusal is an answer; the fix is a password, not a
 * network). Empty when every node answers.
 */
export function notAnsweringCounts(o: { silent: readonly string[]; refused: readonly string[] }): string {
  return [
    o.silent.length ? `${o.silent.length} not answering` : '',
    o.refused.length ? `${o.refused.length} refused the lab's login` : '',
  ]
    .filter(Boolean)
    .join(' · ');
}
