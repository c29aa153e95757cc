// Top row: run status (phase, start-up time, ports), who is master (selectMastership, also during a split), the
// faults in force (killed, stopped and frozen nodes as well as network faults), lesson progress.
import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import { redisNodes, sentinelNodes } from '../../cluster/topology.js';
import { listing, type Mastership, selectMastership } from '../../state/selectors.js';
import { useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { faultSummary } from '../lib/cluster-view.js';
import { Spinner } from './Spinner.js';

function range(ports: number[]): string {
  if (!ports.length) return '-';
  const lo = Math.min(...ports);
  const hi = Math.max(...ports);
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

/** "master redis-2"; "⚠ redis-1 and redis-3 claim master (Sentinels: redis-3)"; "no master". */
export function masterSummary(m: Pick<Mastership, 'master' | 'claims'>): { text: string; split: boolean } {
  if (m.claims.length > 1) {
    const named = m.master ? ` (Sentinels: ${m.master})` : ' (no Sentinel majority)';
    return { text: `⚠ ${listing(m.claims)} claim master${named}`, split: true };
  }
  return { text: m.master ? `master ${m.master}` : 'no master', split: false };
}

export const Header = memo(function Header({ width }: { width: number }) {
  const theme = useTheme();
  const phase = useLab((s) => s.phase);
  const readyMs = useLab((s) => s.readyMs);
  const moved = useLab((s) => s.portsMoved);
  const topology = useLab((s) => s.topology);
  const faults = useLabView((s) => {
    const f = faultSummary(s);
    return { total: f.total, text: f.text };
  });
  const master = useLabView((s) => masterSummary(selectMastership(s)));
  const lessonStep = useLab((s) => (s.lesson ? `${s.lesson.stepIndex + 1}/${s.lesson.steps.length}` : ''));
  const quitting = useUi((s) => s.quitting?.processes);

  const busy = quitting !== undefined || phase === 'starting' || phase === 'stopping';
  const status =
    quitting !== undefined
      ? `stopping ${quitting} processes…`
      : phase === 'ready'
        ? `● ready${readyMs !== undefined ? ` in ${(readyMs / 1000).toFixed(1)} s` : ''}`
        : phase === 'starting'
          ? 'starting the cluster…'
          : phase === 'degraded'
            ? '⚠ degraded'
            : phase === 'failed'
              ? '✗ failed'
              : phase === 'stopping'
                ? 'stopping…'
                : '■ stopped';
  const statusToken =
    phase === 'ready' && quitting === undefined
      ? 'status.ok'
      : phase === 'failed'
        ? 'status.error'
        : phase === 'degraded' || quitting !== undefined
          ? 'status.warn'
          : 'status.info';
  const ports = moved
    ? `ports moved to ${moved.to} because ${moved.from} is busy`
    : `redis ${range(redisNodes(topology).map((n) => n.port))} · sentinels ${range(sentinelNodes(topology).map((n) => n.port))}`;
  const lessonText = lessonStep ? `lesson step ${lessonStep}` : 'sandbox';
  // Named faults when the row has room for them, else how many.
  const full = faults.total ? `╳ ${faults.text}` : 'no faults';
  const short = `╳ ${faults.total} fault${faults.total === 1 ? '' : 's'}`;
  const fixed = ['redis-sentinel-lab', status, master.text, lessonText]
    .map((t) => stringWidth(t))
    .reduce((a, b) => a + b, 0);
  const faultText = faults.total && fixed + 3 * 4 + (busy ? 2 : 0) + stringWidth(full) > width ? short : full;
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text {...theme.style('text.title')}>redis-sentinel-lab</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        {busy ? (
          <Text {...theme.style(statusToken)}>
            <Spinner />{' '}
          </Text>
        ) : null}
        <Text {...theme.style(statusToken)}>{status}</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(master.split ? 'status.error' : 'role.master')}>{master.text}</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(faults.total ? 'status.warn' : 'status.muted')}>{faultText}</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        {lessonStep ? <Text>{lessonText}</Text> : <Text {...theme.style('status.muted')}>{lessonText}</Text>}
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(moved ? 'status.warn' : 'status.muted')}>{ports}</Text>
      </Text>
    </Box>
  );
});
