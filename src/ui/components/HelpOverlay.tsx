// `?` overlay: every registry action, grouped, with its keys; laid out in as many columns as fit, long titles
// wrapped rather than cut, scrollable when the terminal is short. An action the deployment cannot do is dimmed and
// says why.
import { Box, Text } from 'ink';
import { memo, useEffect } from 'react';
import type { MissingCapabilities } from '../../deployments/deployment.js';
import { useController, useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUiStore } from '../hooks/use-ui.js';
import { actionEntries, actionTitle, GROUPS, type Group } from '../keymap/actions.js';
import { unavailableReason } from '../keymap/dispatch.js';
import { formatKeys } from '../keymap/keys.js';
import { PANE_TITLES, type PaneId } from '../layout.js';
import { pad } from '../lib/format.js';
import { wrapSpans } from '../lib/markdown.js';
import { uiOps } from '../state/ui-store.js';

interface Entry {
  id: string;
  keys: string;
  title: string;
  /** The deployment cannot do it (the title says why). */
  dimmed?: boolean;
}

/** Every action in registry group order, with where it applies when that is not everywhere, and why not when not. */
export function helpGroups(
  unavailable: MissingCapabilities = {},
  masterName = 'mymaster',
): Array<{ group: Group; entries: Entry[] }> {
  return GROUPS.map((group) => ({
    group,
    entries: actionEntries
      .filter(([, a]) => a.group === group)
      .map(([id, a]) => {
        const pane =
          a.scope === 'global' || a.scope.startsWith('modal:') ? '' : ` (${PANE_TITLES[a.scope as PaneId]} pane)`;
        const why = unavailableReason(a, { controller: { unavailable } });
        const title = `${actionTitle(a, masterName)}${pane}${why ? ` — unavailable: ${why.reason}` : ''}`;
        return { id, keys: formatKeys(a.keys), title, ...(why ? { dimmed: true } : {}) };
      }),
  })).filter((g) => g.entries.length > 0);
}

type Row = { id: string; kind: 'group' | 'entry' | 'more'; keys?: string; text: string; dimmed?: boolean };

interface HelpLayout {
  inner: number;
  keyWidth: number;
  colWidth: number;
  columns: Row[][];
}

let cached: { key: string; layout: HelpLayout } | undefined;

/** Blank columns between one column's longest title and the next column's keys. */
export const GUTTER = 3;

/**
 * The overlay's columns for a size. The registry is static and a deployment's capabilities do not change, so the
 * last result is kept: reopening costs nothing.
 */
export function helpLayout(
  width: number,
  height: number,
  unavailable: MissingCapabilities = {},
  masterName = 'mymaster',
): HelpLayout {
  const key = `${width}x${height} ${masterName} ${JSON.stringify(unavailable)}`;
  if (cached?.key === key) return cached.layout;
  const groups = helpGroups(unavailable, masterName);
  const inner = Math.max(1, height - 3);
  const keyWidth = Math.max(...groups.flatMap((g) => g.entries.map((e) => e.keys.length))) + 2;
  const ncols = Math.max(1, Math.min(3, Math.floor((width - 2) / 50)));
  const colWidth = Math.floor((width - 2) / ncols);
  // A gutter of GUTTER spaces after each column's titles: a wrapped title never runs into the next column's key.
  const titleWidth = Math.max(10, colWidth - keyWidth - GUTTER);

  const blocks: Row[][] = groups.map(({ group, entries }) => [
    { id: `g-${group}`, kind: 'group', text: group },
    ...entries.flatMap((e) =>
      wrapSpans([{ text: e.title, style: 'plain' }], titleWidth).map(
        (line, i): Row => ({
          id: `${e.id}-${i}`,
          kind: i ? 'more' : 'entry',
          keys: i ? '' : e.keys,
          text: line.map((s) => s.text).join(''),
          ...(e.dimmed ? { dimmed: true } : {}),
        }),
      ),
    ),
  ]);
  const total = blocks.reduce((n, b) => n + b.length + 1, 0);
  // Fill columns up to the visible height; only when everything cannot fit do columns grow (and scroll).
  const target = Math.max(inner, Math.ceil(total / ncols));
  const columns: Row[][] = [[]];
  for (const block of blocks) {
    let col = columns[columns.length - 1] ?? [];
    if (col.length && col.length + 1 + block.length > target && columns.length < ncols) {
      col = [];
      columns.push(col);
    }
    if (col.length) col.push({ id: `gap-${block[0]?.id}`, kind: 'more', text: '' });
    col.push(...block);
  }
  const layout = { inner, keyWidth, colWidth, columns };
  cached = { key, layout };
  return layout;
}

export const HelpOverlay = memo(function HelpOverlay({
  width,
  height,
  scroll,
}: {
  width: number;
  height: number;
  scroll: number;
}) {
  const theme = useTheme();
  const uiStore = useUiStore();
  const { unavailable } = useController();
  const masterName = useLab((s) => s.topology.sentinel.masterName);
  const { inner, keyWidth, colWidth, columns } = helpLayout(width, height, unavailable, masterName);
  const maxLen = Math.max(...columns.map((c) => c.length));
  const maxTop = Math.max(0, maxLen - inner);
  const top = Math.min(scroll, maxTop);
  useEffect(() => {
    // Keep the stored offset within range so scrolling back up responds at once.
    if (scroll > maxTop) uiOps.patchModal(uiStore, 'help', { scroll: maxTop });
  }, [scroll, maxTop, uiStore]);
  const color = theme.border('border.modal');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={color} flexShrink={0}>
      <Box height={1} flexShrink={0}>
        <Text wrap="truncate-end">
          <Text {...theme.style('text.title')}> Keys </Text>
          <Text {...theme.style('status.muted')}>
            — Esc or ? closes
            {maxLen > inner ? ` · ↑/↓ scroll (rows ${top + 1}-${Math.min(maxLen, top + inner)} of ${maxLen})` : ''}
          </Text>
        </Text>
      </Box>
      <Box flexDirection="row" flexShrink={0} height={inner}>
        {columns.map((col) => (
          <Box key={col[0]?.id ?? 'empty'} flexDirection="column" width={colWidth} flexShrink={0}>
            {col.slice(top, top + inner).map((row) =>
              row.kind === 'group' ? (
                <Text key={row.id} wrap="truncate-end" {...theme.style('text.heading')}>
                  {row.text}
                </Text>
              ) : (
                <Text key={row.id} wrap="truncate-end">
                  <Text {...theme.style(row.dimmed ? 'status.muted' : 'text.key')}>
                    {pad(row.keys ?? '', keyWidth)}
                  </Text>
                  <Text {...(row.dimmed ? theme.style('status.muted') : {})}>{row.text || ' '}</Text>
                </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
});
