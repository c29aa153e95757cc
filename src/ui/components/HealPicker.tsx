// Heal picker: choose one active fault to remove (H heals them all).
import { Box, Text } from 'ink';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { Pane } from './Pane.js';

export function HealPicker({ width, height, cursor }: { width: number; height: number; cursor: number }) {
  const theme = useTheme();
  const faults = useLab((s) => s.faults);
  const rows = [
    <Text key="help" wrap="wrap" {...theme.style('status.muted')}>
      ↑/↓ choose · Enter heal · Esc cancel
    </Text>,
    ...faults.map((f, i) => (
      <Text key={f.id} wrap="truncate-end" {...(i === cursor ? theme.style('selection') : {})}>
        {i === cursor ? '▶ ' : '  '}╳ {f.description}
      </Text>
    )),
  ];
  if (!faults.length) rows.push(<Text key="none">no active faults</Text>);
  return (
    <Pane width={width} height={height} focused={true} title="Heal a fault">
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, Math.max(0, height - 2))}
      </Box>
    </Pane>
  );
}
