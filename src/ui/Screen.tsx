// The full-screen frame: header, the breakpoint's columns of panes (or a modal in the right column / the
// help overlay over the body), status line and footer. Exactly the terminal's size, never taller.
import { Box, useWindowSize } from 'ink';
import { type ComponentType, useEffect, useMemo } from 'react';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { LessonAutoScroll } from './components/LessonAutoScroll.js';
import { isPicker, PickerView } from './components/PickerView.js';
import { StatusLine } from './components/StatusLine.js';
import { TooSmall } from './components/TooSmall.js';
import { useController, useLab } from './hooks/use-lab.js';
import { useUi, useUiStore } from './hooks/use-ui.js';
import { useKeymap } from './keymap/use-keymap.js';
import { activePaneOf, type ColumnLayout, calculateLayout, type PaneId } from './layout.js';
import { ActionsPane } from './panes/ActionsPane.js';
import { ClientPane } from './panes/ClientPane.js';
import { EventsPane } from './panes/EventsPane.js';
import { LagPane } from './panes/LagPane.js';
import { LessonPane } from './panes/LessonPane.js';
import { NodePane } from './panes/NodePane.js';
import type { PaneFrameProps } from './panes/pane-props.js';
import { TopologyPane } from './panes/TopologyPane.js';
import { uiOps } from './state/ui-store.js';

const PANES: Record<PaneId, ComponentType<PaneFrameProps>> = {
  topology: TopologyPane,
  lag: LagPane,
  events: EventsPane,
  lesson: LessonPane,
  node: NodePane,
  client: ClientPane,
  actions: ActionsPane,
};

export function Screen() {
  const { columns, rows } = useWindowSize();
  const controller = useController();
  const uiStore = useUiStore();
  const sandbox = useLab((s) => s.lesson === undefined);
  const lessonFull = useUi((s) => s.lessonFull);
  const layout = useMemo(
    () => calculateLayout({ columns, rows, sandbox, lessonFull }),
    [columns, rows, sandbox, lessonFull],
  );
  useKeymap(controller, uiStore, layout);
  const focus = useUi((s) => s.focus);
  const recent = useUi((s) => s.recent);
  const modal = useUi((s) => s.modal);

  const focusOrder = layout.kind === 'panes' ? layout.focusOrder : undefined;
  useEffect(() => {
    // After a resize, a view change or leaving a lesson the focused pane may no longer be shown: fall back to
    // the first pane of the new layout (the topology, or the lesson when it fills the screen).
    if (focusOrder && !focusOrder.includes(focus)) uiOps.focus(uiStore, focusOrder[0] ?? 'topology');
  }, [focusOrder, focus, uiStore]);

  if (layout.kind === 'too-small') return <TooSmall columns={columns} rows={rows} />;

  const column = (col: ColumnLayout, ci: number) => {
    if (ci === layout.modalColumn && modal && isPicker(modal)) {
      return <PickerView key={ci} modal={modal} width={col.width} height={layout.bodyHeight} />;
    }
    return (
      <Box key={ci} flexDirection="column" width={col.width} height={layout.bodyHeight} flexShrink={0}>
        {col.slots.map((slot) => {
          const active = activePaneOf(slot, focus, recent);
          const View = PANES[active];
          const tabs = slot.panes.length > 1 ? { panes: slot.panes, active } : undefined;
          return (
            <View
              key={slot.panes.join('+')}
              width={col.width}
              height={slot.height}
              focused={active === focus}
              tabs={tabs}
            />
          );
        })}
      </Box>
    );
  };

  return (
    <Box flexDirection="column" width={columns} height={rows}>
      <Header width={columns} />
      <Box flexDirection="row" width={columns} height={layout.bodyHeight} flexShrink={0}>
        {modal?.kind === 'help' ? (
          <HelpOverlay width={columns} height={layout.bodyHeight} scroll={modal.scroll} />
        ) : null}
        {/* Hidden, not unmounted, under the help overlay: closing it then costs no remount of every pane. */}
        <Box
          display={modal?.kind === 'help' ? 'none' : 'flex'}
          flexDirection="row"
          width={columns}
          height={layout.bodyHeight}
          flexShrink={0}
        >
          {layout.body.map(column)}
        </Box>
      </Box>
      <LessonAutoScroll layout={layout} />
      <StatusLine width={columns} layout={layout} />
      <Footer width={columns} layout={layout} />
    </Box>
  );
}
