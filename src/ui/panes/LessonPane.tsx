// The current lesson step as one scrollable document (lib/lesson-doc.ts): prose in real Markdown, the goal with
// a live ✓/✗ and its detail, the explanation once met, hints, solution and the completion line, all wrapped to
// the pane, never cut. The top border says where the window is (▲ lines above, ▼ below); the scroll keys are in
// the key registry and LessonAutoScroll moves the window when new content appears. In the sandbox it shows a key
// cheat-sheet instead.
import { Box, useWindowSize } from 'ink';
import { memo } from 'react';
import { CheatSheet } from '../components/CheatSheet.js';
import { MdLineView } from '../components/MdLineView.js';
import { Pane } from '../components/Pane.js';
import { useLab, useLabView } from '../hooks/use-lab.js';
import { useUi } from '../hooks/use-ui.js';
import { lessonColumns, maxScroll, paneLessonDocument } from '../lib/lesson-doc.js';
import { solutionNote } from '../lib/solution-note.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

export const LessonPane = memo(function LessonPane({ width, height, focused, tabs }: PaneFrameProps) {
  const lesson = useLab((s) => s.lesson);
  const topology = useLab((s) => s.topology);
  const stored = useUi((s) => s.scroll.lesson ?? 0);
  const run = useUi((s) => s.solutionRun);
  const played = useLabView((s) => solutionNote(s, run));
  const { columns } = useWindowSize();
  const cols = innerCols(width);
  const rows = innerRows(height);
  const doc = lesson ? paneLessonDocument(lesson, topology, cols, played) : undefined;
  const max = doc ? maxScroll(doc.lines.length, rows) : 0;
  const top = Math.max(0, Math.min(stored, max));

  if (!lesson || !doc) {
    return (
      <Pane
        width={width}
        height={height}
        focused={focused}
        title="Keys"
        tabs={tabs ? { ...tabs, titles: { lesson: 'Keys' } } : undefined}
      >
        <CheatSheet rows={rows} />
      </Pane>
    );
  }

  const shown = doc.lines.slice(top, top + rows);
  const below = doc.lines.length - top - shown.length;
  // Where the window is (lines above ▲ and below ▼; the footer lists the keys), and, when a code line had to
  // continue on a second line and the pane is not already the full width, the key that shows it whole.
  const position = [top > 0 ? `▲${top}` : '', below > 0 ? `▼${below}` : ''].filter(Boolean).join(' ');
  const widen = doc.wrappedCode && width < columns ? 'L: full width' : '';
  const badge = [position, widen].filter(Boolean).join(' · ') || undefined;
  return (
    <Pane
      width={width}
      height={height}
      focused={focused}
      title={`Lesson: ${lesson.title}`}
      tabs={tabs}
      badge={badge}
      keepBadge
    >
      <Box flexDirection="column" flexShrink={0} paddingLeft={lessonColumns(cols).pad}>
        {/* Rows are positions, not items: row n shows whatever line scrolled there, so scrolling remounts nothing. */}
        {shown
          .map((line, n) => ({ line, id: `row-${n}` }))
          .map(({ line, id }) => (
            <MdLineView key={id} line={line} />
          ))}
      </Box>
    </Pane>
  );
});
