// What a lesson goal measured, as numbers next to its sentence: one record per predicate evaluated (`all`, `any` and
// `not` contribute their parts'), so a script compares runs without parsing prose. The JSON shape is documented in
// docs/json.md (generated from src/commands/json-schemas.ts, which checks it matches these types).
import type { VerdictFacts } from '../ledger/check.js';

export type Measurement =
  | { predicate: 'roleOf'; node: string; role: 'master' | 'replica' | null; master: string | null }
  | { predicate: 'replicaOf'; node: string; role: 'master' | 'replica' | null; master: string | null }
  | { predicate: 'masterIs' | 'masterIsNot'; master: string | null }
  | { predicate: 'sentinelsAgree'; answering: number; named: Record<string, string | null>; agree: boolean }
  | { predicate: 'sentinelNames'; sentinel: string; master: string | null }
  | { predicate: 'eventSeen' | 'notificationSeen'; count: number; minCount: number }
  | {
      predicate: 'clientResult';
      client: string;
      matching: number;
      ok: boolean | null;
      text: string | null;
      node: string | null;
      /** WAIT's answer, for a `wait` command. */
      waitReplicas: number | null;
    }
  | { predicate: 'processState'; node: string; state: string }
  | { predicate: 'linkUp'; node: string; up: boolean | null }
  | { predicate: 'goodReplicas'; node: string; good: number | null; maxLagSec: number }
  | { predicate: 'tilt'; sentinel: string; tilt: boolean | null; tiltSinceSec: number | null }
  | { predicate: 'failoverCompleted'; completed: number }
  | { predicate: 'failoverTook'; ms: number | null; newMaster: string | null }
  | { predicate: 'converged'; converged: boolean; master: string | null }
  | { predicate: 'faultActive'; active: number }
  | {
      predicate: 'workload';
      running: boolean;
      client: string | null;
      acknowledged: number;
      errors: number;
    }
  | { predicate: 'ledger'; verdict: VerdictFacts | null }
  | { predicate: 'masterauthMissing'; node: string; hasMasterauth: boolean | null }
  | { predicate: 'replicaPriority'; node: string; priorities: Record<string, number | null> }
  | { predicate: 'configEpoch'; sentinel: string; epoch: number | null }
  | {
      predicate: 'clientLatest';
      client: string;
      ok: boolean | null;
      text: string | null;
      node: string | null;
    }
  | { predicate: 'sentinelLists'; sentinel: string; node: string; listed: boolean | null; up: boolean | null };

export type MeasuredPredicate = Measurement['predicate'];
