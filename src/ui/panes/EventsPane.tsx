// The Sentinel event stream, grouped (one line per event however many Sentinels reported it): raw channel,
// plain-language gloss, which Sentinels, coloured by severity. A failover timeline sits on top while one exists.
import { Box, Text } from 'ink';
import { memo, type ReactNode, useMemo } from 'react';
import { formatTimeline } from '../../cluster/observe/failover-timeline.js';
import type { EventGroup } from '../../cluster/observe/types.js';
import { type ClusterReset, LIMITS } from '../../state/store.js';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { pad, shortSentinel, sinceStart, truncate } from '../lib/format.js';
import { downAfterNote, fitHeadline, fitPhases, timelineDetail } from '../lib/timeline.js';
import { severityToken } from '../theme/tokens.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

/** The gloss without the "sentinel-1, sentinel-2: " it starts with; the row already says who reported it. */
export function glossBody(g: Pick<EventGroup, 'gloss' | 'sentinelIds'>): string {
  const prefix = `${g.sentinelIds.join(', ')}: `;
  return g.gloss.startsWith(prefix) ? g.gloss.slice(prefix.length) : g.gloss;
}

const RESET_LINE = '── cluster reset: the events above are older ';

/** A row of the pane: an event group, or the line where the cluster was reset (events above it are of the old one). */
export type EventRow = { kind: 'group'; group: EventGroup } | { kind: 'reset'; at: number; key: string };

/**
 * The groups, with a line at each reset that has events above it; resets with no event between them share one line
 * (the latest). Pure; exported for tests.
 */
export function eventRows(groups: readonly EventGroup[], resets: readonly ClusterReset[]): EventRow[] {
  const rows: EventRow[] = [];
  let r = 0;
  // The latest of the resets before `seq` not yet drawn; only drawn below at least one row.
  const resetBefore = (seq: number) => {
    let line: ClusterReset | undefined;
    while (r < resets.length && (resets[r]?.afterSeq ?? 0) < seq) line = resets[r++];
    if (line && rows.length) rows.push({ kind: 'reset', at: line.at, key: `reset-${line.afterSeq}-${line.at}` });
  };
  for (const group of groups) {
    resetBefore(group.seqs[0] ?? 0);
    rows.push({ kind: 'group', group });
  }
  resetBefore(Number.POSITIVE_INFINITY);
  return rows;
}

export const EventsPane = memo(function EventsPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const groups = useLab((s) => s.eventGroups);
  const resets = useLab((s) => s.resets);
  const failover = useLab((s) => s.failovers[s.failovers.length - 1]);
  const startedAt = useLab((s) => s.startedAt);
  const filter = useUi((s) => s.eventFilter);
  const offset = useUi((s) => s.scroll.events ?? 0);
  const cols = innerCols(width);
  const rowsAvail = innerRows(height);

  const shown = useMemo(() => {
    const f = filter.toLowerCase();
    if (!f) return groups;
    return groups.filter((g) =>
      `${g.channel} ${g.gloss} ${g.payload} ${g.subjectId ?? ''} ${g.sentinelIds.join(' ')}`.toLowerCase().includes(f),
    );
  }, [groups, filter]);
  const items = useMemo(() => eventRows(shown, resets), [shown, resets]);

  const top: ReactNode[] = [];
  if (failover) {
    const done = failover.done || failover.aborted !== undefined;
    top.push(
      <Text
        key="tl-head"
        wrap="truncate-end"
        {...theme.style(failover.aborted ? 'status.error' : done ? 'status.ok' : 'status.warn')}
      >
        {fitHeadline(failover, cols)}
      </Text>,
    );
    const detail = timelineDetail(failover);
    if (detail && rowsAvail >= 20) {
      top.push(
        <Text key="tl-detail" wrap="truncate-end" {...theme.style('status.muted')}>
          {'  '}
          {detail}
        </Text>,
      );
    }
    if (rowsAvail >= 28) {
      // Room for one phase per row, each with its time and the setting it is measured against.
      for (const line of formatTimeline(failover)) {
        top.push(
          <Text key={`tl-${line}`} wrap="truncate-end">
            {'  '}
            {line}
          </Text>,
        );
      }
    } else {
      const maxPhase = rowsAvail >= 12 ? 2 : 1;
      for (const line of fitPhases(failover, cols, maxPhase)) {
        top.push(
          <Text key={`tl-${line}`} wrap="truncate-end">
            {line}
          </Text>,
        );
      }
      if (rowsAvail >= 20) {
        top.push(
          <Text key="tl-da" wrap="truncate-end" {...theme.style('status.muted')}>
            {'  '}
            {downAfterNote(failover)}
          </Text>,
        );
      }
    }
  }
  const scrolledBack = Math.min(offset, Math.max(0, items.length - 1));
  if (filter || scrolledBack > 0) {
    const parts: string[] = [];
    if (filter) parts.push(`filter "${filter}": ${shown.length} of ${groups.length} (Esc clears)`);
    if (scrolledBack > 0) parts.push(`▼ ${scrolledBack} newer (End)`);
    top.push(
      <Text key="status" wrap="truncate-end" {...theme.style('status.info')}>
        {parts.join(' · ')}
      </Text>,
    );
  }
  const room = Math.max(0, rowsAvail - top.length);
  const end = items.length - scrolledBack;
  const visible = items.slice(Math.max(0, end - room), end);
  const slice = visible.flatMap((i) => (i.kind === 'group' ? [i.group] : []));
  const narrow = cols < 40;
  const showTime = cols >= 60;
  const wide = cols >= 90;
  // The channel column fits the longest channel shown, up to a cap; longer ones end in … and keep a space.
  const chanCap = Math.max(12, Math.min(22, Math.floor(cols * 0.45)));
  const chanWidth = narrow ? 0 : Math.min(chanCap, Math.max(10, ...slice.map((g) => g.channel.length + 1)));
  const who = (ids: readonly string[]) => ids.map(shortSentinel).join(',');
  const whoWidth = Math.max(2, ...slice.map((g) => who(g.sentinelIds).length)) + 1;
  const rows = visible.map((i) => {
    if (i.kind === 'reset') {
      return (
        <Text key={i.key} wrap="truncate-end" {...theme.style('status.info')}>
          {showTime ? pad(sinceStart(i.at, startedAt), 7) : ''}
          {RESET_LINE}
          {'─'.repeat(Math.max(0, cols - (showTime ? 7 : 0) - RESET_LINE.length))}
        </Text>
      );
    }
    const g = i.group;
    return (
      <Text key={g.key} wrap="truncate-end">
        {showTime ? <Text {...theme.style('status.muted')}>{pad(sinceStart(g.firstAt, startedAt), 7)}</Text> : null}
        <Text {...theme.style(severityToken(g.severity))}>
          {narrow ? `${g.channel} ` : pad(truncate(g.channel, chanWidth - 1), chanWidth)}
        </Text>
        <Text {...theme.style('role.sentinel')}>
          {narrow
            ? `${g.sentinelIds.length > 1 ? `×${g.sentinelIds.length}` : who(g.sentinelIds)} `
            : pad(who(g.sentinelIds), whoWidth)}
        </Text>
        <Text {...(g.known ? {} : theme.style('status.muted'))}>{glossBody(g)}</Text>
        {wide ? <Text {...theme.style('status.muted')}> {g.payload}</Text> : null}
      </Text>
    );
  });
  if (!rows.length && room > 0) {
    rows.push(
      <Text key="empty" wrap="truncate-end" {...theme.style('status.muted')}>
        {filter ? 'no event matches the filter' : 'no Sentinel events yet'}
      </Text>,
    );
  }
  // The store keeps the latest LIMITS.eventGroups: once full, the count stops while events go on, so say so.
  const badge = !groups.length
    ? undefined
    : groups.length >= LIMITS.eventGroups
      ? `latest ${groups.length} events`
      : `${groups.length} ${groups.length === 1 ? 'event' : 'events'}`;
  return (
    <Pane width={width} height={height} focused={focused} title="Sentinel events" tabs={tabs} badge={badge}>
      <Box flexDirection="column" flexShrink={0}>
        {[...top, ...rows].slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
