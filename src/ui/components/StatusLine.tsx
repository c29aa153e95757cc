// The feedback row: an open text prompt, "killing redis-1…" with a spinner while the lab works, else the
// last result (✓/✗), so every key press visibly does something. While the cluster starts, it says what the start
// is waiting on (ui/lib/startup.ts). Before the first result it says what the keys do where the learner is: the
// arrows select nodes, except in the focused lesson pane, where they scroll it.
import { Box, Text } from 'ink';
import { memo, type ReactNode, useRef } from 'react';
import { readinessGaps } from '../../state/ready.js';
import type { LabState } from '../../state/store.js';
import { useController, useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { type Layout, type PaneId, paneInnerSize } from '../layout.js';
import { observesOnly } from '../lib/observed.js';
import { startupWaitText } from '../lib/startup.js';
import { Spinner } from './Spinner.js';

/**
 * The idle hint (under 80 columns where the view exists at 80x24). The arrows scroll the lesson while its pane has the focus (the only pane of the lesson-alone
 * view; the key registry's `lessonText.lineDown`), and select nodes everywhere else.
 */
export function idleHint(layout: Layout, focus: PaneId, lessonOpen: boolean, observed = false): string {
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
  // Attached (lib/observed.ts): nothing here breaks the deployment; dimmed keys say why.
  if (observed)
    return 'Select a node with ↑/↓ to see what it reports; this deployment is only watched. Press ? for every key.';
  return 'Select a node with ↑/↓, break it with x/s/z, partition hosts with p. Press ? for every key.';
}

/**
 * Where the learner is: the lesson, its step, whether the step's prediction is answered, and the view. A result or
 * notice belongs to where it was given: once this changes it is stale ("Predict first…" under the next step), and the
 * line falls back to the idle hint.
 */
function placeKey(s: LabState, layout: Layout): string {
  const l = s.lesson;
  const step = l ? `${l.lessonId}:${l.stepIndex}:${l.predictions[l.stepIndex] ? 'answered' : ''}` : '';
  return `${step}|${layout.kind === 'panes' ? layout.view : layout.kind}`;
}

export const StatusLine = memo(function StatusLine({ width, layout }: { width: number; layout: Layout }) {
  const theme = useTheme();
  const modal = useUi((s) => s.modal);
  const pending = useUi((s) => s.pending);
  const last = useUi((s) => s.lastResult);
  const quitting = useUi((s) => s.quitting);
  const focus = useUi((s) => s.focus);
  const lessonOpen = useLab((s) => s.lesson !== undefined);
  const observed = observesOnly(useController().unavailable);
  const place = useLab((s) => placeKey(s, layout));
  // The place each result was first shown in (a new result object is a new result, even with the same text).
  const shownAt = useRef<{ result: typeof last; place: string } | undefined>(undefined);
  if (shownAt.current?.result !== last) shownAt.current = { result: last, place };
  const current = last !== undefined && shownAt.current?.place === place ? last : undefined;
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
  } else if (current) {
    body = (
      <Text
        wrap="truncate-end"
        {...theme.style(current.info ? 'status.info' : current.ok ? 'status.ok' : 'status.error')}
      >
        {current.info ? 'ℹ' : current.ok ? '✓' : '✗'} {current.text}
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
        {idleHint(layout, focus, lessonOpen, observed)}
      </Text>
    );
  }
  return (
    <Box width={width} height={1} flexShrink={0}>
      {body}
    </Box>
  );
});
