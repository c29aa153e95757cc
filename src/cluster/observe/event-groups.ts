// Pure folding of per-Sentinel events into display groups: the same channel+payload reported by several
// Sentinels within a short window is shown once, listing who reported it (facts §1.4).
import type { SentinelEvent } from '../events.js';
import { glossBody } from './sentinel-events.js';
import type { EventGroup } from './types.js';

export interface GroupOptions {
  /** Events at most this long after a group's first event may join it. */
  windowMs: number;
  /** Keep at most this many (newest) groups. */
  limit: number;
  /** Groups whose first event has this seq or a lower one take no new events (the cluster was reset after it). */
  closedUpToSeq?: number;
}

function groupGloss(sentinelIds: readonly string[], body: string): string {
  return `${sentinelIds.join(', ')}: ${body}`;
}

function newGroup(e: SentinelEvent): EventGroup {
  const g: EventGroup = {
    key: `${e.channel}|${e.subjectId ?? e.payload}|${e.seq}`,
    channel: e.channel,
    payload: e.payload,
    gloss: e.gloss,
    severity: e.severity,
    firstAt: e.at,
    lastAt: e.at,
    sentinelIds: [e.sentinelId],
    seqs: [e.seq],
    known: e.known,
  };
  if (e.subjectId !== undefined) g.subjectId = e.subjectId;
  return g;
}

function joinGroup(g: EventGroup, e: SentinelEvent): EventGroup {
  const sentinelIds = [...g.sentinelIds, e.sentinelId];
  return {
    ...g,
    lastAt: Math.max(g.lastAt, e.at),
    sentinelIds,
    seqs: [...g.seqs, e.seq],
    gloss: groupGloss(sentinelIds, glossBody(e)),
  };
}

/**
 * Appends events to the groups. Immutable: returns a new array (the same one when `events` is empty); groups that
 * did not change keep their identity. A Sentinel repeating an event starts a new group.
 */
export function appendToGroups(
  groups: EventGroup[],
  events: readonly SentinelEvent[],
  opts: GroupOptions,
): EventGroup[] {
  if (events.length === 0) return groups;
  const next = groups.slice();
  for (const e of events) {
    let joined = false;
    // Newest first; groups older than the window can't take the event.
    for (let i = next.length - 1; i >= 0; i--) {
      const g = next[i];
      if (!g) continue;
      if (e.at - g.firstAt > opts.windowMs) break;
      if (opts.closedUpToSeq !== undefined && (g.seqs[0] ?? 0) <= opts.closedUpToSeq) break;
      if (g.channel === e.channel && g.payload === e.payload && !g.sentinelIds.includes(e.sentinelId)) {
        next[i] = joinGroup(g, e);
        joined = true;
        break;
      }
    }
    if (!joined) next.push(newGroup(e));
  }
  return next.length > opts.limit ? next.slice(next.length - opts.limit) : next;
}
