// The two application clients side by side: client A and client B, how each finds the master (asks Sentinel, or
// pinned to one node), its latest answer, its last error, since when it has been failing and when it recovered
// (kept by the store as results arrive, so they hold however many results have come since);
// below them their recent replies (errors such as NOREPLICAS and READONLY in full) and the workload ledger: live
// counts while it runs, then the verdict (acknowledged vs lost writes).
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { Pane } from '../components/Pane.js';
import { useController, useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { actions } from '../keymap/actions.js';
import { unavailableReason } from '../keymap/dispatch.js';
import { type ClientStatus, clientStatuses, targetWords } from '../lib/client-status.js';
import { sinceStart } from '../lib/format.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

/** Below this many inner columns the two clients are stacked instead of side by side. */
const SIDE_BY_SIDE_COLS = 44;
/** Rows the two clients keep however short the pane: header and latest answer (side by side). */
const MIN_CLIENT_ROWS = 2;
/** A client's column narrower than this uses the short words. */
const ROOMY_COLS = 40;

const failures = (n: number) => `${n} failed`;

export const ClientPane = memo(function ClientPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const active = useUi((s) => s.client);
  const statuses = useLabView(clientStatuses);
  const startedAt = useLab((s) => s.startedAt);
  const results = useLab((s) => s.clientResults);
  const workload = useLab((s) => s.workload);
  const heartbeat = useLab((s) => s.heartbeat);
  // Attached (a deployment the lab only watches), the keys that would send it reads and writes are dimmed: the pane's
  // hint must not offer them (the registry decides, as it does for the footer).
  const controller = useController();
  const noTraffic = (['client.write', 'client.read', 'workload.toggle'] as const).every(
    (id) => unavailableReason(actions[id], { controller }) !== undefined,
  );
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);
  const at = (t: number) => sinceStart(t, startedAt);

  /** Up to four rows about one client, each fitting `w` columns. */
  const block = (st: ClientStatus, w: number): ReactNode[] => {
    const mine = st.client === active;
    const roomy = w >= ROOMY_COLS;
    const mark = mine ? '▶' : ' ';
    let header = `${mark} client ${st.client} · ${st.host} · ${targetWords(st.target)}`;
    if (!roomy) {
      const pinned = st.target.kind === 'node' ? `pinned ${st.target.node}` : 'Sentinel';
      header = `${mark} client ${st.client} (${pinned})`;
      if (header.length > w && st.target.kind === 'node') header = `${mark} client ${st.client} (pinned)`;
    }
    const rows: ReactNode[] = [
      <Text key="h" wrap="truncate-end" {...theme.style(mine ? 'text.title' : 'status.muted')}>
        {header}
      </Text>,
    ];
    const l = st.last;
    if (!l) {
      rows.push(
        <Text key="n" wrap="truncate-end" {...theme.style('status.muted')}>
          {roomy ? '  ' : ''}no requests yet
        </Text>,
      );
    }
    if (l)
      rows.push(
        <Text key="l" wrap="truncate-end">
          {roomy ? '  ' : ''}
          <Text {...theme.style(l.ok ? 'status.ok' : 'status.error')}>
            {l.ok ? '✓ ' : '✗ '}
            {l.text}
          </Text>
          <Text {...theme.style('status.muted')}>
            {l.node ? ` @${l.node}` : ''} {at(l.at)}
          </Text>
        </Text>,
      );
    if (l && st.failingSince !== undefined) {
      const sofar = ((l.at - st.failingSince) / 1000).toFixed(1);
      rows.push(
        <Text key="f" wrap="truncate-end" {...theme.style('status.error')}>
          {roomy
            ? `  failing since ${at(st.failingSince)}: ${sofar} s, ${failures(st.failingCount ?? 0)}`
            : `failing since ${at(st.failingSince)}`}
        </Text>,
      );
    } else if (st.recovered) {
      const r = st.recovered;
      rows.push(
        <Text key="r" wrap="truncate-end" {...theme.style('status.ok')}>
          {roomy
            ? `  recovered ${at(r.at)} after ${(r.afterMs / 1000).toFixed(1)} s (${failures(r.failures)})${r.node ? ` on ${r.node}` : ''}`
            : `recovered ${at(r.at)} (${(r.afterMs / 1000).toFixed(1)}s)`}
        </Text>,
      );
    }
    if (st.lastError && st.lastError.seq !== l?.seq) {
      rows.push(
        <Text key="e" wrap="truncate-end" {...theme.style('status.muted')}>
          {roomy ? '  last error ' : 'err '}
          {at(st.lastError.at)}: {st.lastError.text}
        </Text>,
      );
    }
    return rows.map((r, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: a fixed set of rows in a fixed order
      <Box key={i} width={w} flexShrink={0}>
        {r}
      </Box>
    ));
  };

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
  // The two clients keep at least their header and latest answer each; the verdict box goes first.
  const roomForBox = rowsAvail - MIN_CLIENT_ROWS - tail.length >= 5;
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
  const sideBySide = cols >= SIDE_BY_SIDE_COLS;
  const half = sideBySide ? Math.floor((cols - 1) / 2) : cols;
  const [a, b] = statuses;
  const spare = Math.max(MIN_CLIENT_ROWS, rowsAvail - tailRows);
  const perBlock = Math.max(2, sideBySide ? spare : Math.floor(spare / 2));
  const blockA = block(a, half).slice(0, perBlock);
  const blockB = block(b, half).slice(0, perBlock);
  const clientsRows = sideBySide ? Math.max(blockA.length, blockB.length) : blockA.length + blockB.length;
  const clients = sideBySide ? (
    <Box key="clients" flexDirection="row" flexShrink={0}>
      <Box flexDirection="column" width={half}>
        {blockA}
      </Box>
      <Box flexDirection="column" width={1}>
        {Array.from({ length: clientsRows }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a column of identical separators
          <Text key={i} {...theme.style('status.muted')}>
            │
          </Text>
        ))}
      </Box>
      <Box flexDirection="column" width={half}>
        {blockB}
      </Box>
    </Box>
  ) : (
    <Box key="clients" flexDirection="column" flexShrink={0}>
      {blockA}
      {blockB}
    </Box>
  );

  const room = Math.max(0, rowsAvail - clientsRows - tailRows);
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
        {noTraffic
          ? 'only watched: the lab sends it no reads or writes (w, r, g are dimmed)'
          : 'w writes a key, r reads one, c switches client, g runs a workload'}
      </Text>,
    );
  }
  const title = heartbeat.running ? `Clients · both writing every ${heartbeat.everyMs ?? '?'} ms` : 'Clients';
  return (
    <Pane width={width} height={height} focused={focused} title={title} tabs={tabs}>
      <Box flexDirection="column" flexShrink={0}>
        {clients}
        {recent}
        {tail}
      </Box>
    </Pane>
  );
});
