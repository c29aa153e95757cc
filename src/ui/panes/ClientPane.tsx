// The two application clients: which one is active, recent replies (errors such as NOREPLICAS and READONLY in
// full), and the workload ledger: live counts while it runs, then the verdict (acknowledged vs lost writes).
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { innerRows, type PaneFrameProps } from './pane-props.js';

export const ClientPane = memo(function ClientPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const active = useUi((s) => s.client);
  const clients = useLab((s) => s.topology.clients);
  const results = useLab((s) => s.clientResults);
  const workload = useLab((s) => s.workload);
  const rowsAvail = innerRows(height);

  const describe = (c: 'A' | 'B') => {
    const spec = clients[c];
    return `${spec.host} ${spec.target.kind === 'sentinel' ? 'via Sentinel' : `→ ${spec.target.node}`}`;
  };
  const head: ReactNode[] = [
    <Text key="clients" wrap="truncate-end">
      {(['A', 'B'] as const).map((c) => (
        <Text key={c} {...(c === active ? theme.style('text.title') : theme.style('status.muted'))}>
          {c === active ? '▶' : ' '} {c}: {describe(c)}
          {c === 'A' ? '   ' : ''}
        </Text>
      ))}
    </Text>,
  ];
  const c = workload.counts;
  const errors = Object.entries(c.errors)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const tail: ReactNode[] = [];
  if (workload.running || c.invoked > 0) {
    tail.push(
      <Text key="wl" wrap="truncate-end">
        <Text {...theme.style(workload.running ? 'status.ok' : 'status.muted')}>
          workload {workload.running ? `● running as ${workload.client ?? '?'}` : '■ stopped'}
          {workload.ratePerSec ? ` ${workload.ratePerSec}/s` : ''}
        </Text>
        <Text>
          {' '}
          · invoked {c.invoked} · ok {c.ok} · failed {c.failed} · unknown {c.unknown}
        </Text>
        {errors ? <Text {...theme.style('status.error')}> · {errors}</Text> : null}
      </Text>,
    );
  }
  const v = workload.verdict;
  if (v) {
    const lossy = v.lost > 0;
    tail.push(
      <Box
        key="verdict"
        flexDirection="column"
        flexShrink={0}
        borderStyle="single"
        borderColor={theme.border(lossy ? 'border.modal' : 'border.default')}
      >
        <Text wrap="truncate-end" {...theme.style(lossy ? 'status.error' : 'status.ok')}>
          {lossy ? '✗' : '✓'} acknowledged {v.acknowledged} · lost {v.lost} · loss rate {(v.lossRate * 100).toFixed(1)}%
        </Text>
        <Text wrap="truncate-end" {...theme.style('status.muted')}>
          final master {v.finalMaster} holds {v.finalCount} · failed-but-present {v.failedPresent} · unknown{' '}
          {v.unknownPresent}/{v.unknownPresent + v.unknownAbsent}
        </Text>
      </Box>,
    );
  }
  const tailRows = (workload.running || c.invoked > 0 ? 1 : 0) + (v ? 4 : 0);
  const room = Math.max(0, rowsAvail - head.length - tailRows);
  const recent = results.slice(-room).map((r) => (
    <Text key={r.seq} wrap="truncate-end">
      <Text {...theme.style('status.muted')}>{r.client} </Text>
      <Text>{r.command} </Text>
      <Text {...theme.style(r.ok ? 'status.ok' : 'status.error')}>
        {r.ok ? '→ ' : '✗ '}
        {r.text}
      </Text>
      {r.node ? <Text {...theme.style('status.muted')}> @{r.node}</Text> : null}
    </Text>
  ));
  if (!recent.length && room > 0) {
    recent.push(
      <Text key="none" wrap="truncate-end" {...theme.style('status.muted')}>
        w writes a key, r reads one, c switches client, g runs a workload
      </Text>,
    );
  }
  return (
    <Pane width={width} height={height} focused={focused} title={`Client ${active}`} tabs={tabs}>
      <Box flexDirection="column" flexShrink={0}>
        {head}
        {recent}
        {rowsAvail >= head.length + recent.length + tailRows ? tail : null}
      </Box>
    </Pane>
  );
});
