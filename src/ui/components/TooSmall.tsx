// Shown instead of the panes when the terminal is below the minimum; the app recovers on resize.
import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { MIN_SIZE } from '../layout.js';

export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  const theme = useTheme();
  return (
    <Box width={columns} height={rows} flexDirection="column" justifyContent="center" alignItems="center">
      <Text wrap="truncate-end" {...theme.style('text.title')}>
        redis-sentinel-lab
      </Text>
      <Text wrap="wrap" {...theme.style('status.warn')}>
        needs at least {MIN_SIZE.columns}x{MIN_SIZE.rows} (now {columns}x{rows}) — enlarge the window
      </Text>
      <Text wrap="truncate-end" {...theme.style('status.muted')}>
        q quits
      </Text>
    </Box>
  );
}
