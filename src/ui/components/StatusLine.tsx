// The feedback row: an open text prompt, "killing redis-1…" with a spinner while the lab works, else the
// last result (✓/✗), so every key press visibly does something. While the cluster starts, it says what the start
// is waiting on (ui/lib/startup.ts). Before the first result it says what the keys do where the learner is: the
// arrows select nodes, except in the focused lesson pane, where they scroll it.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { readinessGaps } from '../../state/ready.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { type Layout, type PaneId, paneInnerSize } from '../layout.js';
import { startupWaitText } from '../lib/startup.js';
import { Spinner } from './Spinner.js';

/**
 * The idle hint (under 80 columns where the view exists at 80x24). The arrows scroll the lesson while its pane has the focus (the only pane of the lesson-alone
 * view; the key registry's `lessonText.lineDown`), and select nodes everywhere else.
 */
export function idleHint(layout: Layout, focus: PaneId, lessonOpen: boolean): string {
  const lessonShown = lessonOpen && paneInnerSize(layout, 'lesson') !== undefined;
  const view = layout.kind === 'panes' ? layout.view : undefined;
  if (lessonShown && focus === 'lesson') {
    return view === 'lesson'
      ? '↑/↓ or PgUp/PgDn scroll the lesson; L shows the cluster. ? lists every key.'
      : '↑/↓ scroll the lesson; Tab moves to the cluster panes. ? lists every key.';
  }
  if (lessonOpen && view === 'cluster') {
    return '↑/↓ select a node, x/s/z break it; L shows the lesson. ? lists every key.';
  }
  return 'Select a node with ↑/↓, break it with x/s/z, partition hosts with p. Press ? for every key.';
}

export const StatusLine = memo(function StatusLine({ width, layout }: { width: number; layout: Layout }) {
  const theme = useTheme();
  const modal = useUi((s) => s.modal);
  const pending = useUi((s) => s.pending);
  const last = useUi((s) => s.lastResult);
  const quitting = useUi((s) => s.quitting);
  const focus = useUi((s) => s.focus);
  const lessonOpen = useLab((s) => s.lesson !== undefined);
  const starting = useLab((s) => (s.phase === 'starting' ? startupWaitText(readinessGaps(s), s.topology) : undefined));

  let body: ReactNode;
  if (modal?.kind === 'prompt') {
    body = (
      <Text wrap="truncate-end">
        <Text {...theme.style('text.key')}>{modal.label}: </Text>
        <Text>{modal.text}</Text>
        <Text {...theme.style('selection')}>{theme.mode === 'none' ? '_' : ' '}</Text>
        {modal.error ? <Text {...theme.style('status.error')}> ✗ {modal.error}</Text> : null}
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
  } else if (starting !== undefined) {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.info')}>
        Starting: {starting}
      </Text>
    );
  } else {
    body = (
      <Text wrap="truncate-end" {...theme.style('status.muted')}>
        {idleHint(layout, focus, lessonOpen)}
      </Text>
    );
  }
  return (
    <Box width={width} height={1} flexShrink={0}>
      {body}
    </Box>
  );
});
