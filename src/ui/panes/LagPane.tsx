// Replication lag per replica (bytes behind, seconds since the last ACK, a sparkline of recent lag) and the
// master's min-replicas guard: how many replicas are good, how many are needed, and whether writes are refused.
// The per-replica figures change on every probe, so they redraw at most once a second.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { redisNodes } from '../../cluster/topology.js';
import { selectLags } from '../../state/selectors.js';
import type { LabState } from '../../state/store.js';
import { Pane } from '../components/Pane.js';
import { useLabThrottled, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { writeGuard } from '../lib/cluster-view.js';
import { formatBytes, PROCESS_SYMBOL, pad, sparkline } from '../lib/format.js';
import type { Token } from '../theme/tokens.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

// An idle cluster still replicates Sentinel hellos and PINGs (a few hundred bytes between ACKs); that noise
// should draw a flat line, not a saw tooth.
export const SPARK_FLOOR_BYTES = 4096;
/** Lag figures redraw at most this often. */
export const LAG_REFRESH_MS = 1000;

export type LagRow =
  | { kind: 'none'; id: string; token: Token; text: string }
  | {
      kind: 'lag';
      id: string;
      masterId: string;
      link: string;
      linkUp: boolean;
      bytes: string;
      ack: string;
      ackLate: boolean;
      spark: string;
      good: boolean;
    };

/** One row per replica (nodes that are not the master): live replicas first, then those that cannot replicate. */
export function lagRows(s: LabState, cols: number, maxLagSec: number, masterId: string | undefined): LagRow[] {
  const lags = selectLags(s);
  const sparkWidth = lagSparkWidth(cols);
  const live: LagRow[] = [];
  const dead: LagRow[] = [];
  for (const n of redisNodes(s.topology)) {
    const id = n.id;
    if (id === masterId || s.redis[id]?.replication?.role === 'master') continue;
    const lag = lags.find((l) => l.replicaId === id);
    if (!lag) {
      // No computable lag: the replica's master is gone, or the replica itself is down.
      const r = s.redis[id]?.replication;
      const state = s.processes[id]?.state ?? 'starting';
      const upstream = s.redis[id]?.masterId ?? (r?.masterHost ? `${r.masterHost}:${r.masterPort}` : undefined);
      const since =
        r?.masterLinkDownSinceSec !== undefined && r.masterLinkDownSinceSec >= 0 ? ` ${r.masterLinkDownSinceSec}s` : '';
      const row: LagRow = {
        kind: 'none',
        id,
        token: r ? 'status.error' : 'status.muted',
        text:
          r?.role === 'replica' && upstream
            ? `⇐ ${upstream} ✗ link down${since}${cols >= 56 ? ' (master unreachable)' : ''}`
            : `${PROCESS_SYMBOL[state]} · not replicating`,
      };
      (r ? live : dead).push(row);
      continue;
    }
    live.push({
      kind: 'lag',
      id,
      masterId: lag.masterId,
      link: lag.syncing ? '⟳ sync' : lag.linkUp ? '✓ up' : `✗ down${lag.linkDownSec ? ` ${lag.linkDownSec}s` : ''}`,
      linkUp: lag.linkUp,
      bytes: formatBytes(lag.lagBytes),
      ack: lag.ackAgeSec !== undefined ? `ack ${lag.ackAgeSec}s` : 'ack -',
      ackLate: lag.ackAgeSec !== undefined && lag.ackAgeSec > maxLagSec,
      spark: sparkWidth ? sparkline(s.lagHistory[id] ?? [], sparkWidth, SPARK_FLOOR_BYTES) : '',
      good: lag.isGood,
    });
  }
  return [...live, ...dead];
}

const showMasterColumn = (cols: number) => cols >= 75;

/** Fixed columns: id 8, ⇐master 9, link 10, bytes 8, ack 8, verdict 11; the sparkline takes what is left (≤ 16). */
function lagSparkWidth(cols: number): number {
  const fixed = 8 + (showMasterColumn(cols) ? 9 : 0) + 10 + 8 + 8 + 11;
  const spare = Math.min(16, cols - fixed - 1);
  return spare >= 4 ? spare : 0;
}

export const LagPane = memo(function LagPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const cols = innerCols(width);
  const rowsAvail = innerRows(height);
  const guard = useLabView((s) => writeGuard(s, selectLags(s)));
  const replicaRows = useLabThrottled((s) => lagRows(s, cols, guard.maxLagSec, guard.masterId), LAG_REFRESH_MS);

  const guardText =
    guard.toWrite > 0
      ? `min-replicas-to-write ${guard.toWrite} · max-lag ${guard.maxLagSec}s`
      : `min-replicas-to-write 0 (guard off) · max-lag ${guard.maxLagSec}s`;
  const goodText =
    guard.toWrite > 0
      ? `good ${guard.good}/${guard.toWrite}${cols >= 48 ? ' needed' : ''} → ${guard.refusing ? 'writes refused (NOREPLICAS)' : 'writes accepted'}`
      : `good ${guard.good}/${guard.replicas} → writes accepted`;
  const tight = rowsAvail < replicaRows.length + 2;
  const rows = tight
    ? [
        <Text key="good" wrap="truncate-end" {...theme.style(guard.refusing ? 'status.error' : 'status.ok')}>
          {guard.refusing ? '✗ ' : '✓ '}
          {goodText}
          <Text {...theme.style('status.muted')}>
            {/* The setting the verdict depends on, in as few characters as it takes. */}
            {guard.toWrite > 0 ? ` (max-lag ${guard.maxLagSec}s)` : ' (guard off)'}
          </Text>
        </Text>,
      ]
    : [
        <Text key="guard" wrap="truncate-end">
          <Text {...theme.style('status.muted')}>{guardText}</Text>
        </Text>,
        <Text key="good" wrap="truncate-end" {...theme.style(guard.refusing ? 'status.error' : 'status.ok')}>
          {guard.refusing ? '✗ ' : '✓ '}
          {goodText}
        </Text>,
      ];
  const showMaster = showMasterColumn(cols);
  const sparkWidth = lagSparkWidth(cols);
  for (const row of replicaRows) {
    if (row.kind === 'none') {
      rows.push(
        <Text key={row.id} wrap="truncate-end" {...theme.style(row.token)}>
          {pad(row.id, 8)}
          {row.text}
        </Text>,
      );
      continue;
    }
    rows.push(
      <Text key={row.id} wrap="truncate-end">
        <Text {...theme.style('role.replica')}>{pad(row.id, 8)}</Text>
        {showMaster ? <Text {...theme.style('status.muted')}>⇐{pad(row.masterId, 8)} </Text> : null}
        <Text {...theme.style(row.linkUp ? 'status.ok' : 'status.error')}>{pad(row.link, 10)}</Text>
        <Text>{pad(row.bytes, 8)}</Text>
        <Text {...theme.style(row.ackLate ? 'status.error' : 'status.muted')}>{pad(row.ack, 8)}</Text>
        {row.spark ? <Text {...theme.style('status.info')}>{pad(row.spark, sparkWidth + 1)}</Text> : null}
        <Text {...theme.style(row.good ? 'status.ok' : 'status.warn')}>{row.good ? '✓ good' : '✗ not good'}</Text>
      </Text>,
    );
  }
  const title = guard.masterId ? `Replication · master ${guard.masterId}` : 'Replication · no master';
  return (
    <Pane width={width} height={height} focused={focused} title={title} tabs={tabs}>
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
