// What the lab did, newest last: each action with the real command it stands for (kill -9 4242 # redis-1),
// interleaved with notices from the lab and problems from the UI. Errors stay visible here, once each: a failed
// action is its own row (with why and how to fix it); a notice is only what no action record says.
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { sinceStart } from '../lib/format.js';
import type { Token } from '../theme/tokens.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

interface Entry {
  key: string;
  at: number;
  icon: string;
  token: Token;
  text: string;
  detail?: string;
}

const NOTICE_ICON = { info: 'ℹ', warning: '⚠', error: '✗' } as const;
const NOTICE_TOKEN: Record<'info' | 'warning' | 'error', Token> = {
  info: 'status.info',
  warning: 'status.warn',
  error: 'status.error',
};

export const ActionsPane = memo(function ActionsPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const actions = useLab((s) => s.actions);
  const notices = useLab((s) => s.notices);
  const uiNotices = useUi((s) => s.notices);
  const startedAt = useLab((s) => s.startedAt);
  const offset = useUi((s) => s.scroll.actions ?? 0);
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);

  const entries = useMemo(() => {
    const out: Entry[] = [];
    for (const a of actions) {
      out.push({
        key: `a${a.seq}`,
        at: a.at,
        icon: a.status === 'ok' ? '✓' : a.status === 'failed' ? '✗' : '⟳',
        token: a.status === 'ok' ? 'status.ok' : a.status === 'failed' ? 'status.error' : 'status.warn',
        text: a.title,
        detail: `${a.equivalent}${a.status === 'failed' && a.result ? `  → ${a.result}` : ''}${a.hint ? ` (${a.hint.split('\n')[0]})` : ''}`,
      });
    }
    for (const n of notices) {
      out.push({
        key: `n${n.seq}`,
        at: n.at,
        icon: NOTICE_ICON[n.level],
        token: NOTICE_TOKEN[n.level],
        text: n.text,
        detail: n.hint,
      });
    }
    // Routine "not available now" info from the UI stays in the status line; only problems are logged here.
    for (const n of uiNotices) {
      if (n.level === 'info') continue;
      out.push({ key: `u${n.seq}`, at: n.at, icon: NOTICE_ICON[n.level], token: NOTICE_TOKEN[n.level], text: n.text });
    }
    return out.sort((x, y) => x.at - y.at);
  }, [actions, notices, uiNotices]);

  const back = Math.min(offset, Math.max(0, entries.length - rowsAvail));
  const end = entries.length - back;
  const shown = entries.slice(Math.max(0, end - rowsAvail), end);
  const twoCol = cols >= 70;
  return (
    <Pane
      width={width}
      height={height}
      focused={focused}
      title="Actions"
      tabs={tabs}
      badge={back ? `▼ ${back} newer` : undefined}
    >
      <Box flexDirection="column" flexShrink={0}>
        {shown.length ? (
          shown.map((e) => (
            <Text key={e.key} wrap="truncate-end">
              {twoCol ? <Text {...theme.style('status.muted')}>{sinceStart(e.at, startedAt)} </Text> : null}
              <Text {...theme.style(e.token)}>
                {e.icon} {e.text}
              </Text>
              {e.detail ? <Text {...theme.style('text.code')}>{`  ${e.detail}`}</Text> : null}
            </Text>
          ))
        ) : (
          <Text {...theme.style('status.muted')}>nothing done yet</Text>
        )}
      </Box>
    </Pane>
  );
});
