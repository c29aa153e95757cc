// The two application clients: which one is active, recent replies (errors such as NOREPLICAS and READONLY in
// full), and the workload ledger: live counts while it runs, then the verdict (acknowledged vs lost writes).
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

export const ClientPane = memo(function ClientPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const active = useUi((s) => s.client);
  const clients = useLab((s) => s.topology.clients);
  const results = useLab((s) => s.clientResults);
  const workload = useLab((s) => s.workload);
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);

  const describe = (c: 'A' | 'B') => {
    const spec = clients[c];
    return `on ${spec.host}, ${spec.target.kind === 'sentinel' ? 'asks Sentinel for the master' : `pinned to ${spec.target.node}`}`;
  };
  const head: ReactNode[] = (['A', 'B'] as const).map((c) => (
    <Text key={c} wrap="truncate-end" {...(c === active ? theme.style('text.title') : theme.style('status.muted'))}>
      {c === active ? '▶' : ' '} client {c} {describe(c)}
    </Text>
  ));
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
        {errors ? <Text {...theme.style('status.error')}> · {errors}</Text> : null}
      </Text>,
      <Text key="wl-counts" wrap="truncate-end">
        invoked {c.invoked} · ok {c.ok} · failed {c.failed} · unknown {c.unknown}
      </Text>,
    );
  }
  const v = workload.verdict;
  const roomForBox = rowsAvail - head.length - tail.length >= 5;
  if (v) {
    const lossy = v.lost > 0;
    const headline = (
      <Text wrap="truncate-end" {...theme.style(lossy ? 'status.error' : 'status.ok')}>
        {lossy ? '✗' : '✓'} lost {v.lost} of {v.acknowledged} acknowledged writes
      </Text>
    );
    tail.push(
      roomForBox ? (
        <Box
          key="verdict"
          flexDirection="column"
          flexShrink={0}
          borderStyle="single"
          borderColor={theme.border(lossy ? 'border.modal' : 'border.default')}
        >
          {headline}
          <Text wrap="truncate-end" {...theme.style('status.muted')}>
            loss rate {(v.lossRate * 100).toFixed(1)}% · final master {v.finalMaster}
            {v.failedPresent ? ` · ${v.failedPresent} failed yet present` : ''}
          </Text>
        </Box>
      ) : (
        <Box key="verdict" flexShrink={0}>
          {headline}
        </Box>
      ),
    );
  }
  const tailRows = tail.length + (v && roomForBox ? 3 : 0);
  const room = Math.max(0, rowsAvail - head.length - tailRows);
  // Newest last; a reply too long for one row (NOREPLICAS …) gets a row of its own so it is read in full.
  const recent: ReactNode[] = [];
  let used = 0;
  for (let i = results.length - 1; i >= 0 && used < room; i--) {
    const r = results[i];
    if (!r) continue;
    const where = r.node ? ` @${r.node}` : '';
    const oneRow = `${r.client} ${r.command} → ${r.text}${where}`.length <= cols;
    const reply = (
      <Text {...theme.style(r.ok ? 'status.ok' : 'status.error')}>
        {r.ok ? '→ ' : '✗ '}
        {r.text}
      </Text>
    );
    if (oneRow || used + 2 > room) {
      recent.unshift(
        <Text key={r.seq} wrap="truncate-end">
          <Text {...theme.style('status.muted')}>{r.client} </Text>
          <Text>{r.command} </Text>
          {reply}
          <Text {...theme.style('status.muted')}>{where}</Text>
        </Text>,
      );
      used += 1;
    } else {
      recent.unshift(
        <Text key={r.seq} wrap="truncate-end">
          <Text {...theme.style('status.muted')}>{r.client} </Text>
          <Text>{r.command}</Text>
          <Text {...theme.style('status.muted')}>{where}</Text>
        </Text>,
        <Text key={`${r.seq}-reply`} wrap="truncate-end">
          {reply}
        </Text>,
      );
      used += 2;
    }
  }
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
        {tail}
      </Box>
    </Pane>
  );
});
