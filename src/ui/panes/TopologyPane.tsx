// Hosts and their nodes: roles, process states, replication links, Sentinel opinions, and active faults.
// Says so in words when Sentinels disagree or two nodes both claim to be master.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { selectDisagreement, selectMasters, selectSettings } from '../../state/selectors.js';
import { Pane } from '../components/Pane.js';
import { useController, useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { faultSummary } from '../lib/cluster-view.js';
import { notAnswering, notAnsweringCounts, OBSERVED_SYMBOL, observesOnly } from '../lib/observed.js';
import { topologyPlan } from '../lib/topology-plan.js';
import { HostRow } from './HostRow.js';
import { NodeRow } from './NodeRow.js';
import { innerCols, innerRows, type PaneFrameProps } from './pane-props.js';

const LEGEND_ROLES = '[M] master [R] replica [S] sentinel';
const LEGEND_STATES = '● running ⏸ frozen ■ stopped ✗ exited';
/** Attach mode: what the probes observe, not process states (lib/observed.ts). */
const LEGEND_OBSERVED = `${OBSERVED_SYMBOL.answers} ${OBSERVED_SYMBOL.refused} ${OBSERVED_SYMBOL.silent}`;

export const TopologyPane = memo(function TopologyPane({ width, height, focused, tabs }: PaneFrameProps) {
  const theme = useTheme();
  const rowsAvail = innerRows(height);
  const cols = innerCols(width);
  const plan = useLabView((s) => topologyPlan(s, { width: cols, height: rowsAvail }));
  const { roomy, hosts } = plan;
  const nodesByHost = useLab((s) => s.topology.nodes);
  const faults = useLab((s) => s.faults);
  const observed = observesOnly(useController().unavailable);
  // The header's counts (components/Header.tsx): network faults (what h/H heal) and nodes down, each as such.
  const badge = useLabView((s) => {
    if (observed) {
      return notAnsweringCounts(notAnswering(s)) || undefined;
    }
    const f = faultSummary(s);
    const parts: string[] = [];
    if (f.nodes.length) parts.push(`${f.nodes.length} down`);
    if (f.network) parts.push(`${f.network} fault${f.network > 1 ? 's' : ''}`);
    return parts.length ? parts.join(' · ') : undefined;
  });
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
  const states = observed ? LEGEND_OBSERVED : LEGEND_STATES;
  const one = `${LEGEND_ROLES}  ${states}`;
  const legend = one.length <= cols ? [one] : [LEGEND_ROLES, states];
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
  return (
    <Pane width={width} height={height} focused={focused} title="Topology" tabs={tabs} badge={badge}>
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, rowsAvail)}
      </Box>
    </Pane>
  );
});
