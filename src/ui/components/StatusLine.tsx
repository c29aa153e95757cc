// The feedback row: an open text prompt, "killing redis-1…" with a spinner while the lab works, else the
// last result (✓/✗), so every key press visibly does something.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { Spinner } from './Spinner.js';

export const StatusLine = memo(function StatusLine({ width }: { width: number }) {
  const theme = useTheme();
  const modal = useUi((s) => s.modal);
  const pending = useUi((s) => s.pending);
  const last = useUi((s) => s.lastResult);
  const quitting = useUi((s) => s.quitting);

  let body: ReactNode;
  if (modal?.kind === 'prompt') {
    body = (
      <Text wrap="truncate-end">
        <Text {...theme.style('text.key')}>{modal.label}: </Text>
        <Text>{modal.text}</Text>
        <Text {...theme.style('selection')}>{theme.mode === 'none' ? '_' : ' '}</Text>
      </Text>
    );
  } else if (modal?.kind === 'confirm') {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.warn')}>
        {modal.text} [y/N]
      </Text>
    );
  } else if (quitting) {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.warn')}>
        <Spinner /> stopping {quitting.processes} processes…
      </Text>
    );
  } else if (pending.length) {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.info')}>
        <Spinner /> {pending.map((p) => p.text).join(' · ')}
      </Text>
    );
  } else if (last) {
    body = (
      <Text wrap="truncate-end" {...theme.style(last.info ? 'status.info' : last.ok ? 'status.ok' : 'status.error')}>
        {last.info ? 'ℹ' : last.ok ? '✓' : '✗'} {last.text}
      </Text>
    );
  } else {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.muted')}>
        Select a node with ↑/↓, break it with x/s/z, partition hosts with p. Press ? for every key.
      </Text>
    );
  }
  return (
    <Box width={width} height={1} flexShrink={0}>
      {body}
    </Box>
  );
});
