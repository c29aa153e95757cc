// The current lesson step: prose (minimal Markdown, scrollable), the goal with a live ✓/✗ and its detail,
// hints shown so far, and the solution when toggled. In the sandbox it shows a key cheat-sheet instead.
import { Box, Text } from 'ink';
import { memo, type ReactNode, useMemo } from 'react';
import { describeEntry } from '../../lessons/describe.js';
import { CheatSheet } from '../components/CheatSheet.js';
import { MdLineView } from '../components/MdLineView.js';
import { Pane } from '../components/Pane.js';
import { Spinner } from '../components/Spinner.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { renderMarkdown } from '../lib/markdown.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

const STEP_MARK = { pending: '·', active: '▶', met: '✓', done: '✓' } as const;

export const LessonPane = memo(function LessonPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const lesson = useLab((s) => s.lesson);
  const scroll = useUi((s) => s.scroll.lesson ?? 0);
  const cols = innerCols(width);
  const rowsAvail = innerRows(height);
  const step = lesson?.steps[lesson.stepIndex];
  const prose = useMemo(() => renderMarkdown(step?.prose ?? '', Math.max(10, cols)), [step?.prose, cols]);

  if (!lesson || !step) {
    return (
      <Pane
        width={width}
        height={height}
        focused={focused}
        title="Keys"
        tabs={tabs ? { ...tabs, titles: { lesson: 'Keys' } } : undefined}
      >
        <CheatSheet rows={rowsAvail} />
      </Pane>
    );
  }

  const head: ReactNode[] = [
    <Text key="title" wrap="truncate-end">
      <Text {...theme.style('text.title')}>
        {lesson.stepIndex + 1}/{lesson.steps.length} {step.title}
      </Text>
      <Text {...theme.style('status.muted')}> {lesson.status.map((st) => STEP_MARK[st]).join('')}</Text>
    </Text>,
  ];
  const bottom: ReactNode[] = [
    <Text key="goal" wrap="truncate-end">
      <Text {...theme.style('text.title')}>Goal: </Text>
      <Text>{step.goalText} </Text>
      <Text {...theme.style(lesson.goalMet ? 'status.ok' : 'status.error')}>
        {lesson.goalMet ? '✓ met' : '✗ not yet'}
      </Text>
    </Text>,
  ];
  if (lesson.goalDetail) {
    bottom.push(
      <Text key="detail" wrap="truncate-end" {...theme.style('status.muted')}>
        {'  '}
        {lesson.goalDetail}
      </Text>,
    );
  }
  if (lesson.goalMet && step.explain) {
    for (const [i, line] of renderMarkdown(step.explain, cols).entries())
      bottom.push(<MdLineView key={`ex-${i}`} line={line} />);
  }
  for (const [i, hint] of step.hints.slice(0, lesson.hintsShown).entries()) {
    bottom.push(
      <Text key={`hint-${i}`} wrap="truncate-end" {...theme.style('status.info')}>
        Hint {i + 1}: {hint}
      </Text>,
    );
  }
  if (lesson.hintsShown < step.hints.length) {
    bottom.push(
      <Text key="more-hints" wrap="truncate-end" {...theme.style('status.muted')}>
        {step.hints.length - lesson.hintsShown} more hint(s): press i
      </Text>,
    );
  }
  if (lesson.solutionShown) {
    bottom.push(
      <Text key="sol" wrap="truncate-end" {...theme.style('text.title')}>
        Solution (P plays it):
      </Text>,
    );
    for (const [i, a] of step.solution.entries()) {
      bottom.push(
        <Text key={`sol-${i}`} wrap="truncate-end" {...theme.style('text.code')}>
          {'  '}
          {i + 1}. {describeEntry(a)}
        </Text>,
      );
    }
  }
  if (lesson.playingSolution) {
    bottom.push(
      <Text key="playing" {...theme.style('status.warn')}>
        <Spinner /> playing the solution…
      </Text>,
    );
  }
  if (lesson.solutionError) {
    bottom.push(
      <Text key="solerr" wrap="truncate-end" {...theme.style('status.error')}>
        ✗ solution stopped: {lesson.solutionError}
      </Text>,
    );
  }
  if (lesson.completed) {
    bottom.push(
      <Text key="done" wrap="truncate-end" {...theme.style('status.ok')}>
        ✓ Lesson complete. e exports the run, q quits.
      </Text>,
    );
  }
  const bottomShown = bottom.slice(0, Math.max(1, rowsAvail - head.length - 2));
  const proseRoom = Math.max(0, rowsAvail - head.length - bottomShown.length - 1);
  const top = Math.min(scroll, Math.max(0, prose.length - proseRoom));
  const proseRows = prose
    .map((line, n) => ({ line, id: `p-${n}` }))
    .slice(top, top + proseRoom)
    .map(({ line, id }) => <MdLineView key={id} line={line} />);
  const more = prose.length > top + proseRoom ? `▼ more (PgDn)` : top > 0 ? '▲ (PgUp)' : '';
  return (
    <Pane
      width={width}
      height={height}
      focused={focused}
      title={`Lesson: ${lesson.title}`}
      tabs={tabs}
      badge={more || undefined}
    >
      <Box flexDirection="column" flexShrink={0}>
        {head}
        {proseRows}
        <Text> </Text>
        {bottomShown}
      </Box>
    </Pane>
  );
});
