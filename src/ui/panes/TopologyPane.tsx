// Hosts and their nodes: roles, process states, replication links, Sentinel opinions, and active faults.
// Says so in words when Sentinels disagree or two nodes both claim to be master.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { selectDisagreement, selectMasters, selectSettings } from '../../state/selectors.js';
import { Pane } from '../components/Pane.js';
import { useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { faultSummary } from '../lib/cluster-view.js';
import { topologyPlan } from '../lib/topology-plan.js';
import { HostRow } from './HostRow.js';
import { NodeRow } from './NodeRow.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

const LEGEND_ROLES = '[M] master [R] replica [S] sentinel';
const LEGEND_STATES = '● running ⏸ frozen ■ stopped ✗ exited';
const LEGEND = `${LEGEND_ROLES}  ${LEGEND_STATES}`;

export const TopologyPane = memo(function TopologyPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);
  const plan = useLabView((s) => topologyPlan(s, { width: cols, height: rowsAvail }));
  const { roomy, hosts } = plan;
  const nodesByHost = useLab((s) => s.topology.nodes);
  const faults = useLab((s) => s.faults);
  const faultCount = useLab((s) => faultSummary(s).total);
  // In force now (re-read from the Sentinels every probe round): a SENTINEL SET from outside shows here too.
  const settings = useLab(selectSettings);
  const disagree = useLab(selectDisagreement);
  const masters = useLab(selectMasters);

  const warnings: ReactNode[] = [];
  if (masters.length > 1) {
    warnings.push(
      <Text key="split" wrap="truncate-end" {...theme.style('status.error')}>
        ⚠ {masters.length} nodes claim master: {masters.join(', ')} (split brain)
      </Text>,
    );
  }
  // "sentinel-3 still names redis-1; sentinel-1, sentinel-2 name redis-2": one row per camp.
  for (const [i, part] of (disagree?.split('; ') ?? []).entries()) {
    warnings.push(
      <Text key={`dis-${part}`} wrap="truncate-end" {...theme.style('status.warn')}>
        {i === 0 ? '⚠ Sentinels disagree: ' : '  '}
        {part}
      </Text>,
    );
  }
  const faultRows = faults.map((f) => (
    <Text key={f.id} wrap="truncate-end" {...theme.style('status.error')}>
      ╳ {f.description}
    </Text>
  ));

  const rows: ReactNode[] = [];
  if (roomy) {
    for (const h of hosts) {
      rows.push(<HostRow key={`h-${h}`} host={h} />);
      for (const n of nodesByHost.filter((x) => x.host === h)) {
        rows.push(<NodeRow key={n.id} id={n.id} width={cols} showHost={false} showPort={cols >= 64} />);
      }
    }
  } else {
    for (const id of plan.order) {
      // Hosts only matter to the reader while a network fault is active.
      rows.push(<NodeRow key={id} id={id} width={cols} showHost={faults.length > 0} showPort={cols >= 60} />);
    }
  }
  rows.push(...warnings, ...faultRows);
  if (roomy && rows.length + 4 <= rowsAvail) {
    rows.push(<Text key="gap0"> </Text>);
    rows.push(
      <Text key="settings" wrap="truncate-end" {...theme.style('status.muted')}>
        quorum {settings.quorum} · down-after {settings.downAfterMs} ms · failover-timeout{' '}
        {settings.failoverTimeoutMs / 1000} s
      </Text>,
    );
  }
  // The legend on one row when it fits, else roles and states on two rows rather than cut off.
  const legend = LEGEND.length <= cols ? [LEGEND] : [LEGEND_ROLES, LEGEND_STATES];
  if (roomy && rows.length + 1 + legend.length <= rowsAvail) {
    rows.push(<Text key="gap"> </Text>);
    for (const l of legend) {
      rows.push(
        <Text key={`legend-${l}`} wrap="truncate-end" {...theme.style('status.muted')}>
          {l}
        </Text>,
      );
    }
  }
  // Every fault in force, nodes as well as the network (the header names them).
  const badge = faultCount ? `${faultCount} fault${faultCount > 1 ? 's' : ''}` : undefined;
  return (
    <Pane width={width} height={height} focused={focused} title="Topology" tabs={tabs} badge={badge}>
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
