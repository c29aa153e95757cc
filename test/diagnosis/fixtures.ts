// Recorded raw snapshots (test/fixtures/remote) and their facts, for the diagnosis tests. Each call returns a fresh
// copy, so a test may change it to plant one problem.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Facts, factsFrom } from '../../src/diagnosis/facts.js';
import type { RawSnapshot } from '../../src/diagnosis/snapshot.js';

export type SnapshotName =
  | 'redis-7.0.15-healthy'
  | 'redis-7.0.15-noauth-stale'
  | 'valkey-8.0.1-healthy'
  | 'redis-6.2.9-healthy';

export function snapshot(name: SnapshotName): RawSnapshot {
  const file = fileURLToPath(new URL(`../fixtures/remote/${name}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
}

export function facts(name: SnapshotName): Facts {
  return factsFrom(snapshot(name));
}

/** A facts object's sentinel / node / view by id, failing loudly when absent. */
export function sentinel(f: Facts, id: string) {
  const s = f.sentinels.find((x) => x.id === id);
  if (!s) throw new Error(`no ${id}`);
  return s;
}

export function node(f: Facts, id: string, master = 'mymaster') {
  const e = f.masters.find((m) => m.name === master)?.nodes.find((n) => n.id === id)?.endpoint;
  const n = e && f.nodes.find((x) => x.endpoint.host === e.host && x.endpoint.port === e.port);
  if (!n) throw new Error(`no ${id}`);
  return n;
}

export function view(f: Facts, sentinelId: string, master = 'mymaster') {
  const v = sentinel(f, sentinelId).views[master];
  if (!v) throw new Error(`${sentinelId} has no view of ${master}`);
  return v;
}
