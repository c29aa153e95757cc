// Sandbox replacement for the lesson pane: the most useful keys, generated from the registry.
import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { actionEntries } from '../keymap/actions.js';
import { formatKeys } from '../keymap/keys.js';
import { pad } from '../lib/format.js';

const GROUPS = new Set(['Node', 'Faults', 'Client', 'Cluster', 'App']);

export function CheatSheet({ rows }: { rows: number }) {
  const theme = useTheme();
  const entries = actionEntries.filter(([, a]) => a.scope === 'global' && GROUPS.has(a.group));
  const lines = [
    <Text key="intro" wrap="truncate-end" {...theme.style('status.muted')}>
      Sandbox: no lesson. Break things and watch Sentinel react.
    </Text>,
    ...entries.map(([id, a]) => (
      <Text key={id} wrap="truncate-end">
        <Text {...theme.style('text.key')}>{pad(formatKeys(a.keys), 8)}</Text>
        <Text>{a.title}</Text>
      </Text>
    )),
  ];
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.slice(0, rows)}
    </Box>
  );
}
