// Pure screen layout: terminal size -> named breakpoint, columns and pane heights. No React, unit-tested.
// Every height is explicit so panes can slice their content to fit and the frame is never taller than the terminal.

export type PaneId = 'topology' | 'lag' | 'events' | 'lesson' | 'node' | 'client' | 'actions';

export const PANE_TITLES: Record<PaneId, string> = {
  topology: 'Topology',
  lag: 'Replication',
  events: 'Sentinel events',
  lesson: 'Lesson',
  node: 'Node',
  client: 'Client',
  actions: 'Actions',
};

/** Shorter names for tab strips, where several panes share one slot. */
export const TAB_TITLES: Record<PaneId, string> = { ...PANE_TITLES, events: 'Events' };

/** Abbreviations for inactive tabs when a strip does not fit its pane. */
export const SHORT_TAB_TITLES: Record<PaneId, string> = {
  topology: 'Top',
  lag: 'Repl',
  events: 'Evts',
  lesson: 'Lsn',
  node: 'Node',
  client: 'Cli',
  actions: 'Act',
};

export const MIN_SIZE = { columns: 80, rows: 24 } as const;

/** Named breakpoints: the smallest terminal each one needs. */
export const BREAKPOINTS = {
  compact: { columns: 80, rows: 24 },
  medium: { columns: 120, rows: 30 },
  wide: { columns: 160, rows: 40 },
} as const;

export type Breakpoint = keyof typeof BREAKPOINTS;

/** One vertical slot of a column. More than one pane means the slot shows one of them at a time (tabs). */
export interface SlotLayout {
  panes: PaneId[];
  height: number;
}

export interface ColumnLayout {
  width: number;
  slots: SlotLayout[];
}

export type Layout =
  | { kind: 'too-small'; columns: number; rows: number }
  | {
      kind: 'panes';
      breakpoint: Breakpoint;
      columns: number;
      rows: number;
      headerHeight: number;
      statusHeight: number;
      footerHeight: number;
      bodyHeight: number;
      body: ColumnLayout[];
      /** Tab order over every pane that can be shown. */
      focusOrder: PaneId[];
      /** Column a picker modal replaces (the right-most). */
      modalColumn: number;
    };

export interface LayoutInput {
  columns: number;
  rows: number;
  /** Sandbox mode: no lesson loaded. */
  sandbox: boolean;
}

export function isTooSmall(columns: number, rows: number): boolean {
  return columns < MIN_SIZE.columns || rows < MIN_SIZE.rows;
}

export function breakpointFor(columns: number, rows: number): Breakpoint | 'too-small' {
  if (isTooSmall(columns, rows)) return 'too-small';
  if (columns >= BREAKPOINTS.wide.columns && rows >= BREAKPOINTS.wide.rows) return 'wide';
  if (columns >= BREAKPOINTS.medium.columns && rows >= BREAKPOINTS.medium.rows) return 'medium';
  return 'compact';
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function calculateLayout({ columns, rows, sandbox }: LayoutInput): Layout {
  const bp = breakpointFor(columns, rows);
  if (bp === 'too-small') return { kind: 'too-small', columns, rows };
  const headerHeight = 1;
  const statusHeight = 1;
  const footerHeight = 1;
  const B = rows - headerHeight - statusHeight - footerHeight;
  // In the sandbox the lesson slot shows a key cheat-sheet, worth a pane only when there is room for it.
  const lesson: PaneId[] = sandbox ? [] : ['lesson'];
  let body: ColumnLayout[];
  if (bp === 'wide') {
    const c1 = Math.floor(columns * 0.38);
    const c2 = Math.floor(columns * 0.32);
    const lag = clamp(Math.floor(B / 4), 8, 10);
    const actions = clamp(Math.floor(B * 0.3), 6, 12);
    const client = clamp(Math.floor(B * 0.28), 8, 12);
    const node = clamp(Math.floor(B * 0.24), 6, 10);
    body = [
      { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
      { width: c2, slots: [s(['events'], B - actions), s(['actions'], actions)] },
      { width: columns - c1 - c2, slots: [s(['lesson'], B - client - node), s(['client'], client), s(['node'], node)] },
    ];
  } else if (bp === 'medium') {
    const c1 = Math.floor(columns * 0.52);
    const lag = clamp(Math.floor(B / 3), 7, 9);
    const events = Math.floor(B * 0.45);
    body = [
      { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
      {
        width: columns - c1,
        slots: [s(['events'], events), s([...lesson, 'client', 'node', 'actions'], B - events)],
      },
    ];
  } else {
    const c1 = Math.max(46, Math.floor(columns * 0.55));
    const lag = clamp(Math.floor(B * 0.38), 7, 9);
    const tall = rows >= 36;
    const events = Math.floor(B * 0.45);
    body = [
      { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
      {
        width: columns - c1,
        slots: tall
          ? [s(['events'], events), s([...lesson, 'client', 'node', 'actions'], B - events)]
          : [s(['events', ...lesson, 'client', 'node', 'actions'], B)],
      },
    ];
  }
  const focusOrder = body.flatMap((c) => c.slots.flatMap((x) => x.panes));
  return {
    kind: 'panes',
    breakpoint: bp,
    columns,
    rows,
    headerHeight,
    statusHeight,
    footerHeight,
    bodyHeight: B,
    body,
    focusOrder,
    modalColumn: body.length - 1,
  };
}

function s(panes: PaneId[], height: number): SlotLayout {
  return { panes, height };
}

/** Inner size of a pane (inside its border) in a slot. */
export function innerSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.max(0, width - 2), height: Math.max(0, height - 2) };
}

/** The pane a slot shows: the focused one if it is there, else the most recently focused, else the first. */
export function activePaneOf(slot: SlotLayout, focus: PaneId, recent: readonly PaneId[]): PaneId {
  if (slot.panes.includes(focus)) return focus;
  for (const p of recent) if (slot.panes.includes(p)) return p;
  return slot.panes[0] ?? 'topology';
}

/** Inner height of the slot that shows `pane`, for paging. */
export function paneInnerHeight(layout: Layout, pane: PaneId): number {
  if (layout.kind !== 'panes') return 1;
  for (const c of layout.body)
    for (const slot of c.slots) if (slot.panes.includes(pane)) return Math.max(1, slot.height - 2);
  return 1;
}
