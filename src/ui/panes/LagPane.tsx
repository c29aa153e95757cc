// Replication lag per replica (bytes behind, seconds since the last ACK, a sparkline of recent lag) and the
// master's min-replicas guard: how many replicas are good, how many are needed, and whether writes are refused.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useShallow } from 'zustand/shallow';
import { redisNodes } from '../../cluster/topology.js';
import { selectLags } from '../../state/selectors.js';
import { Pane } from '../components/Pane.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { writeGuard } from '../lib/cluster-view.js';
import { formatBytes, PROCESS_SYMBOL, pad, sparkline } from '../lib/format.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

// An idle master's 14-byte PINGs should draw a flat line, not a saw tooth.
const SPARK_FLOOR_BYTES = 1000;

export const LagPane = memo(function LagPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const { redis, topology, lagHistory, processes } = useLab(
    useShallow((s) => ({ redis: s.redis, topology: s.topology, lagHistory: s.lagHistory, processes: s.processes })),
  );
  const lags = useLab(selectLags);
  const guard = useLab(useShallow((s) => writeGuard(s, selectLags(s))));
  const cols = innerCols(width);
  const rowsAvail = innerRows(height);

  const guardText =
    guard.toWrite > 0
      ? `min-replicas-to-write ${guard.toWrite} · max-lag ${guard.maxLagSec}s`
      : `min-replicas-to-write 0 (guard off) · max-lag ${guard.maxLagSec}s`;
  const goodText =
    guard.toWrite > 0
      ? `good ${guard.good}/${guard.toWrite}${cols >= 48 ? ' needed' : ''} → ${guard.refusing ? 'writes refused (NOREPLICAS)' : 'writes accepted'}`
      : `good ${guard.good}/${guard.replicas} → writes accepted`;
  const replicaIds = redisNodes(topology)
    .map((n) => n.id)
    .filter((id) => id !== guard.masterId && redis[id]?.replication?.role !== 'master');
  const tight = rowsAvail < replicaIds.length + 2;
  const rows = tight
    ? [
        <Text key="good" wrap="truncate-end" {...theme.style(guard.refusing ? 'status.error' : 'status.ok')}>
          {guard.refusing ? '✗ ' : '✓ '}
          {goodText}
          <Text {...theme.style('status.muted')}>
            {' '}
            (min {guard.toWrite}, lag ≤{guard.maxLagSec}s)
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
  const showMaster = cols >= 75;
  // Fixed columns: id 8, ⇐master 9, link 10, bytes 8, ack 8, verdict 10; the sparkline takes what is left.
  const fixed = 8 + (showMaster ? 9 : 0) + 10 + 8 + 8 + 11;
  const spare = Math.min(16, cols - fixed - 1);
  const sparkWidth = spare >= 4 ? spare : 0;
  for (const id of replicaIds) {
    const lag = lags.find((l) => l.replicaId === id);
    const state = processes[id]?.state ?? 'starting';
    if (!lag) {
      // No computable lag: the replica's master is gone, or the replica itself is down.
      const r = redis[id]?.replication;
      const upstream = redis[id]?.masterId ?? (r?.masterHost ? `${r.masterHost}:${r.masterPort}` : undefined);
      const since =
        r?.masterLinkDownSinceSec !== undefined && r.masterLinkDownSinceSec >= 0 ? ` ${r.masterLinkDownSinceSec}s` : '';
      rows.push(
        <Text key={id} wrap="truncate-end" {...theme.style(r ? 'status.error' : 'status.muted')}>
          {pad(id, 8)}
          {r?.role === 'replica' && upstream
            ? `⇐ ${upstream} ✗ link down${since} (master unreachable)`
            : `${PROCESS_SYMBOL[state]} · not replicating`}
        </Text>,
      );
      continue;
    }
    const link = lag.syncing
      ? '⟳ sync'
      : lag.linkUp
        ? '✓ up'
        : `✗ down${lag.linkDownSec ? ` ${lag.linkDownSec}s` : ''}`;
    const ack = lag.ackAgeSec !== undefined ? `ack ${lag.ackAgeSec}s` : 'ack -';
    const good = lag.isGood ? '✓ good' : '✗ not good';
    rows.push(
      <Text key={id} wrap="truncate-end">
        <Text {...theme.style('role.replica')}>{pad(id, 8)}</Text>
        {showMaster ? <Text {...theme.style('status.muted')}>⇐{pad(lag.masterId, 8)} </Text> : null}
        <Text {...theme.style(lag.linkUp ? 'status.ok' : 'status.error')}>{pad(link, 10)}</Text>
        <Text>{pad(formatBytes(lag.lagBytes), 8)}</Text>
        <Text
          {...theme.style(
            lag.ackAgeSec !== undefined && lag.ackAgeSec > guard.maxLagSec ? 'status.error' : 'status.muted',
          )}
        >
          {pad(ack, 8)}
        </Text>
        {sparkWidth ? (
          <Text {...theme.style('status.info')}>
            {pad(sparkline(lagHistory[id] ?? [], sparkWidth, SPARK_FLOOR_BYTES), sparkWidth + 1)}
          </Text>
        ) : null}
        <Text {...theme.style(lag.isGood ? 'status.ok' : 'status.warn')}>{good}</Text>
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
