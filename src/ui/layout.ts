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

/**
 * What the body shows. sandbox: no lesson. split: the lesson beside the cluster. lesson: the lesson alone, full
 * width. cluster: the cluster alone (a lesson is open but the terminal is too small to show both).
 */
export type View = 'sandbox' | 'split' | 'lesson' | 'cluster';

export type Layout =
  | { kind: 'too-small'; columns: number; rows: number }
  | {
      kind: 'panes';
      breakpoint: Breakpoint;
      view: View;
      columns: number;
      rows: number;
      headerHeight: number;
      statusHeight: number;
      footerHeight: number;
      bodyHeight: number;
      body: ColumnLayout[];
      /** Tab order over every pane that can be shown. */
      focusOrder: PaneId[];
      /** Column a picker modal replaces. */
      modalColumn: number;
    };

export interface LayoutInput {
  columns: number;
  rows: number;
  /** Sandbox mode: no lesson loaded. */
  sandbox: boolean;
  /**
   * With a lesson: true shows the lesson alone at full width, false beside the cluster (or, when the terminal
   * is too small for both, the cluster alone). Undefined lets the size decide: alone below the medium
   * breakpoint, beside the cluster from it.
   */
  lessonFull?: boolean;
}

/** Whether the lesson fills the body for this input (see LayoutInput.lessonFull). */
export function lessonShownFull(input: LayoutInput): boolean {
  if (input.sandbox) return false;
  return input.lessonFull ?? breakpointFor(input.columns, input.rows) === 'compact';
}

/**
 * Lesson columns beside the cluster. The lesson prose quotes configs and draws ASCII diagrams up to ~78 columns:
 * from the wide breakpoint the lesson column holds them whole (its inner width is 79 at 160 columns); at the
 * medium breakpoint it keeps at least 66 columns and wider code continues on a marked line (L shows it whole).
 */
export const LESSON_COLUMNS = { medium: 66, wide: 81 } as const;

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

export function calculateLayout(input: LayoutInput): Layout {
  const { columns, rows, sandbox } = input;
  const bp = breakpointFor(columns, rows);
  if (bp === 'too-small') return { kind: 'too-small', columns, rows };
  const headerHeight = 1;
  const statusHeight = 1;
  const footerHeight = 1;
  const B = rows - headerHeight - statusHeight - footerHeight;
  let view: View;
  let body: ColumnLayout[];
  if (sandbox) {
    view = 'sandbox';
    body = sandboxBody(bp, columns, rows, B);
  } else if (lessonShownFull(input)) {
    view = 'lesson';
    body = [{ width: columns, slots: [s(['lesson'], B)] }];
  } else if (bp === 'compact') {
    view = 'cluster';
    body = compactBody(columns, rows, B, []);
  } else {
    view = 'split';
    body = splitBody(bp, columns, B);
  }
  const focusOrder = body.flatMap((c) => c.slots.flatMap((x) => x.panes));
  return {
    kind: 'panes',
    breakpoint: bp,
    view,
    columns,
    rows,
    headerHeight,
    statusHeight,
    footerHeight,
    bodyHeight: B,
    body,
    focusOrder,
    // Pickers replace a column: the right-most, except beside a lesson, where they cover the cluster so that the
    // step being followed ("isolate host-3") stays readable.
    modalColumn: view === 'split' ? 0 : body.length - 1,
  };
}

/** Sandbox: the cluster panes; the lesson slot shows a key cheat-sheet where there is room (wide). */
function sandboxBody(bp: Breakpoint, columns: number, rows: number, B: number): ColumnLayout[] {
  if (bp === 'wide') {
    const c1 = Math.floor(columns * 0.38);
    const c2 = Math.floor(columns * 0.32);
    const lag = clamp(Math.floor(B / 4), 8, 10);
    const actions = clamp(Math.floor(B * 0.3), 6, 12);
    const client = clamp(Math.floor(B * 0.28), 8, 12);
    const node = clamp(Math.floor(B * 0.24), 6, 10);
    return [
      { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
      { width: c2, slots: [s(['events'], B - actions), s(['actions'], actions)] },
      { width: columns - c1 - c2, slots: [s(['lesson'], B - client - node), s(['client'], client), s(['node'], node)] },
    ];
  }
  if (bp === 'medium') {
    const c1 = Math.floor(columns * 0.52);
    const lag = clamp(Math.floor(B / 3), 7, 9);
    const events = Math.floor(B * 0.45);
    return [
      { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
      { width: columns - c1, slots: [s(['events'], events), s(['client', 'node', 'actions'], B - events)] },
    ];
  }
  return compactBody(columns, rows, B, []);
}

/** Compact: topology and replication on the left, the other panes as tabs on the right. */
function compactBody(columns: number, rows: number, B: number, extra: PaneId[]): ColumnLayout[] {
  const c1 = Math.max(46, Math.floor(columns * 0.55));
  const lag = clamp(Math.floor(B * 0.38), 7, 9);
  const tall = rows >= 36;
  const events = Math.floor(B * 0.45);
  return [
    { width: c1, slots: [s(['topology'], B - lag), s(['lag'], lag)] },
    {
      width: columns - c1,
      slots: tall
        ? [s(['events'], events), s([...extra, 'client', 'node', 'actions'], B - events)]
        : [s(['events', ...extra, 'client', 'node', 'actions'], B)],
    },
  ];
}

/**
 * A lesson beside the cluster. The lesson gets a full-height (medium) or nearly full-height (wide) column of
 * its own; the cluster column stacks the topology (one line per node below ~15 inner rows), replication and
 * the Sentinel events, and the remaining panes share a tabbed slot.
 */
function splitBody(bp: 'medium' | 'wide', columns: number, B: number): ColumnLayout[] {
  if (bp === 'wide') {
    const lessonW = Math.max(LESSON_COLUMNS.wide, Math.floor(columns / 2));
    // 5 host lines + 8 node lines + 2 spare rows for split-brain/fault warnings, inside the border.
    const topology = clamp(B - 9 - 11, 12, 17);
    const lag = 9;
    const tabs = clamp(Math.floor(B * 0.25), 8, 12);
    return [
      {
        width: columns - lessonW,
        slots: [s(['topology'], topology), s(['lag'], lag), s(['events'], B - topology - lag)],
      },
      { width: lessonW, slots: [s(['lesson'], B - tabs), s(['client', 'node', 'actions'], tabs)] },
    ];
  }
  const lessonW = Math.max(LESSON_COLUMNS.medium, columns - Math.floor(columns * 0.45));
  const lag = 8;
  const topology = clamp(B - lag - 7, 7, 12);
  return [
    {
      width: columns - lessonW,
      slots: [
        s(['topology'], topology),
        s(['lag'], lag),
        s(['events', 'client', 'node', 'actions'], B - topology - lag),
      ],
    },
    { width: lessonW, slots: [s(['lesson'], B)] },
  ];
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

/** Inner size (inside the border) of the slot that holds `pane`, or undefined when the layout has no such slot. */
export function paneInnerSize(layout: Layout, pane: PaneId): { width: number; height: number } | undefined {
  if (layout.kind !== 'panes') return undefined;
  for (const c of layout.body)
    for (const slot of c.slots) if (slot.panes.includes(pane)) return innerSize(c.width, slot.height);
  return undefined;
}

/** Inner height of the slot that shows `pane`, for paging. */
export function paneInnerHeight(layout: Layout, pane: PaneId): number {
  if (layout.kind !== 'panes') return 1;
  for (const c of layout.body)
    for (const slot of c.slots) if (slot.panes.includes(pane)) return Math.max(1, slot.height - 2);
  return 1;
}
