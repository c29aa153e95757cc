// What a diagnosis says: findings, each with what was observed where, the exact fix, and the lesson that teaches it.

export type Severity = 'critical' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** Lessons a finding may point to (some are being written; referenced by id, as `--lesson <id>` takes them). */
export const LESSON_IDS = [
  'tour',
  'events',
  'failover',
  'clients',
  'replica-selection',
  'no-good-replica',
  'quorum',
  'hello-epochs',
  'masterauth',
  'sentinel-auth',
  'announce',
  'stale-state',
  'split-brain',
  'noreplicas',
  'bounded-loss',
  'wait',
  'reboot',
  'timing',
  'tilt',
] as const;
export type LessonId = (typeof LESSON_IDS)[number];

export const FINDING_IDS = [
  'sentinels-disagree',
  'master-down',
  'announced-address-unreachable',
  'announced-address-mismatch',
  'replica-noauth',
  'replica-link-down',
  'quorum-unreachable',
  'majority-unreachable',
  'stale-replica',
  'stale-sentinel',
  'sentinel-unreachable',
  'credentials-refused',
  'down-after-too-low',
  'down-after-too-high',
  'min-replicas-off',
  'persistence-off',
  'no-promotable-replica',
  'sentinel-tilt',
  'clock-skew',
  'sentinel-settings-differ',
  'reads-refused',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

/** One observation behind a finding: where it was read, and what it said. */
export interface Evidence {
  /** `sentinel-2 (10.0.0.7:26379) SENTINEL REPLICAS mymaster`, `redis-3 (10.0.0.6:6379) INFO replication`. */
  where: string;
  saw: string;
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** The master name it concerns (absent for a Sentinel-wide finding such as TILT). */
  master?: string;
  /** The node it is about, `redis-3 (10.0.0.6:6379)`, when there is one. */
  subject?: string;
  title: string;
  evidence: Evidence[];
  /** The exact config lines or commands that fix it, in order. */
  fix: string[];
  lesson: LessonId;
}

/** Whether findings make `inspect` exit 1: any critical or warning one (info findings are hints). */
export function unhealthy(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity !== 'info');
}
