// Misconfigure menu (M): the misconfigurations Sentinel users trip over, for the selected node and its host, each with
// its state now and what Enter does (the misconfiguration, or its undo when it is in place), then what is
// misconfigured elsewhere. The chosen entry's real command is shown in full, as the action log will record it.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { describeAction } from '../../actions/catalog.js';
import { useController, useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { entryAt, type MisconfigEntry, misconfigureMenu } from '../lib/misconfigure.js';
import { Pane } from './Pane.js';

export function MisconfigurePicker({ width, height, cursor }: { width: number; height: number; cursor: number }) {
  const theme = useTheme();
  const unavailable = useController().unavailable;
  const selected = useUi((s) => s.selectedNode);
  const client = useUi((s) => s.client);
  const topology = useLab((s) => s.topology);
  const menu = useLabView((s) => misconfigureMenu(s, selected, unavailable, client));
  const chosen = entryAt(menu, cursor);
  let index = 0;
  const row = (e: MisconfigEntry): ReactNode => {
    const i = index++;
    const on = i === cursor;
    return (
      <Text key={e.id} wrap="wrap" {...(on ? theme.style('selection') : {})}>
        {on ? '▶ ' : '  '}
        <Text {...theme.style(e.misconfigured ? 'status.error' : 'status.muted')}>{e.misconfigured ? '⚠ ' : '· '}</Text>
        {e.subject}: {e.now}
        <Text {...theme.style(e.unavailable ? 'status.muted' : 'status.info')}>
          {' '}
          → {e.unavailable ? `(${e.verb})` : e.verb}
        </Text>
      </Text>
    );
  };
  const rows: ReactNode[] = [
    <Text key="help" wrap="wrap" {...theme.style('status.muted')}>
      ↑/↓ choose · Enter do it · Esc close
    </Text>,
    ...menu.here.map(row),
  ];
  if (menu.elsewhere.length) {
    rows.push(
      <Text key="elsewhere" {...theme.style('text.title')}>
        Misconfigured elsewhere
      </Text>,
      ...menu.elsewhere.map(row),
    );
  }
  if (chosen) {
    const d = describeAction(chosen.action, topology);
    rows.push(
      <Text key="eq-title" {...theme.style('text.title')}>
        {chosen.misconfigured ? 'Undo' : 'Do'}: {d.title}
      </Text>,
      <Text key="eq" wrap="wrap" {...theme.style('status.muted')}>
        $ {d.equivalent}
      </Text>,
    );
    if (chosen.unavailable) {
      rows.push(
        <Text key="why" wrap="wrap" {...theme.style('status.error')}>
          ✗ {chosen.unavailable}
        </Text>,
      );
    }
  }
  return (
    <Pane width={width} height={height} focused={true} title={`Misconfigure ${menu.node} (${menu.host})`}>
      <Box flexDirection="column" flexShrink={0}>
        {rows}
      </Box>
    </Pane>
  );
}
