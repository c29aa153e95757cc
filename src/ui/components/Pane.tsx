// A bordered pane of exact size with its title (or tabs) drawn into the top border, saving a row.
// Focus is shown by a double border, which stays visible without colour.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import stringWidth from 'string-width';
import { useTheme } from '../hooks/use-theme.js';
import { type PaneId, SHORT_TAB_TITLES, TAB_TITLES } from '../layout.js';

export interface PaneProps {
  width: number;
  height: number;
  focused: boolean;
  /** Plain title, or the panes of a tabbed slot with the active one. */
  title: string;
  tabs?: { panes: readonly PaneId[]; active: PaneId; titles?: Partial<Record<PaneId, string>> };
  /** Extra text at the right of the top border (e.g. "3 of 40"). */
  badge?: string;
  /**
   * The badge matters more than the end of the title (a scroll position): when both do not fit, the title is
   * shortened (to no less than 12 columns) rather than the badge dropped. Plain titles only.
   */
  keepBadge?: boolean;
  children: ReactNode;
}

export function Pane({ width, height, focused, title, tabs, badge, keepBadge, children }: PaneProps) {
  const theme = useTheme();
  const color = theme.border(focused ? 'border.focus' : 'border.default');
  const [tl, h, tr] = focused ? ['╔', '═', '╗'] : ['╭', '─', '╮'];
  const mark = (name: string, active: boolean) => (active && tabs && theme.mode === 'none' ? `[${name}]` : name);
  const budget = Math.max(0, width - 5);
  // With keepBadge, the title gets what the badge leaves (the badge is shown with a space each side).
  const titleBudget =
    keepBadge && badge && !tabs ? Math.max(Math.min(12, budget), budget - stringWidth(badge) - 3) : budget;
  const parts = tabs ? fitTabs(tabs, budget, mark) : [{ id: 'title', text: fitText(title, titleBudget), active: true }];
  let used = 0;
  const shown: Array<{ id: string; text: string; active: boolean }> = [];
  for (const p of parts) {
    if (used >= budget) break;
    const room = budget - used;
    // Cut titles end in … so the reader knows there is more.
    const text = fitText(p.text, room);
    shown.push({ id: p.id, text, active: p.active });
    used += stringWidth(text);
  }
  const badgeText = badge && used + stringWidth(badge) + 3 <= budget ? ` ${badge} ` : '';
  const fill = Math.max(0, width - 5 - used - stringWidth(badgeText));
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Box flexShrink={0} height={1}>
        <Text wrap="truncate-end">
          <Text color={color}>{`${tl}${h} `}</Text>
          {shown.map((p) => (
            <Text key={p.id} {...(p.active ? theme.style('text.title') : theme.style('status.muted'))}>
              {p.text}
            </Text>
          ))}
          <Text color={color}>{` ${h.repeat(fill)}`}</Text>
          {badgeText ? <Text {...theme.style('status.muted')}>{badgeText}</Text> : null}
          <Text color={color}>{tr}</Text>
        </Text>
      </Box>
      <Box
        flexDirection="column"
        width={width}
        height={height - 1}
        borderStyle={focused ? 'double' : 'round'}
        borderTop={false}
        borderColor={color}
        overflow="hidden"
        flexShrink={0}
      >
        {children}
      </Box>
    </Box>
  );
}

/** `text` cut to `max` columns, ending in … when cut. */
function fitText(text: string, max: number): string {
  if (stringWidth(text) <= max) return text;
  let out = '';
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    if (stringWidth(out + segment) > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

type TabPart = { id: string; text: string; active: boolean };

/**
 * The tab strip in the widest form that fits `budget` columns: `A │ B │ C`, then `A│B│C`, then the inactive tabs
 * abbreviated (`Events│Les│Cli`). The active tab is always spelled out in full, so it never falls off the end.
 */
export function fitTabs(
  tabs: NonNullable<PaneProps['tabs']>,
  budget: number,
  mark: (name: string, active: boolean) => string = (n) => n,
): TabPart[] {
  const name = (p: PaneId) => tabs.titles?.[p] ?? TAB_TITLES[p];
  const build = (sep: string, short: boolean): TabPart[] =>
    tabs.panes.map((p, i) => {
      const active = p === tabs.active;
      const title = short && !active ? SHORT_TAB_TITLES[p] : name(p);
      return { id: p, text: `${i ? sep : ''}${mark(title, active)}`, active };
    });
  const forms = [build(' │ ', false), build('│', false), build('│', true)];
  const width = (f: TabPart[]) => f.reduce((n, x) => n + x.text.length, 0);
  return forms.find((f) => width(f) <= budget) ?? (forms[2] as TabPart[]);
}
