// The JSON every headless command prints, as zod schemas: the one description of each shape. docs/json.md's field
// tables are generated from these (scripts/json-docs.ts; a test fails when they differ), the contract tests validate
// real command output against them, and the commands type what they print with them.
//
// Stability: a field is never renamed or removed, and never changes its type, within one schemaVersion; new fields
// may appear (readers must ignore fields they do not know). Times are ISO 8601 strings (UTC) unless the name ends in
// Ms (a duration in milliseconds) or At with a number (ms since the Unix epoch).
import { z } from 'zod';
import type { FailoverRecord } from '../cluster/observe/failover-timeline.js';
import type { FailoverOutcome } from '../cluster/observe/types.js';
import type { VerdictFacts } from '../ledger/check.js';
import type { Measurement } from '../lessons/measured.js';
import { SCHEMA_VERSION } from './schema-version.js';

export { SCHEMA_VERSION };

const version = z.literal(SCHEMA_VERSION).describe('Version of this JSON shape (see "Stability").');
/** Every FailoverOutcome (src/cluster/observe/types.ts); the check below fails to compile when one is missing. */
const FAILOVER_OUTCOMES = [
  'completed',
  'no-quorum',
  'no-majority',
  'aborted',
  'master-returned',
  'role-switched',
  'superseded',
  'switched',
  'abandoned',
] as const satisfies readonly FailoverOutcome[];
const _everyOutcome: FailoverOutcome extends (typeof FAILOVER_OUTCOMES)[number] ? true : never = true;
const iso = (what: string) => z.string().describe(`${what} (ISO 8601, UTC)`);
const nodeId = (what: string) => z.string().describe(what);

// ---------------------------------------------------------------------------------------------------------------
// Shared parts

export const Verdict = z
  .object({
    acknowledged: z.number().describe('Writes Redis acknowledged.'),
    survived: z.number().describe('Acknowledged writes present in the final read.'),
    lost: z.number().describe('Acknowledged writes absent from the final read: the headline number.'),
    failed: z.number().describe('Writes Redis refused (NOREPLICAS, READONLY, …).'),
    unknown: z.number().describe('Writes with no answer (timeouts, in flight at the end).'),
    unexpected: z.number().describe('Present in the final read but never written by the workload.'),
    lostFraction: z.number().describe('lost / acknowledged (0 when nothing was acknowledged).'),
    lossWindowMs: z
      .number()
      .describe('From the first to the last acknowledgement of a lost write, in ms (0: none lost).'),
    firstLostAt: iso('When the first lost write was acknowledged').nullable(),
    lastLostAt: iso('When the last lost write was acknowledged').nullable(),
    lostByNode: z.record(z.string(), z.number()).describe('Lost writes by the node that acknowledged them.'),
    lossWindows: z
      .array(
        z.object({
          node: nodeId('Node that acknowledged them.'),
          firstAt: iso('First acknowledgement in this run'),
          lastAt: iso('Last acknowledgement in this run'),
          count: z.number().describe('Lost writes in this run.'),
        }),
      )
      .describe('Runs of lost writes per node, split at gaps longer than 2 s.'),
    finalMaster: nodeId('The node the final read ran on.'),
    finalCount: z.number().describe('Members in the final read.'),
    valid: z.boolean().describe('Nothing lost and nothing unexpected.'),
  })
  .describe('The ledger verdict: what happened to every write of the workload.');

const role = z.enum(['master', 'replica']).nullable();
const m = <P extends string, S extends z.ZodRawShape>(predicates: readonly [P, ...P[]], shape: S, what: string) =>
  z.object({ predicate: z.enum(predicates).describe('The goal predicate measured.'), ...shape }).describe(what);

export const Measured = z
  .union([
    m(['roleOf'], { node: z.string(), role, master: z.string().nullable() }, 'roleOf: the role the node reports.'),
    m(['replicaOf'], { node: z.string(), role, master: z.string().nullable() }, 'replicaOf: whom the node replicates.'),
    m(['masterIs', 'masterIsNot'], { master: z.string().nullable() }, 'masterIs / masterIsNot: the master now.'),
    m(
      ['sentinelsAgree'],
      {
        answering: z.number(),
        named: z.record(z.string(), z.string().nullable()),
        agree: z.boolean(),
      },
      'sentinelsAgree: what each answering Sentinel names.',
    ),
    m(['sentinelNames'], { sentinel: z.string(), master: z.string().nullable() }, 'sentinelNames: what it names.'),
    m(
      ['eventSeen', 'notificationSeen'],
      { count: z.number(), minCount: z.number() },
      'eventSeen / notificationSeen: how many since the step started.',
    ),
    m(
      ['clientResult'],
      {
        client: z.string(),
        matching: z.number(),
        ok: z.boolean().nullable(),
        text: z.string().nullable(),
        node: z.string().nullable(),
        waitReplicas: z.number().nullable(),
      },
      'clientResult: the matching command results since the step started, and the one shown.',
    ),
    m(['processState'], { node: z.string(), state: z.string() }, 'processState: the process state.'),
    m(['linkUp'], { node: z.string(), up: z.boolean().nullable() }, 'linkUp: the replica’s master link.'),
    m(
      ['goodReplicas'],
      { node: z.string(), good: z.number().nullable(), maxLagSec: z.number() },
      'goodReplicas: replicas acknowledged within min-replicas-max-lag.',
    ),
    m(
      ['tilt'],
      { sentinel: z.string(), tilt: z.boolean().nullable(), tiltSinceSec: z.number().nullable() },
      'tilt: whether the Sentinel is in TILT.',
    ),
    m(['failoverCompleted'], { completed: z.number() }, 'failoverCompleted: failovers completed since the step.'),
    m(
      ['failoverTook'],
      { ms: z.number().nullable(), newMaster: z.string().nullable() },
      'failoverTook: ms from the fault to the first +switch-master.',
    ),
    m(['converged'], { converged: z.boolean(), master: z.string().nullable() }, 'converged: one settled master.'),
    m(['faultActive'], { active: z.number() }, 'faultActive: network faults active.'),
    m(
      ['workload'],
      { running: z.boolean(), client: z.string().nullable(), acknowledged: z.number(), errors: z.number() },
      'workload: writes acknowledged and failed since the step started.',
    ),
    m(['ledger'], { verdict: Verdict.nullable() }, 'ledger: the verdict (null until there is one).'),
    m(
      ['masterauthMissing'],
      { node: z.string(), hasMasterauth: z.boolean().nullable() },
      'masterauthMissing: whether masterauth is set.',
    ),
    m(
      ['replicaPriority'],
      { node: z.string(), priorities: z.record(z.string(), z.number().nullable()) },
      'replicaPriority: the priority each answering Sentinel lists for the replica (null: not listed).',
    ),
    m(
      ['configEpoch'],
      { sentinel: z.string(), epoch: z.number().nullable() },
      'configEpoch: the epoch of the configuration the Sentinel holds.',
    ),
    m(
      ['clientLatest'],
      { client: z.string(), ok: z.boolean().nullable(), text: z.string().nullable(), node: z.string().nullable() },
      'clientLatest: the client’s latest answer since the step started (nulls: none yet).',
    ),
    m(
      ['sentinelLists'],
      { sentinel: z.string(), node: z.string(), listed: z.boolean().nullable(), up: z.boolean().nullable() },
      'sentinelLists: whether the Sentinel still lists the node, and reaches it (nulls: the Sentinel does not answer).',
    ),
  ])
  .describe('What a goal measured: one record per predicate evaluated (all/any/not contribute their parts’).');

const phases = z
  .object({
    fault: z.number(),
    sdown: z.number(),
    odown: z.number(),
    'try-failover': z.number(),
    elected: z.number(),
    selected: z.number(),
    promoted: z.number(),
    'switch-master': z.number(),
    'reconf-done': z.number(),
    'failover-end': z.number(),
    converted: z.number(),
  })
  .partial()
  .describe('Each phase reached: ms since the start (the fault, else the first +sdown).');

export const Failover = z
  .object({
    id: z.string().describe('Stable id of this failover.'),
    oldMaster: z.string().nullable().describe('The master that failed (node id, or ip:port).'),
    newMaster: z.string().nullable().describe('The replica it promoted (or selected, when it never got further).'),
    startedAt: iso('Its start: the injected fault, else the first +sdown (a later attempt: its +try-failover)'),
    cause: z.string().nullable().describe('The lab action that caused it, when one did.'),
    status: z.enum(['open', ...FAILOVER_OUTCOMES]).describe('open, or how it ended.'),
    reason: z
      .string()
      .nullable()
      .describe('Why it ended without a promotion, or (switched) why its leader sent no +failover-end.'),
    abortChannel: z.string().nullable().describe('The raw channel when Sentinel aborted (-failover-abort-…).'),
    epoch: z.number().nullable().describe('The failover epoch.'),
    leader: z.string().nullable().describe('The Sentinel elected to carry it out.'),
    phasesMs: phases,
    switchedByMs: z.record(z.string(), z.number()).describe('Sentinel id -> ms since the start of its +switch-master.'),
    reconfigured: z.array(z.string()).describe('Replicas repointed (+slave-reconf-done).'),
    settings: z
      .object({
        downAfterMs: z.number(),
        failoverTimeoutMs: z.number(),
        quorum: z.number().nullable(),
        parallelSyncs: z.number().nullable(),
      })
      .describe('The Sentinel settings in force when it began (re-read every probe round).'),
    attempts: z
      .array(
        z.object({
          atMs: z.number(),
          outcome: z.enum(FAILOVER_OUTCOMES),
          reason: z.string(),
          channel: z.string().nullable(),
        }),
      )
      .describe(
        'Earlier attempts of the same outage in which no leader was elected (a retried election joins until one is won; an elected attempt is a failover of its own).',
      ),
  })
  .describe('One failover, from its fault to the old master converted.');

const settings = z
  .object({
    quorum: z.number(),
    downAfterMs: z.number(),
    failoverTimeoutMs: z.number(),
    parallelSyncs: z.number(),
    minReplicasToWrite: z.number(),
    minReplicasMaxLagSec: z.number(),
  })
  .describe('Settings in force now, re-read every probe round (SENTINEL MASTER; CONFIG GET on the master).');

const nodeView = z.object({
  state: z.string().describe('running, unreachable, frozen, exited, stopped, starting, stopping.'),
  exit: z.string().optional().describe('For exited/stopped: the signal (SIGKILL) or `code N`, when known.'),
});

export const View = z
  .object({
    redis: z.record(
      z.string(),
      nodeView.extend({
        role: z.string().optional(),
        master: z.string().optional(),
        link: z.string().optional(),
        lagBytes: z.number().optional(),
      }),
    ),
    sentinels: z.record(
      z.string(),
      nodeView.extend({
        master: z.string().optional(),
        flags: z.string().optional(),
        tilt: z.boolean().optional(),
        epoch: z.number().optional(),
      }),
    ),
    faults: z.array(z.string()).describe('Active network faults: `id: description`.'),
    settings,
  })
  .describe('The live view.');

// ---------------------------------------------------------------------------------------------------------------
// `up --json`

const NodeRow = z.object({
  id: z.string(),
  role: z.string().describe('master, replica or sentinel.'),
  host: z.string(),
  ip: z.string().describe('Public address (through the fabric).'),
  port: z.number(),
  pid: z.number().nullable(),
  cli: z.string().describe('The redis-cli line that reaches it (valkey-cli where only that client is installed).'),
});

const HostRow = z.object({
  id: z.string(),
  ip: z.string().describe('Where its processes listen and connect from.'),
  publicIp: z.string().describe('Where the fabric listens for its nodes.'),
  gateway: z
    .string()
    .nullable()
    .describe('Connect here (on any node’s port) to be a client on this host: partitioned and delayed with it.'),
});

export const UpReady = z
  .object({
    schemaVersion: version,
    event: z.literal('ready'),
    readyMs: z.number().describe('From start to ready.'),
    runId: z.string(),
    runDir: z.string(),
    basePort: z.number(),
    portsMoved: z.object({ from: z.number(), to: z.number(), reason: z.string() }).nullable(),
    networkMode: z.enum(['hosts', 'single-ip']),
    controlSocket: z.string().nullable().describe('The socket `do` and `watch` use (null when it could not open).'),
    nodes: z.array(NodeRow),
    hosts: z.array(HostRow),
  })
  .describe('`up --json`: printed once the cluster is ready.');

export const UpStopped = z
  .object({
    schemaVersion: version,
    event: z.literal('stopped'),
    signal: z.string().describe('What stopped it (SIGINT, SIGTERM, …).'),
  })
  .describe('`up --json`: printed after everything stopped.');

// ---------------------------------------------------------------------------------------------------------------
// `watch --json`

const rec = <T extends string, S extends z.ZodRawShape>(type: T, shape: S, what: string) =>
  z
    .object({
      schemaVersion: version,
      type: z.literal(type),
      ts: iso('When it was printed'),
      ...shape,
    })
    .describe(what);

export const WatchStatus = rec(
  'status',
  {
    attached: z.boolean().describe('Attached to a running lab (else it runs a cluster of its own).'),
    runId: z.string(),
    basePort: z.number().nullable(),
    labPid: z.number().nullable().describe('The process of the lab attached to.'),
  },
  '`watch --json`: first record.',
);
export const WatchReady = rec('ready', { readyMs: z.number() }, '`watch --json`: its own cluster is ready.');
export const WatchView = rec('view', { view: View }, '`watch --json`: the view, whenever it changes.');
export const WatchEvent = rec(
  'event',
  {
    sentinel: z.string(),
    channel: z.string().describe('Raw channel, e.g. +switch-master.'),
    payload: z.string(),
    gloss: z.string().describe('The event in plain words.'),
    severity: z.enum(['info', 'notice', 'warning', 'critical']),
    subject: z.string().nullable().describe('The node it is about.'),
  },
  '`watch --json`: one Sentinel event (PSUBSCRIBE *).',
);
export const WatchFailover = rec(
  'failover',
  { failover: Failover },
  '`watch --json`: a failover, whenever it changes.',
);
export const WatchDetached = rec(
  'detached',
  { reason: z.string().describe('Why: the lab is stopping, or its process is gone.') },
  '`watch --json`: the lab attached to stopped; watch exits 0.',
);

// ---------------------------------------------------------------------------------------------------------------
// `do --json`

export const DoResult = z
  .object({
    schemaVersion: version,
    type: z.literal('do'),
    runId: z.string(),
    action: z.record(z.string(), z.unknown()).describe('The action, as the catalog and lesson files write it.'),
    title: z.string(),
    equivalent: z.string().describe('The real command it stands for.'),
    ok: z.boolean(),
    result: z.string().nullable().describe('What came of it, or why it failed.'),
    refused: z
      .object({ reason: z.string(), hint: z.string().nullable() })
      .nullable()
      .describe('The lab cannot do this kind of action (nothing was attempted).'),
  })
  .describe('`do <action> --json`: the outcome.');

// ---------------------------------------------------------------------------------------------------------------
// `lesson …`

const Step = z.object({
  id: z.string(),
  passed: z.boolean(),
  ms: z.number().describe('From the start of the setup to the verdict.'),
  detail: z.string().describe('The goal’s sentence.'),
  measured: z.array(Measured).optional().describe('What the goal measured (absent when not evaluated).'),
  skipped: z.boolean().optional().describe('Not run: an earlier step failed.'),
  attempts: z
    .number()
    .optional()
    .describe(
      'How many times the step was tried, when more than once: a step whose outcome a race decides (`attempts` in its lesson) is tried again on a fresh cluster; `detail` names each miss.',
    ),
  events: z
    .array(z.string())
    .optional()
    .describe(
      'A failed step only: its Sentinel events, one line each (`+4.2 s  +sdown redis-2  (sentinel-1, sentinel-3)`, time from the step’s start), at most 60, the newest kept.',
    ),
});

export const LessonReport = z
  .object({
    schemaVersion: version,
    type: z.literal('lesson'),
    lessonId: z.string(),
    passed: z.boolean(),
    ms: z.number(),
    steps: z.array(Step),
    error: z.string().optional().describe('The lab failed to start or stop.'),
  })
  .describe('`lesson run ID --headless --json` and `lesson check --run --json`: one per lesson.');

export const LessonCheck = z
  .object({
    schemaVersion: version,
    type: z.literal('check'),
    ok: z.boolean(),
    lessons: z.array(z.string()),
  })
  .describe('`lesson check --json` (without --run).');

export const LessonEntry = z
  .object({
    schemaVersion: version,
    type: z.literal('lesson-entry'),
    id: z.string(),
    folder: z.string(),
    title: z.string(),
    summary: z.string(),
    steps: z.number(),
    completed: z.boolean(),
    completedSteps: z.number(),
  })
  .describe('`lesson list --json`: one per lesson.');

export const DoctorReport = z
  .object({
    schemaVersion: version,
    type: z.literal('doctor'),
    ok: z.boolean().describe('Every check passed (warnings allowed); the exit code says the same.'),
    checks: z.array(
      z.object({
        name: z.string().describe('What was checked (`Node.js`, `Redis server`, `Ports`, `Run directory`, …).'),
        ok: z.boolean(),
        warning: z.boolean().optional().describe('Passed, with something to know (it does not fail doctor).'),
        detail: z.string().describe('What was found.'),
        hint: z.string().optional().describe('How to fix it.'),
      }),
    ),
  })
  .describe('`doctor --json`: one record.');

export const CleanReport = z
  .object({
    schemaVersion: version,
    event: z.literal('cleaned'),
    runs: z.array(z.string()).describe('Run directories removed.'),
    killed: z.array(z.number()).describe('Pids stopped (each proven the lab’s own).'),
    live: z
      .array(z.object({ dir: z.string(), labPid: z.number() }))
      .describe('Run directories left alone: their lab is running.'),
    kept: z.array(z.string()).describe('Run directories kept with --keep (`clean --all` removes them).'),
  })
  .describe('`clean --json`: one record.');

/** Every record, by the name the docs use. */
export const JSON_RECORDS = {
  'up: ready': UpReady,
  'up: stopped': UpStopped,
  'watch: status': WatchStatus,
  'watch: ready': WatchReady,
  'watch: view': WatchView,
  'watch: event': WatchEvent,
  'watch: failover': WatchFailover,
  'watch: detached': WatchDetached,
  do: DoResult,
  'lesson: report': LessonReport,
  'lesson: check': LessonCheck,
  'lesson: list entry': LessonEntry,
  doctor: DoctorReport,
  clean: CleanReport,
  'shared: failover': Failover,
  'shared: verdict': Verdict,
  'shared: measured': Measured,
} as const;

// Compile-time: the engine's own shapes are what the schemas describe.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T | undefined => undefined;
agree<Same<z.infer<typeof Verdict>, VerdictFacts>>();
agree<Same<z.infer<typeof Failover>, FailoverRecord>>();
agree<Same<z.infer<typeof Measured>, Measurement>>();
