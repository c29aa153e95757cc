// The selected node up close: address, pid, restarts, last exit, probe error, its copy-paste redis-cli line
// and the tail of its log (scrollable).
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { nodeById, publicAddress } from '../../cluster/topology.js';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { PROCESS_SYMBOL } from '../lib/format.js';
import { innerRows, type PaneFrameProps } from './pane-props.js';

export const NodePane = memo(function NodePane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const id = useUi((s) => s.selectedNode);
  const offset = useUi((s) => s.scroll.node ?? 0);
  const proc = useLab((s) => s.processes[id]);
  const topology = useLab((s) => s.topology);
  const redis = useLab((s) => s.redis[id]);
  const sentinel = useLab((s) => s.sentinels[id]);
  const rowsAvail = innerRows(height);
  const spec = nodeById(topology, id);
  const addr = spec ? publicAddress(topology, id) : undefined;
  const role = spec?.kind === 'sentinel' ? 'sentinel' : (redis?.replication?.role ?? 'role ?');

  const head: ReactNode[] = [
    <Text key="id" wrap="truncate-end">
      <Text {...theme.style('text.title')}>{id}</Text>
      <Text>
        {' '}
        · {role} · {spec?.host ?? '?'} {addr ? `${addr.host}:${addr.port}` : ''}
      </Text>
      <Text {...theme.style('status.muted')}>
        {' '}
        · {proc ? PROCESS_SYMBOL[proc.state] : '?'}
        {proc?.pid ? ` · pid ${proc.pid}` : ''}
        {proc?.restarts ? ` · restarts ${proc.restarts}` : ''}
      </Text>
    </Text>,
  ];
  if (proc?.cliLine) {
    head.push(
      <Text key="cli" wrap="truncate-end" {...theme.style('text.code')}>
        $ {proc.cliLine}
      </Text>,
    );
  }
  const ex = proc?.lastExit;
  if (ex) {
    head.push(
      <Text key="exit" wrap="truncate-end" {...theme.style(ex.expected ? 'status.muted' : 'status.error')}>
        last exit: {ex.signal ? `signal ${ex.signal}` : `code ${ex.code ?? '?'}`} (
        {ex.expected ? 'caused by the lab' : 'unexpected'})
      </Text>,
    );
  }
  const probeError = redis?.error ?? sentinel?.error;
  if (probeError && (redis?.reachable === false || sentinel?.reachable === false)) {
    head.push(
      <Text key="probe" wrap="truncate-end" {...theme.style('status.error')}>
        probe: {probeError}
      </Text>,
    );
  }
  const log = proc?.logTail ?? [];
  const room = Math.max(0, rowsAvail - head.length);
  const back = Math.min(offset, Math.max(0, log.length - room));
  const end = log.length - back;
  const lines = log
    .map((line, n) => ({ line, id: `l-${n}` }))
    .slice(Math.max(0, end - room), end)
    .map(({ line, id }) => (
      <Text
        key={id}
        wrap="truncate-end"
        {...theme.style(/# |WARNING|error/i.test(line) ? 'status.warn' : 'status.muted')}
      >
        {line}
      </Text>
    ));
  if (!log.length && room > 0) {
    lines.push(
      <Text key="nolog" {...theme.style('status.muted')}>
        (no log lines yet)
      </Text>,
    );
  }
  return (
    <Pane
      width={width}
      height={height}
      focused={focused}
      title={`Node ${id}`}
      tabs={tabs}
      badge={back ? `▼ ${back} newer` : undefined}
    >
      <Box flexDirection="column" flexShrink={0}>
        {[...head, ...lines].slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
