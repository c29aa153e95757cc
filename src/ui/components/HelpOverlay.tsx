// `?` overlay: every registry action, grouped, with its keys; laid out in as many columns as fit.
import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { actionEntries, GROUPS, type Group } from '../keymap/actions.js';
import { formatKeys } from '../keymap/keys.js';
import { PANE_TITLES, type PaneId } from '../layout.js';
import { pad } from '../lib/format.js';

type Line =
  | { kind: 'group'; id: string; text: string }
  | { kind: 'entry'; id: string; keys: string; title: string }
  | { kind: 'gap'; id: string };

/** Every action as help lines, grouped in registry group order. */
export function helpLines(): Line[][] {
  const byGroup = new Map<Group, Line[]>();
  for (const [id, a] of actionEntries) {
    const lines = byGroup.get(a.group) ?? [{ kind: 'group', id: `g-${a.group}`, text: a.group }];
    const where =
      a.scope === 'global' || a.scope.startsWith('modal:') ? '' : ` (${PANE_TITLES[a.scope as PaneId]} pane)`;
    lines.push({ kind: 'entry', id, keys: formatKeys(a.keys), title: `${a.title}${where}` });
    byGroup.set(a.group, lines);
  }
  return GROUPS.map((g) => byGroup.get(g) ?? []).filter((l) => l.length);
}

export function HelpOverlay({ width, height, scroll }: { width: number; height: number; scroll: number }) {
  const theme = useTheme();
  const groups = helpLines();
  const inner = Math.max(1, height - 3);
  const ncols = Math.max(1, Math.min(3, Math.floor((width - 2) / 50)));
  const colWidth = Math.floor((width - 2) / ncols);
  const total = groups.reduce((n, g) => n + g.length + 1, 0);
  const target = Math.max(inner, Math.ceil(total / ncols));
  const columns: Line[][] = [[]];
  for (const g of groups) {
    let col = columns[columns.length - 1] ?? [];
    if (col.length && col.length + g.length > target && columns.length < ncols) {
      col = [];
      columns.push(col);
    }
    col.push(...g, { kind: 'gap', id: `gap-${g[0]?.id ?? ''}` });
  }
  const maxLen = Math.max(...columns.map((c) => c.length));
  const top = Math.min(scroll, Math.max(0, maxLen - inner));
  const color = theme.border('border.modal');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={color} flexShrink={0}>
      <Box height={1} flexShrink={0}>
        <Text wrap="truncate-end">
          <Text {...theme.style('text.title')}> Keys </Text>
          <Text {...theme.style('status.muted')}>
            — Esc or ? closes
            {maxLen > inner ? ` · ↑/↓ scroll (${top + 1}-${Math.min(maxLen, top + inner)} of ${maxLen})` : ''}
          </Text>
        </Text>
      </Box>
      <Box flexDirection="row" flexShrink={0} height={inner}>
        {columns.map((col) => (
          <Box key={col[0]?.id ?? 'empty'} flexDirection="column" width={colWidth} flexShrink={0}>
            {col.slice(top, top + inner).map((line) =>
              line.kind === 'group' ? (
                <Text key={line.id} wrap="truncate-end" {...theme.style('text.heading')}>
                  {line.text}
                </Text>
              ) : line.kind === 'entry' ? (
                <Text key={line.id} wrap="truncate-end">
                  <Text {...theme.style('text.key')}>{pad(line.keys, 16)}</Text>
                  <Text>{line.title}</Text>
                </Text>
              ) : (
                <Text key={line.id}> </Text>
              ),
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
