// The selected node up close: address, pid, restarts, last exit, probe error, its copy-paste redis-cli line
// and the tail of its log (scrollable).
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { parseLogLine } from '../../cluster/observe/sentinel-log.js';
import { nodeById, publicAddress } from '../../cluster/topology.js';
import { Pane } from '../components/Pane.js';
import { useController, useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { PROCESS_SYMBOL } from '../lib/format.js';
import { OBSERVED_SYMBOL, observedState, observesOnly } from '../lib/observed.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

/** A Redis log line without pid, role and date (`08:21:49 * Ready to accept connections`), when it has that form. */
export function compactLogLine(line: string): string {
  const l = parseLogLine(line);
  return l ? `${l.clock} ${l.level} ${l.message}` : line;
}

export const NodePane = memo(function NodePane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const id = useUi((s) => s.selectedNode);
  const offset = useUi((s) => s.scroll.node ?? 0);
  const topology = useLab((s) => s.topology);
  const log = useLab((s) => s.processes[id]?.logTail);
  // Probes replace the observation objects several times a second; select only what is shown.
  // Attach mode: what the probes observe, not a process state the lab cannot know (lib/observed.ts).
  const observed = observesOnly(useController().unavailable);
  const view = useLabView((s) => {
    const p = s.processes[id];
    const seen = observed ? OBSERVED_SYMBOL[observedState(s, id).kind] : undefined;
    const redis = s.redis[id];
    const sentinel = s.sentinels[id];
    const probeError = redis?.error ?? sentinel?.error;
    return {
      role: redis?.replication?.role,
      state: seen ?? (p?.state ? PROCESS_SYMBOL[p.state] : undefined),
      pid: p?.pid,
      restarts: p?.restarts,
      cliLine: p?.cliLine,
      lastExit: p?.lastExit && {
        signal: p.lastExit.signal,
        code: p.lastExit.code,
        expected: p.lastExit.expected,
      },
      probeError: probeError && (redis?.reachable === false || sentinel?.reachable === false) ? probeError : undefined,
    };
  });
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);
  const spec = nodeById(topology, id);
  const addr = spec ? publicAddress(topology, id) : undefined;
  const role = spec?.kind === 'sentinel' ? 'sentinel' : (view.role ?? 'role ?');

  const head: ReactNode[] = [
    <Text key="id" wrap="truncate-end">
      <Text {...theme.style('text.title')}>{id}</Text>
      <Text>
        {' '}
        · {role} · {spec?.host ?? '?'} {addr ? `${addr.host}:${addr.port}` : ''}
      </Text>
      <Text {...theme.style('status.muted')}>
        {' '}
        · {view.state ?? '?'}
        {view.pid ? ` · pid ${view.pid}` : ''}
        {view.restarts ? ` · restarts ${view.restarts}` : ''}
      </Text>
    </Text>,
  ];
  if (view.cliLine) {
    head.push(
      <Text key="cli" wrap="truncate-end" {...theme.style('text.code')}>
        $ {view.cliLine}
      </Text>,
    );
  }
  const ex = view.lastExit;
  if (ex) {
    head.push(
      <Text key="exit" wrap="truncate-end" {...theme.style(ex.expected ? 'status.muted' : 'status.error')}>
        last exit: {ex.signal ? `signal ${ex.signal}` : `code ${ex.code ?? '?'}`} (
        {ex.expected ? 'caused by the lab' : 'unexpected'})
      </Text>,
    );
  }
  const probeError = view.probeError;
  if (probeError) {
    head.push(
      <Text key="probe" wrap="truncate-end" {...theme.style('status.error')}>
        probe: {probeError}
      </Text>,
    );
  }
  const logLines = log ?? [];
  const room = Math.max(0, rowsAvail - head.length);
  const back = Math.min(offset, Math.max(0, logLines.length - room));
  const end = logLines.length - back;
  const lines = logLines
    .map((line, n) => ({ line, id: `l-${n}` }))
    .slice(Math.max(0, end - room), end)
    .map(({ line, id }) => (
      <Text
        key={id}
        wrap="truncate-end"
        {...theme.style(/# |WARNING|error/i.test(line) ? 'status.warn' : 'status.muted')}
      >
        {line.length > cols ? compactLogLine(line) : line}
      </Text>
    ));
  if (!logLines.length && room > 0) {
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
