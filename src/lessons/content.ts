// Content rules for learner-facing lesson text, checked by `lesson check` (and whenever lessons load):
//  - no traps: every literal a step's goal checks (node, client, key, value, error, channel, count, duration) is
//    written in that step's own text (title + Markdown), its first hint or its prediction's question and choices,
//    so the step can be finished from what the lesson pane shows;
//  - no references to material the learner does not have (internal notes, section numbers, experiment labels);
//  - placeholders ({{cli redis-1}}) name a known kind and a node of the lesson;
//  - no line of Markdown starts with "+ ": a plus sign wrapped to the start of a line ("… max-lag)\n+ 1 s") turns
//    into a list bullet and disappears (CommonMark: a bullet list may interrupt a paragraph); lists use "-";
//  - solutions do only what the keys can do (the workload key has no rate);
//  - a solution that waits for a failover right after causing it allows for one split vote (failoverBoundMs);
//  - predict, then observe: every lesson asks at least one prediction, never on a step whose outcome is already in.
// Pure: it reads a loaded Lesson and returns problems naming the file and the field.
import { DEFAULT_SENTINEL_SETTINGS, failoverBoundMs, redisId, sentinelId } from '../cluster/topology.js';
import type { LessonProblem } from './issues.js';
import { formatPath } from './issues.js';
import { placeholderProblems } from './placeholders.js';
import type { Goal, Lesson, LessonStep } from './schema.js';
import { isWaitFor, startsWithReset } from './schema.js';
import { lessonShape } from './shape.js';
import { humanMs } from './tokens.js';
import { LESSON_FILE } from './validate.js';

/** Phrases that point at material a learner of the lab does not have; say the fact and cite redis.io instead. */
export const FORBIDDEN_REFERENCES: ReadonlyArray<{ pattern: RegExp; what: string }> = [
  { pattern: /\bfacts?[- ]note\b/i, what: 'the facts note' },
  { pattern: /§/, what: 'a section number (§)' },
  { pattern: /\bE\d{1,2}\b/, what: 'an experiment label (E1, E6…)' },
  { pattern: /\bexperiment\s+[A-Z]\d+\b/i, what: 'an experiment label' },
  { pattern: /\binternal\s+(?:notes?|docs?|documents?|research|report)\b/i, what: 'internal notes' },
  { pattern: /\bbackground\s+notes?\b/i, what: 'background notes' },
  {
    pattern:
      /redis-sentinel-facts|sentinel-struggles|design-review|stack-notes|style-examples|shared\/(?:notes|seeds)/i,
    what: 'a file outside the lesson',
  },
];

type Report = (problem: LessonProblem) => void;

/** Every content problem of a loaded lesson (empty when it follows the rules). */
export function lessonContentProblems(lesson: Lesson): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const report: Report = (p) => problems.push(p);
  const yamlFile = `${lesson.folder}/${LESSON_FILE}`;
  const nodes = new Set<string>([
    ...Array.from({ length: lesson.topology.redis }, (_, i) => redisId(i + 1)),
    ...Array.from({ length: lesson.topology.sentinels }, (_, i) => sentinelId(i + 1)),
  ]);

  const field = (file: string, path: string, text: string | undefined) => {
    if (text === undefined) return;
    checkText(text, file, path, nodes, report);
  };
  field(yamlFile, 'title', lesson.title);
  field(yamlFile, 'summary', lesson.summary);
  lesson.steps.forEach((step, i) => {
    const at = (...rest: PropertyKey[]) => formatPath(['steps', i, ...rest]);
    field(yamlFile, at('title'), step.title);
    field(`${lesson.folder}/${step.text}`, at('text'), step.prose);
    markdownLineProblems(step.prose, `${lesson.folder}/${step.text}`, at('text'), report);
    field(yamlFile, at('goalText'), step.goalText);
    for (const [j, h] of step.hints.entries()) field(yamlFile, at('hints', j), h);
    field(yamlFile, at('explain'), step.explain);
    if (step.explain !== undefined) markdownLineProblems(step.explain, yamlFile, at('explain'), report);
    if (step.predict) {
      field(yamlFile, at('predict', 'question'), step.predict.question);
      for (const [j, c] of step.predict.choices.entries()) field(yamlFile, at('predict', 'choices', j, 'text'), c.text);
      field(yamlFile, at('predict', 'explain'), step.predict.explain);
      markdownLineProblems(step.predict.explain, yamlFile, at('predict', 'explain'), report);
      if (step.alreadySolved) {
        report({
          file: yamlFile,
          path: at('predict'),
          message:
            'the goal already holds when this step starts, so the outcome would answer the question before it is asked; ask it on the step whose action decides it',
        });
      }
    }
    trapProblems(step, i, yamlFile, report);
    solutionProblems(step, i, yamlFile, report);
    failoverWaitProblems(lesson, step, i, yamlFile, report);
    attemptProblems(step, i, yamlFile, report);
  });
  if (!lesson.steps.some((s) => s.predict)) {
    report({
      file: yamlFile,
      path: 'steps',
      message:
        'no step asks a prediction: add a predict block (question, 2-4 choices, explain) to the step whose action decides the lesson, so the learner predicts before observing',
    });
  }
  return problems;
}

/** Lines of a Markdown block (step text, explanation) that Markdown would read other than as written. */
function markdownLineProblems(text: string, file: string, path: string, report: Report): void {
  let fence: string | undefined;
  for (const [n, line] of text.split('\n').entries()) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f && (!fence || (f[0] === fence[0] && f.length >= fence.length))) {
      fence = fence ? undefined : f;
      continue;
    }
    if (fence || !/^ {0,3}\+[ \t]/.test(line)) continue;
    report({
      file,
      path,
      message: `line ${n + 1} starts with "+ ", which Markdown shows as a list bullet, without the plus sign; keep the "+" off the start of the line (lists use "-")`,
    });
  }
}

function checkText(text: string, file: string, path: string, nodes: ReadonlySet<string>, report: Report): void {
  const lines = text.split('\n');
  for (const { pattern, what } of FORBIDDEN_REFERENCES) {
    const n = lines.findIndex((l) => pattern.test(l));
    if (n < 0) continue;
    const found = lines[n]?.match(pattern)?.[0] ?? '';
    report({
      file,
      path,
      message: `${lines.length > 1 ? `line ${n + 1} ` : ''}refers to ${what} ("${found}"), which the learner does not have; state the fact and cite redis.io or the Redis source`,
    });
  }
  for (const p of placeholderProblems(text, nodes)) {
    report({ file, path, message: lines.length > 1 ? `line ${p.line}: ${p.message}` : p.message });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// No traps: the goal's literals, and where the learner can read them.

interface Literal {
  /** Field path inside the step's goal, e.g. `all[1].clientResult.value`. */
  path: PropertyKey[];
  /** What to look for, as the problem names it. */
  shown: string;
  found(text: StepText): boolean;
}

/** The text a learner reads for a step, prepared once. */
interface StepText {
  raw: string;
  nodes: Set<string>;
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
  'twenty',
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `tok` as a whole token: not glued to letters, digits or (for channels) another sign or dash. */
function hasToken(text: string, tok: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_+-])${escapeRegExp(tok)}(?![A-Za-z0-9_-])`).test(text);
}

function hasCount(text: string, n: number): boolean {
  if (new RegExp(`(?<![\\d.])${n}(?!\\d|\\.\\d)`).test(text)) return true;
  const word = NUMBER_WORDS[n];
  return word !== undefined && new RegExp(`\\b${word}\\b`, 'i').test(text);
}

function hasDuration(text: string, ms: number): boolean {
  const s = Number((ms / 1000).toFixed(3));
  const forms = [`${ms}\\s*ms`, `${ms}\\s*milliseconds?`, `${escapeRegExp(String(s))}\\s*(?:s|secs?|seconds?)\\b`];
  if (Number.isInteger(s)) forms.push(`${NUMBER_WORDS[s] ?? '\\b\\B'}\\s+seconds?\\b`);
  return new RegExp(`(?<![\\d.])(?:${forms.join('|')})`, 'i').test(text);
}

/** Node ids the text names, ranges like `redis-3..redis-5` or `redis-2 … redis-5` included. */
function mentionedNodes(text: string): Set<string> {
  const out = new Set<string>();
  const re = /\b(redis|sentinel)-(\d+)(?:\s*(?:\.\.|\u2026|\u2013|\bto\b)\s*(?:(?:redis|sentinel)-)?(\d+))?/g;
  for (const m of text.matchAll(re)) {
    const kind = m[1] ?? 'redis';
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    for (let i = from; i <= Math.min(to, from + 20); i++) out.add(`${kind}-${i}`);
  }
  return out;
}

/** Placeholders become addresses on screen, so a node named only inside one is not visible to the learner. */
function visible(text: string): string {
  return text.replace(/\{\{[^{}\n]*\}\}/g, ' ');
}

function stepText(step: LessonStep): StepText {
  // A prediction's question and choices show when the step starts (its explanation only after the outcome).
  const asked = step.predict ? [step.predict.question, ...step.predict.choices.map((c) => c.text)] : [];
  const raw = visible([step.title, step.prose, step.hints[0] ?? '', ...asked].join('\n'));
  return { raw, nodes: mentionedNodes(raw) };
}

const node = (path: PropertyKey[], id: string | undefined): Literal[] =>
  id === undefined ? [] : [{ path, shown: id, found: (t) => t.nodes.has(id) }];
const token = (path: PropertyKey[], tok: string | undefined): Literal[] =>
  tok === undefined ? [] : [{ path, shown: tok, found: (t) => hasToken(t.raw, tok) }];
const text = (path: PropertyKey[], s: string | undefined): Literal[] =>
  s === undefined ? [] : [{ path, shown: s, found: (t) => t.raw.includes(s) }];
const client = (path: PropertyKey[], c: 'A' | 'B' | undefined): Literal[] =>
  c === undefined
    ? []
    : [{ path, shown: `client ${c}`, found: (t) => new RegExp(`\\bclients?\\s+(?:A\\s+and\\s+)?${c}\\b`).test(t.raw) }];
/** Counts of 1 are what "a write" or "an event" already say. */
const count = (path: PropertyKey[], n: number | undefined): Literal[] =>
  n === undefined || n <= 1 ? [] : [{ path, shown: String(n), found: (t) => hasCount(t.raw, n) }];
/** A number the goal compares exactly (a priority, WAIT's answer, an epoch): 0 and 1 must be written too. */
const exactCount = (path: PropertyKey[], n: number | undefined): Literal[] =>
  n === undefined ? [] : [{ path, shown: String(n), found: (t) => hasCount(t.raw, n) }];
const duration = (path: PropertyKey[], ms: number | undefined): Literal[] =>
  ms === undefined ? [] : [{ path, shown: humanMs(ms), found: (t) => hasDuration(t.raw, ms) }];

/** Every literal the goal checks, with its path. holdMs is left out: it is how long to wait, not what to do. */
export function goalLiterals(g: Goal, path: PropertyKey[] = []): Literal[] {
  const out: Literal[] = [];
  const at = (...rest: PropertyKey[]) => [...path, ...rest];
  for (const [i, c] of (g.all ?? []).entries()) out.push(...goalLiterals(c, at('all', i)));
  for (const [i, c] of (g.any ?? []).entries()) out.push(...goalLiterals(c, at('any', i)));
  if (g.not) out.push(...goalLiterals(g.not, at('not')));
  if (g.roleOf) out.push(...node(at('roleOf', 'node'), g.roleOf.node));
  if (g.replicaOf) {
    out.push(
      ...node(at('replicaOf', 'node'), g.replicaOf.node),
      ...node(at('replicaOf', 'master'), g.replicaOf.master),
    );
  }
  out.push(...node(at('masterIs'), g.masterIs), ...node(at('masterIsNot'), g.masterIsNot));
  if (g.sentinelNames) {
    out.push(
      ...node(at('sentinelNames', 'sentinel'), g.sentinelNames.sentinel),
      ...node(at('sentinelNames', 'master'), g.sentinelNames.master),
    );
  }
  if (g.eventSeen) {
    const e = g.eventSeen;
    out.push(
      ...token(at('eventSeen', 'channel'), e.channel),
      ...node(at('eventSeen', 'subject'), e.subject),
      ...node(at('eventSeen', 'sentinel'), e.sentinel),
      ...count(at('eventSeen', 'minCount'), e.minCount),
    );
  }
  if (g.notificationSeen) {
    const n = g.notificationSeen;
    out.push(
      ...token(at('notificationSeen', 'channel'), n.channel),
      ...node(at('notificationSeen', 'sentinel'), n.sentinel),
      ...count(at('notificationSeen', 'minCount'), n.minCount),
    );
  }
  if (g.clientResult) {
    const c = g.clientResult;
    out.push(
      ...client(at('clientResult', 'client'), c.client),
      ...token(at('clientResult', 'key'), c.key),
      ...token(at('clientResult', 'value'), c.value),
      ...token(at('clientResult', 'errorPrefix'), c.errorPrefix),
      ...node(at('clientResult', 'node'), c.node),
      ...text(at('clientResult', 'text'), c.text),
      ...exactCount(at('clientResult', 'waitReplicas'), c.waitReplicas),
    );
  }
  if (g.processState) out.push(...node(at('processState', 'node'), g.processState.node));
  if (g.linkUp) out.push(...node(at('linkUp', 'node'), g.linkUp.node));
  if (g.goodReplicas) {
    const r = g.goodReplicas;
    out.push(
      ...node(at('goodReplicas', 'node'), r.node),
      ...count(at('goodReplicas', 'atLeast'), r.atLeast),
      ...count(at('goodReplicas', 'atMost'), r.atMost),
    );
  }
  if (g.tilt) out.push(...node(at('tilt', 'sentinel'), g.tilt.sentinel));
  if (g.failoverTook) {
    out.push(
      ...duration(at('failoverTook', 'atLeastMs'), g.failoverTook.atLeastMs),
      ...duration(at('failoverTook', 'atMostMs'), g.failoverTook.atMostMs),
    );
  }
  if (g.workload) {
    const w = g.workload;
    out.push(
      ...client(at('workload', 'client'), w.client),
      ...count(at('workload', 'acknowledgedAtLeast'), w.acknowledgedAtLeast),
      ...token(at('workload', 'errorPrefix'), w.errorPrefix),
      ...count(at('workload', 'errorsAtLeast'), w.errorsAtLeast),
    );
  }
  if (g.ledger) {
    const l = g.ledger;
    out.push(
      ...count(at('ledger', 'lostAtLeast'), l.lostAtLeast),
      ...count(at('ledger', 'lostAtMost'), l.lostAtMost),
      ...count(at('ledger', 'acknowledgedAtLeast'), l.acknowledgedAtLeast),
      ...count(at('ledger', 'acknowledgedAtMost'), l.acknowledgedAtMost),
      ...duration(at('ledger', 'lossWindowAtMostMs'), l.lossWindowAtMostMs),
    );
  }
  if (g.masterauthMissing) out.push(...node(at('masterauthMissing', 'node'), g.masterauthMissing.node));
  if (g.replicaPriority) {
    const r = g.replicaPriority;
    out.push(
      ...node(at('replicaPriority', 'node'), r.node),
      ...exactCount(at('replicaPriority', 'priority'), r.priority),
      ...node(at('replicaPriority', 'sentinel'), r.sentinel),
    );
  }
  if (g.configEpoch) {
    const c = g.configEpoch;
    out.push(
      ...node(at('configEpoch', 'sentinel'), c.sentinel),
      ...exactCount(at('configEpoch', 'atLeast'), c.atLeast),
      ...exactCount(at('configEpoch', 'atMost'), c.atMost),
    );
  }
  if (g.clientLatest) {
    const c = g.clientLatest;
    out.push(
      ...client(at('clientLatest', 'client'), c.client),
      ...token(at('clientLatest', 'errorPrefix'), c.errorPrefix),
      ...node(at('clientLatest', 'node'), c.node),
      ...node(at('clientLatest', 'notNode'), c.notNode),
      ...text(at('clientLatest', 'text'), c.text),
      ...token(at('clientLatest', 'afterEvent', 'channel'), c.afterEvent?.channel),
      ...node(at('clientLatest', 'afterEvent', 'subject'), c.afterEvent?.subject),
    );
  }
  if (g.sentinelLists) {
    const l = g.sentinelLists;
    out.push(...node(at('sentinelLists', 'sentinel'), l.sentinel), ...node(at('sentinelLists', 'node'), l.node));
  }
  return out;
}

/** Workload predicates anywhere in the goal (for the identity check). */
function workloads(
  g: Goal,
  path: PropertyKey[] = [],
): Array<{ path: PropertyKey[]; w: NonNullable<Goal['workload']> }> {
  const out: Array<{ path: PropertyKey[]; w: NonNullable<Goal['workload']> }> = [];
  for (const [i, c] of (g.all ?? []).entries()) out.push(...workloads(c, [...path, 'all', i]));
  for (const [i, c] of (g.any ?? []).entries()) out.push(...workloads(c, [...path, 'any', i]));
  if (g.not) out.push(...workloads(g.not, [...path, 'not']));
  if (g.workload) out.push({ path: [...path, 'workload'], w: g.workload });
  return out;
}

function trapProblems(step: LessonStep, i: number, file: string, report: Report): void {
  const t = stepText(step);
  const where = `the step's text (${step.text}) or its first hint`;
  for (const lit of goalLiterals(step.goal)) {
    if (lit.found(t)) continue;
    report({
      file,
      path: formatPath(['steps', i, 'goal', ...lit.path]),
      message: `the goal checks "${lit.shown}" but ${where} never says it, so a learner cannot know it`,
    });
  }
  // Goals check the identity the text asks for: "client B's workload" must not pass with client A's.
  const clients = (['A', 'B'] as const).filter((c) => new RegExp(`\\bclient\\s+${c}\\b`).test(t.raw));
  for (const { path, w } of workloads(step.goal)) {
    if (w.client !== undefined || clients.length !== 1) continue;
    report({
      file,
      path: formatPath(['steps', i, 'goal', ...path]),
      message: `the text asks for client ${clients[0]}'s workload; add client: ${clients[0]} so the goal checks it`,
    });
  }
}

/**
 * A step tried more than once (`attempts`) is tried again on a fresh cluster: the lesson's reset (ctrl+r) brings the
 * learner back to the first step, and a step whose setup starts with `reset` is fresh whenever it is entered. Its
 * hints must tell the learner how to try again, since the outcome may not come.
 */
function attemptProblems(step: LessonStep, i: number, file: string, report: Report): void {
  if (step.attempts <= 1) return;
  if (i > 0 && !startsWithReset(step)) {
    report({
      file,
      path: formatPath(['steps', i, 'attempts']),
      message:
        'a step tried again needs a fresh cluster each time: put it first in the lesson (ctrl+r resets to the first step) or start its setup with { kind: reset }',
    });
  }
  const how = i === 0 ? /ctrl\+r/ : /\bb\b.*\bn\b|ctrl\+r/;
  if (!step.hints.some((h) => how.test(h))) {
    report({
      file,
      path: formatPath(['steps', i, 'hints']),
      message: `the outcome may not come (attempts: ${step.attempts}); add a hint that says how to try again (${i === 0 ? 'ctrl+r resets the lesson' : 'b then n enters the step again'})`,
    });
  }
}

/** Actions after which a solution may wait for the failover they cause. */
const FAILOVER_CAUSES: ReadonlySet<string> = new Set(['kill', 'stop', 'isolate', 'partition', 'cut']);
/** Channels that a failover publishes only once it is under way. */
const FAILOVER_CHANNELS: ReadonlySet<string> = new Set(['+switch-master', '+promoted-slave', '+selected-slave']);

/** Whether the goal holds only once a failover happened (a predicate under `not` waits for the opposite). */
function awaitsFailover(g: Goal): boolean {
  if (g.all) return g.all.some(awaitsFailover);
  if (g.any) return g.any.some(awaitsFailover);
  if (g.masterIs !== undefined || g.masterIsNot !== undefined) return true;
  const channel = g.eventSeen?.channel;
  return channel !== undefined && FAILOVER_CHANNELS.has(channel);
}

/**
 * A wait for a failover right after the action that causes it must allow for one split vote, or `lesson check`
 * fails whenever the Sentinels' first election has no winner (the retry comes 2 x failover-timeout later).
 */
function failoverWaitProblems(lesson: Lesson, step: LessonStep, i: number, file: string, report: Report): void {
  // The settings the lab runs the lesson with: the engine's defaults under the lesson's own (as buildTopology does).
  const timing = { ...DEFAULT_SENTINEL_SETTINGS, ...lessonShape(lesson.topology).sentinel };
  const needMs = failoverBoundMs(timing, 1);
  step.solution.forEach((e, j) => {
    const before = step.solution[j - 1];
    if (!isWaitFor(e) || before === undefined || isWaitFor(before) || !FAILOVER_CAUSES.has(before.kind)) return;
    if (!awaitsFailover(e.waitFor) || e.timeoutMs >= needMs) return;
    report({
      file,
      path: formatPath(['steps', i, 'solution', j, 'timeoutMs']),
      message: `this waits for a failover for ${humanMs(e.timeoutMs)}; allow ${humanMs(needMs)}: when the first election splits the vote, Sentinel tries again 2 x failover-timeout (${humanMs(timing.failoverTimeoutMs)}) later`,
    });
  });
}

function solutionProblems(step: LessonStep, i: number, file: string, report: Report): void {
  step.solution.forEach((e, j) => {
    if (isWaitFor(e) || e.kind !== 'workload-start' || e.ratePerSec === undefined) return;
    report({
      file,
      path: formatPath(['steps', i, 'solution', j, 'ratePerSec']),
      message:
        'the workload key starts the workload at the engine default rate and cannot choose one; drop ratePerSec so the solution does what the learner can',
    });
  });
}
