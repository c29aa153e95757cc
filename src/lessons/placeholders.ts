// Placeholders in lesson text for what only the running lab knows: where a node listens. A lesson cannot know its
// port block (6379 moves to 16379… when taken) or a host's loopback address, so it writes `{{cli redis-1}}` and the
// lesson pane shows `redis-cli -h 127.0.2.1 -p 6379 -a redis`, a line that works when pasted into a shell. Pure.
import { natPort, nodeById, publicAddress, redisCliLine, type Topology } from '../cluster/topology.js';

/** What a placeholder can stand for, with an example of what it becomes. */
export const PLACEHOLDER_KINDS = {
  /** `redis-cli -h 127.0.2.1 -p 6379 -a redis` (a Sentinel's has `-a` only when the Sentinels have a password). */
  cli: 'redis-cli -h 127.0.2.1 -p 6379 -a redis',
  /** `127.0.2.1:6379`, the address as Sentinel and INFO write it. */
  addr: '127.0.2.1:6379',
  /** `127.0.2.1` */
  ip: '127.0.2.1',
  /** `6379` */
  port: '6379',
  /** `6579`: the port the node is published at while its host is behind the lab's NAT (the nat action). */
  natport: '6579',
} as const;

export type PlaceholderKind = keyof typeof PLACEHOLDER_KINDS;

/** `{{cli redis-1}}`, `{{ port sentinel-2 }}`; anything else between braces is reported by placeholderProblems. */
const PLACEHOLDER = /\{\{\s*([a-z]+)\s+([a-z]+-\d+)\s*\}\}/g;
const ANY_BRACES = /\{\{([^{}\n]*)\}\}/g;

function isKind(k: string): k is PlaceholderKind {
  return Object.hasOwn(PLACEHOLDER_KINDS, k);
}

/** What one placeholder becomes in this topology, or undefined when the node does not exist. */
export function placeholderValue(kind: PlaceholderKind, nodeId: string, t: Topology): string | undefined {
  if (!nodeById(t, nodeId)) return undefined;
  const a = publicAddress(t, nodeId);
  switch (kind) {
    case 'cli':
      return redisCliLine(t, nodeId);
    case 'addr':
      return `${a.host}:${a.port}`;
    case 'ip':
      return a.host;
    case 'port':
      return String(a.port);
    case 'natport':
      return String(natPort(a.port));
  }
}

/**
 * Replaces every placeholder with the running lab's real value. Unknown kinds or nodes are left as written (the
 * lesson check refuses them, so a shipped lesson never has one).
 */
export function fillPlaceholders(text: string, t: Topology): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (whole, kind: string, node: string) =>
    isKind(kind) ? (placeholderValue(kind, node, t) ?? whole) : whole,
  );
}

export interface PlaceholderProblem {
  /** 1-based line of the text. */
  line: number;
  message: string;
}

/** Malformed placeholders, unknown kinds and nodes that are not in the lesson's topology. */
export function placeholderProblems(text: string, nodeIds: ReadonlySet<string>): PlaceholderProblem[] {
  const out: PlaceholderProblem[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const kinds = Object.keys(PLACEHOLDER_KINDS).join(', ');
  for (const m of text.matchAll(ANY_BRACES)) {
    const inner = (m[1] ?? '').trim();
    const parts = /^([a-z]+)\s+([a-z]+-\d+)$/.exec(inner);
    const line = lineOf(m.index ?? 0);
    if (!parts) {
      out.push({
        line,
        message: `"{{${m[1]}}}" is not a placeholder; write {{<kind> <node>}} with kind one of ${kinds}`,
      });
    } else if (!isKind(parts[1] ?? '')) {
      out.push({ line, message: `unknown placeholder kind "${parts[1]}" (expected one of ${kinds})` });
    } else if (!nodeIds.has(parts[2] ?? '')) {
      out.push({ line, message: `placeholder {{${inner}}} names "${parts[2]}", which is not a node of this lesson` });
    }
  }
  // A lone "{{" or "}}" is a placeholder typo (Markdown never needs double braces in these lessons).
  const masked = text.replace(ANY_BRACES, (m) => ' '.repeat(m.length));
  const stray = /\{\{|\}\}/.exec(masked);
  if (stray) {
    out.push({
      line: lineOf(stray.index),
      message: `unmatched "${stray[0]}": a placeholder is {{<kind> <node>}} on one line`,
    });
  }
  return out;
}

/** Question, choices and explanation of a step's prediction, as `fillStepText` reads and writes them. */
interface PredictText {
  question: string;
  choices: Array<{ text: string; correct: boolean }>;
  explain: string;
}

/** The shown text of one step (prose, goal text, hints, explanation, prediction) with its placeholders filled in. */
export function fillStepText<
  S extends { prose: string; goalText: string; hints: string[]; explain?: string; predict?: PredictText },
>(step: S, t: Topology): S {
  const fill = (s: string) => fillPlaceholders(s, t);
  const filled: S = { ...step, prose: fill(step.prose), goalText: fill(step.goalText), hints: step.hints.map(fill) };
  if (step.explain !== undefined) filled.explain = fill(step.explain);
  const p = step.predict;
  if (p !== undefined) {
    const q: PredictText = {
      question: fill(p.question),
      choices: p.choices.map((c) => ({ ...c, text: fill(c.text) })),
      explain: fill(p.explain),
    };
    const samePredict =
      q.question === p.question && q.explain === p.explain && q.choices.every((c, i) => c.text === p.choices[i]?.text);
    filled.predict = samePredict ? p : { ...p, ...q };
  }
  const same =
    filled.prose === step.prose &&
    filled.goalText === step.goalText &&
    filled.explain === step.explain &&
    filled.predict === step.predict &&
    filled.hints.every((h, i) => h === step.hints[i]);
  return same ? step : filled;
}
