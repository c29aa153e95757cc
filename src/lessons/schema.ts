// The lesson file format (`lessons/NN-slug/lesson.yaml`, format 1) as zod schemas; the TypeScript types are inferred
// from them. Objects are strict, so a typo'd key is an error rather than a silently ignored setting.
import { z } from 'zod';
import { ActionSchema, type LabAction } from '../actions/catalog.js';
import {
  CHANNEL,
  commandToken,
  configToken,
  count,
  ERROR_PREFIX,
  hostRef,
  line,
  MAX_MS,
  markdownPath,
  ms,
  nodeRef,
  redisRef,
  sentinelRef,
  slug,
} from './tokens.js';

export const LESSON_FORMAT = 1;
export { MAX_MS };
export const DEFAULT_STEP_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Actions: the action catalog's schemas (src/actions/), one per kind; LabAction is inferred from the same union.

export { ACTION_KINDS, ActionSchema } from '../actions/catalog.js';

export type ActionDoc = LabAction;

// ---------------------------------------------------------------------------------------------------------------
// Goals: one predicate per object; `all`/`any`/`not` combine them. `holdMs` is allowed only at the top of a goal.

/** Predicate keys in documentation order (holdMs is a modifier, not a predicate). */
export const PREDICATE_KEYS = [
  'all',
  'any',
  'not',
  'roleOf',
  'replicaOf',
  'masterIs',
  'masterIsNot',
  'sentinelsAgree',
  'sentinelNames',
  'eventSeen',
  'notificationSeen',
  'clientResult',
  'processState',
  'linkUp',
  'goodReplicas',
  'tilt',
  'failoverCompleted',
  'failoverTook',
  'converged',
  'faultActive',
  'workload',
  'ledger',
  'masterauthMissing',
  'replicaPriority',
  'configEpoch',
  'clientLatest',
  'sentinelLists',
] as const;

export type PredicateKey = (typeof PREDICATE_KEYS)[number];

const atLeastOne =
  (keys: readonly string[], what: string) =>
  (v: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    if (!keys.some((k) => v[k] !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `${what} needs at least one of: ${keys.join(', ')}` });
    }
  };

const client = z.enum(['A', 'B'], { error: 'client must be "A" or "B"' });
const channel = z.string().regex(CHANNEL, { error: 'must be a Sentinel channel like "+sdown" or "-odown"' });
const processStates = ['starting', 'running', 'frozen', 'stopping', 'stopped', 'exited'] as const;
const big = (what: string) => count(what, 0, 1_000_000);

export const GoalSchema = z
  .strictObject({
    get all() {
      return z.array(GoalSchema).min(1, { error: 'all needs at least one goal' }).max(20).optional();
    },
    get any() {
      return z.array(GoalSchema).min(1, { error: 'any needs at least one goal' }).max(20).optional();
    },
    get not() {
      return GoalSchema.optional();
    },
    roleOf: z.strictObject({ node: redisRef, role: z.enum(['master', 'replica']) }).optional(),
    replicaOf: z.strictObject({ node: redisRef, master: redisRef }).optional(),
    masterIs: redisRef.optional(),
    masterIsNot: redisRef.optional(),
    sentinelsAgree: z.boolean().optional(),
    sentinelNames: z.strictObject({ sentinel: sentinelRef, master: redisRef }).optional(),
    eventSeen: z
      .strictObject({
        channel: channel.optional(),
        /**
         * Only events Sentinel logs at WARNING level. Those about an instance also reach the notification script;
         * `±tilt` and `-script-*` are warnings without an instance, so they never do (sentinel.c, sentinelEvent).
         */
        level: z.literal('warning', { error: 'level can only be "warning"' }).optional(),
        subject: nodeRef.optional(),
        sentinel: sentinelRef.optional(),
        instanceType: z.enum(['master', 'slave', 'sentinel']).optional(),
        minCount: count('minCount', 1, 1000).optional(),
      })
      .superRefine(atLeastOne(['channel', 'level'], 'eventSeen'))
      .optional(),
    notificationSeen: z
      .strictObject({
        channel: channel.optional(),
        sentinel: sentinelRef.optional(),
        minCount: count('minCount', 1, 1000).optional(),
      })
      .optional(),
    clientResult: z
      .strictObject({
        client,
        ok: z.boolean().optional(),
        errorPrefix: z
          .string()
          .regex(ERROR_PREFIX, { error: 'errorPrefix must be the first word of a Redis error, like "NOREPLICAS"' })
          .optional(),
        command: z.enum(['write', 'read']).optional(),
        /** The key the command named (`SET age …` / `GET age`). */
        key: commandToken('key').optional(),
        /** The value a write sent (`SET age 222`); for what a read returned use `text`. */
        value: commandToken('value', 256).optional(),
        node: redisRef.optional(),
        text: line('text', 200).optional(),
        /** For a SET followed by WAIT (the `wait` action): WAIT's reply, how many replicas acknowledged. */
        waitReplicas: count('waitReplicas', 0, 9).optional(),
      })
      .superRefine((v, ctx) => {
        if (v.errorPrefix !== undefined && v.ok === true) {
          ctx.addIssue({
            code: 'custom',
            path: ['ok'],
            message: 'errorPrefix describes a failed command; drop ok: true',
          });
        }
        if (v.value !== undefined && v.command !== 'write') {
          ctx.addIssue({
            code: 'custom',
            path: ['value'],
            message: 'value is what a write sends: add command: write (for what a read returns, use text)',
          });
        }
      })
      .optional(),
    processState: z.strictObject({ node: nodeRef, state: z.enum(processStates) }).optional(),
    linkUp: z.strictObject({ node: redisRef, up: z.boolean() }).optional(),
    goodReplicas: z
      .strictObject({
        node: redisRef,
        atLeast: count('atLeast', 0, 9).optional(),
        atMost: count('atMost', 0, 9).optional(),
      })
      .superRefine(atLeastOne(['atLeast', 'atMost'], 'goodReplicas'))
      .optional(),
    tilt: z.strictObject({ sentinel: sentinelRef, on: z.boolean() }).optional(),
    failoverCompleted: z.boolean().optional(),
    failoverTook: z
      .strictObject({
        atLeastMs: ms('atLeastMs', 0, MAX_MS).optional(),
        atMostMs: ms('atMostMs', 0, MAX_MS).optional(),
      })
      .superRefine(atLeastOne(['atLeastMs', 'atMostMs'], 'failoverTook'))
      .optional(),
    converged: z.boolean().optional(),
    faultActive: z.boolean().optional(),
    workload: z
      .strictObject({
        running: z.boolean().optional(),
        /** The client the workload runs as (the text asks for one; the goal must check it). */
        client: client.optional(),
        acknowledgedAtLeast: big('acknowledgedAtLeast').optional(),
        errorPrefix: z
          .string()
          .regex(ERROR_PREFIX, { error: 'errorPrefix must be the first word of a Redis error, like "NOREPLICAS"' })
          .optional(),
        errorsAtLeast: big('errorsAtLeast').optional(),
      })
      .superRefine(atLeastOne(['running', 'client', 'acknowledgedAtLeast', 'errorPrefix', 'errorsAtLeast'], 'workload'))
      .optional(),
    ledger: z
      .strictObject({
        lostAtLeast: big('lostAtLeast').optional(),
        lostAtMost: big('lostAtMost').optional(),
        acknowledgedAtLeast: big('acknowledgedAtLeast').optional(),
        acknowledgedAtMost: big('acknowledgedAtMost').optional(),
        lossWindowAtMostMs: ms('lossWindowAtMostMs', 0, MAX_MS).optional(),
      })
      .optional(),
    masterauthMissing: z.strictObject({ node: redisRef }).optional(),
    /**
     * Every answering Sentinel (or the one named) lists `node` with this replica-priority (SENTINEL REPLICAS
     * `slave-priority`, which Sentinel reads from the node's INFO every 10 s).
     */
    replicaPriority: z
      .strictObject({ node: redisRef, priority: count('priority', 0, 1000), sentinel: sentinelRef.optional() })
      .optional(),
    /**
     * The configuration epoch a Sentinel holds for the master (SENTINEL MASTER `config-epoch`): the epoch of the
     * failover that made the master it names.
     */
    configEpoch: z
      .strictObject({
        sentinel: sentinelRef,
        atLeast: count('atLeast', 0, 1_000_000).optional(),
        atMost: count('atMost', 0, 1_000_000).optional(),
      })
      .superRefine(atLeastOne(['atLeast', 'atMost'], 'configEpoch'))
      .optional(),
    /**
     * The client's latest result (newer than the step's start, and than the latest `afterEvent` if given) succeeded
     * or failed as given, on the node given or on another one: what a client sees *now* (a pinned client stuck on
     * READONLY, a Sentinel-aware one back).
     */
    clientLatest: z
      .strictObject({
        client,
        ok: z.boolean().optional(),
        errorPrefix: z
          .string()
          .regex(ERROR_PREFIX, { error: 'errorPrefix must be the first word of a Redis error, like "READONLY"' })
          .optional(),
        node: redisRef.optional(),
        notNode: redisRef.optional(),
        /** A substring of the reply (`"222"`, `(nil)`). */
        text: line('text', 200).optional(),
        /**
         * The latest result counts only if it came after (higher seq than) the latest matching Sentinel event since
         * the step started (one occurrence reported by several Sentinels counts from its first report): a read from
         * before a crash says nothing about what the node holds after it.
         */
        afterEvent: z.strictObject({ channel, subject: nodeRef.optional() }).optional(),
      })
      .superRefine((v, ctx) => {
        if (v.errorPrefix !== undefined && v.ok === true) {
          ctx.addIssue({
            code: 'custom',
            path: ['ok'],
            message: 'errorPrefix describes a failed command; drop ok: true',
          });
        }
      })
      .optional(),
    /**
     * What one Sentinel keeps in its lists (SENTINEL REPLICAS / SENTINELS): `listed` whether it lists `node` at
     * all (Sentinels never forget one on their own), `up` whether one of its entries for `node` is neither s_down
     * nor disconnected (an entry at an address nothing answers stays down).
     */
    sentinelLists: z
      .strictObject({
        sentinel: sentinelRef,
        node: nodeRef,
        listed: z.boolean().optional(),
        up: z.boolean().optional(),
      })
      .superRefine(atLeastOne(['listed', 'up'], 'sentinelLists'))
      .optional(),
    holdMs: ms('holdMs', 0, MAX_MS).optional(),
  })
  .superRefine((g, ctx) => {
    const present = PREDICATE_KEYS.filter((k) => g[k] !== undefined);
    if (present.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        params: { oneOf: true },
        message:
          present.length === 0
            ? `a goal needs exactly one predicate (${PREDICATE_KEYS.join(', ')})`
            : `a goal holds exactly one predicate, found ${present.join(' and ')}; combine them with all/any`,
      });
    }
  });

export type Goal = z.infer<typeof GoalSchema>;

/** Which predicate a (validated) goal holds. */
export function predicateOf(goal: Goal): PredicateKey {
  const key = PREDICATE_KEYS.find((k) => goal[k] !== undefined);
  if (!key) throw new Error('goal has no predicate');
  return key;
}

// ---------------------------------------------------------------------------------------------------------------
// Steps and lessons.

export const WaitForSchema = z.strictObject({
  waitFor: GoalSchema,
  timeoutMs: ms('timeoutMs', 1, MAX_MS),
});
export type WaitForEntry = z.infer<typeof WaitForSchema>;

/** A setup/solution entry: an action the keyboard could trigger, or a wait for a condition (never a fixed sleep). */
export const EntrySchema = z.union([ActionSchema, WaitForSchema]);
export type SolutionEntry = z.infer<typeof EntrySchema>;

export function isWaitFor(e: SolutionEntry): e is WaitForEntry {
  return 'waitFor' in e;
}

/** Whether entering the step resets the lab first (its setup starts with `reset`): the step then starts afresh. */
export function startsWithReset(step: Pick<StepDoc, 'setup'>): boolean {
  const first = step.setup[0];
  return first !== undefined && !isWaitFor(first) && first.kind === 'reset';
}

/** One answer a learner can pick before the step's decisive action (number keys 1–4 in the lesson pane). */
export const PredictChoiceSchema = z.strictObject({
  text: line('choice text', 160),
  /** This answer matches what Redis does; several may (when the outcome varies, say which and why in `explain`). */
  correct: z.boolean().default(false),
});

/**
 * Predict, then observe: a question asked when the step starts, before the learner acts, answered by the outcome the
 * step's goal waits for. Skipped in headless runs; the answer is kept in the runner state and in progress.json.
 */
export const PredictSchema = z
  .strictObject({
    question: line('question', 200),
    choices: z
      .array(PredictChoiceSchema)
      .min(2, { error: 'a prediction needs 2 to 4 choices' })
      .max(4, { error: 'a prediction needs 2 to 4 choices' }),
    /** Markdown shown beside the learner's answer once the outcome is in: why Redis did what it did. */
    explain: z.string().min(1).max(2000),
  })
  .superRefine((p, ctx) => {
    if (!p.choices.some((c) => c.correct)) {
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'mark at least one choice correct: true' });
    }
    const seen = new Map<string, number>();
    p.choices.forEach((c, i) => {
      const key = c.text.trim().toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['choices', i, 'text'], message: `same text as choices[${first}]` });
      } else seen.set(key, i);
    });
  });
export type PredictDoc = z.infer<typeof PredictSchema>;

export const StepSchema = z.strictObject({
  id: slug('step id'),
  title: line('title', 80),
  /** Markdown file with the step's prose, relative to the lesson folder. */
  text: markdownPath,
  goal: GoalSchema,
  /** Plain-language goal for the lesson pane; derived from the goal when absent. */
  goalText: line('goalText', 200).optional(),
  setup: z.array(EntrySchema).max(20).default([]),
  hints: z.array(z.string().min(1).max(600)).max(10).default([]),
  solution: z.array(EntrySchema).max(30),
  /** Markdown shown once the goal is met. */
  explain: z.string().min(1).max(6000).optional(),
  /** The goal is expected to hold already when the step starts (an observation step). */
  alreadySolved: z.boolean().default(false),
  /** A question the learner answers before acting; the goal's outcome answers it. */
  predict: PredictSchema.optional(),
  timeoutMs: ms('timeoutMs', 1000, MAX_MS).optional(),
  /**
   * A race in Redis or Sentinel decides whether the step's outcome comes at all (lesson 18's 300 ms). The headless
   * check tries the step up to this many times, each after the lesson's reset (a fresh cluster), as a hint tells
   * the learner to do with ctrl+r; so only on the first step, or on one whose setup starts with `reset`.
   */
  attempts: count('attempts', 1, 5).default(1),
});
export type StepDoc = z.infer<typeof StepSchema>;

const clientSpec = z.strictObject({
  host: hostRef,
  /** `sentinel` (asks the Sentinels for the master) or a Redis node id (pinned, like the note's client B). */
  target: z.union([z.literal('sentinel'), redisRef], { error: 'target must be "sentinel" or a Redis node id' }),
});

/** Canonical topology keys and the spellings accepted for them (the note's Redis config names included). */
export const TOPOLOGY_ALIASES = {
  downAfterMs: ['down-after', 'down-after-milliseconds'],
  failoverTimeoutMs: ['failover-timeout'],
  parallelSyncs: ['parallel-syncs'],
  minReplicasToWrite: ['min-replicas-to-write', 'min-slaves-to-write'],
  minReplicasMaxLagSec: ['min-replicas-max-lag', 'min-slaves-max-lag'],
  replTimeoutSec: ['repl-timeout'],
  replPingReplicaPeriodSec: ['repl-ping-replica-period', 'repl-ping-slave-period'],
} as const;

const downAfter = ms('downAfterMs', 100, MAX_MS);
const failoverTimeout = ms('failoverTimeoutMs', 1000, 3_600_000);
const parallelSyncs = count('parallelSyncs', 1, 9);
const minToWrite = count('minReplicasToWrite', 0, 9);
const maxLag = count('minReplicasMaxLagSec', 0, 3600);
const replTimeout = count('replTimeoutSec', 1, 3600);
const replPing = count('replPingReplicaPeriodSec', 1, 3600);

export const TopologySchema = z
  .strictObject({
    redis: z
      .int({ error: 'redis must be a whole number' })
      .min(1, { error: 'redis must be at least 1 (the master)' })
      .max(10, { error: 'redis must be at most 10: a master and at most 9 replicas' }),
    sentinels: count('sentinels', 0, 9),
    master: redisRef.optional(),
    placement: z.record(nodeRef, hostRef).optional(),
    quorum: count('quorum', 1, 9).optional(),
    downAfterMs: downAfter.optional(),
    'down-after': downAfter.optional(),
    'down-after-milliseconds': downAfter.optional(),
    failoverTimeoutMs: failoverTimeout.optional(),
    'failover-timeout': failoverTimeout.optional(),
    parallelSyncs: parallelSyncs.optional(),
    'parallel-syncs': parallelSyncs.optional(),
    minReplicasToWrite: minToWrite.optional(),
    'min-replicas-to-write': minToWrite.optional(),
    'min-slaves-to-write': minToWrite.optional(),
    minReplicasMaxLagSec: maxLag.optional(),
    'min-replicas-max-lag': maxLag.optional(),
    'min-slaves-max-lag': maxLag.optional(),
    replTimeoutSec: replTimeout.optional(),
    'repl-timeout': replTimeout.optional(),
    replPingReplicaPeriodSec: replPing.optional(),
    'repl-ping-replica-period': replPing.optional(),
    'repl-ping-slave-period': replPing.optional(),
    notificationScript: z.boolean().optional(),
    /** false: Sentinels start knowing only the master and discover replicas and each other for real. */
    preseedSentinelState: z.boolean().optional(),
    withoutMasterauth: z.array(redisRef).max(10).optional(),
    /** `replica-priority` by data node (0: never promoted); the others keep the Redis default 100. */
    replicaPriority: z.record(redisRef, count('replicaPriority', 0, 1000)).optional(),
    /** Data nodes with an append-only file (`appendonly yes`); the lab's default is no persistence. */
    persistence: z.array(redisRef).max(10).optional(),
    /** `requirepass` and `sentinel sentinel-pass` on every Sentinel: the Sentinels' own password. */
    sentinelPassword: configToken('sentinelPassword').optional(),
    /** A least-privilege ACL user of that name on every data node, which the Sentinels log in as (`auth-user`). */
    sentinelAuthUser: configToken('sentinelAuthUser', 40).optional(),
    password: configToken('password').optional(),
    masterName: configToken('masterName', 40).optional(),
    clients: z.strictObject({ A: clientSpec.optional(), B: clientSpec.optional() }).optional(),
  })
  .superRefine((t, ctx) => {
    for (const [canonical, aliases] of Object.entries(TOPOLOGY_ALIASES)) {
      const given = [canonical, ...aliases].filter((k) => (t as Record<string, unknown>)[k] !== undefined);
      if (given.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [given[1] ?? canonical],
          message: `${given.join(' and ')} name the same setting; give only one`,
        });
      }
    }
  })
  .transform((t) => {
    const pick = <K extends keyof typeof TOPOLOGY_ALIASES>(k: K): number | undefined => {
      for (const name of [k, ...TOPOLOGY_ALIASES[k]]) {
        const v = (t as Record<string, unknown>)[name];
        if (typeof v === 'number') return v;
      }
      return undefined;
    };
    return {
      redis: t.redis,
      sentinels: t.sentinels,
      master: t.master,
      placement: t.placement,
      quorum: t.quorum,
      downAfterMs: pick('downAfterMs'),
      failoverTimeoutMs: pick('failoverTimeoutMs'),
      parallelSyncs: pick('parallelSyncs'),
      minReplicasToWrite: pick('minReplicasToWrite'),
      minReplicasMaxLagSec: pick('minReplicasMaxLagSec'),
      replTimeoutSec: pick('replTimeoutSec'),
      replPingReplicaPeriodSec: pick('replPingReplicaPeriodSec'),
      notificationScript: t.notificationScript,
      preseedSentinelState: t.preseedSentinelState,
      withoutMasterauth: t.withoutMasterauth,
      replicaPriority: t.replicaPriority,
      persistence: t.persistence,
      sentinelPassword: t.sentinelPassword,
      sentinelAuthUser: t.sentinelAuthUser,
      password: t.password,
      masterName: t.masterName,
      clients: t.clients,
    };
  });

export type LessonTopology = z.infer<typeof TopologySchema>;

export const LessonSchema = z.strictObject({
  format: z.literal(LESSON_FORMAT, { error: `unsupported format version; this lab reads format: ${LESSON_FORMAT}` }),
  id: slug('lesson id'),
  title: line('title', 80),
  summary: line('summary', 300),
  topology: TopologySchema,
  /** Default time each step's goal may take after its solution started (headless check). */
  stepTimeoutMs: ms('stepTimeoutMs', 1000, MAX_MS).optional(),
  steps: z.array(StepSchema).min(1, { error: 'a lesson needs at least one step' }).max(30),
});

export type LessonDoc = z.infer<typeof LessonSchema>;

/** A validated lesson with its Markdown read in: what the runner, the UI and the headless checker use. */
export interface Lesson extends Omit<LessonDoc, 'steps'> {
  /** Folder name, e.g. `02-noreplicas`. */
  folder: string;
  /** Absolute path of the folder (empty for lessons built in memory). */
  dir: string;
  steps: LessonStep[];
}

export interface LessonStep extends StepDoc {
  /** The Markdown of `text`. */
  prose: string;
}
