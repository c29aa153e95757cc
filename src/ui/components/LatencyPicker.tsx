// Latency picker: from host, to host, delay, jitter and direction; ←/→ change the focused field.
import { Box, Text } from 'ink';
import { actionLine } from '../../actions/catalog.js';
import { useTheme } from '../hooks/use-theme.js';
import { pad } from '../lib/format.js';
import { LATENCY_FIELDS, latencyAction } from '../lib/pickers.js';
import type { Modal } from '../state/ui-store.js';
import { Pane } from './Pane.js';

type Form = Extract<Modal, { kind: 'latency' }>;

export function LatencyPicker({ width, height, form }: { width: number; height: number; form: Form }) {
  const theme = useTheme();
  const values: Record<(typeof LATENCY_FIELDS)[number], string> = {
    from: form.from,
    to: form.to,
    latency: `${form.latencyMs} ms`,
    jitter: `±${form.jitterMs} ms`,
    direction: form.bothWays ? 'both ways ⇄' : 'one way →',
  };
  const preview = latencyAction(form);
  const rows = [
    <Text key="help" wrap="wrap" {...theme.style('status.muted')}>
      ↑/↓ field · ←/→ change · Enter apply · Esc cancel
    </Text>,
    ...LATENCY_FIELDS.map((f, i) => (
      <Text key={f} wrap="truncate-end" {...(i === form.field ? theme.style('selection') : {})}>
        {i === form.field ? '▶ ' : '  '}
        {pad(f, 10)} ‹ {values[f]} ›
      </Text>
    )),
    'error' in preview ? (
      <Text key="prev" wrap="wrap" {...theme.style('status.error')}>
        ✗ {preview.error}
      </Text>
    ) : (
      <Text key="prev" wrap="wrap" {...theme.style('status.ok')}>
        → {actionLine(preview.action)}
      </Text>
    ),
  ];
  if (form.error) {
    rows.push(
      <Text key="err" wrap="wrap" {...theme.style('status.error')}>
        ✗ {form.error}
      </Text>,
    );
  }
  return (
    <Pane width={width} height={height} focused={true} title="Latency on a link">
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, Math.max(0, height - 2))}
      </Box>
    </Pane>
  );
}
