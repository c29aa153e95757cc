// Top row: run status (phase, start-up time, ports), who is master, active fault count, lesson progress.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { redisNodes, sentinelNodes } from '../../cluster/topology.js';
import { selectMasters } from '../../state/selectors.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { Spinner } from './Spinner.js';

function range(ports: number[]): string {
  if (!ports.length) return '-';
  const lo = Math.min(...ports);
  const hi = Math.max(...ports);
  return lo === hi ? `${lo}` : `${lo}-${hi}`;
}

export const Header = memo(function Header({ width }: { width: number }) {
  const theme = useTheme();
  const phase = useLab((s) => s.phase);
  const readyMs = useLab((s) => s.readyMs);
  const moved = useLab((s) => s.portsMoved);
  const topology = useLab((s) => s.topology);
  const faults = useLab((s) => s.faults.length);
  const masters = useLab((s) => selectMasters(s).join(', '));
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
  const masterText = masters.includes(',') ? `⚠ masters ${masters}` : masters ? `master ${masters}` : 'master ?';
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
        <Text {...theme.style(masters.includes(',') ? 'status.error' : 'role.master')}>{masterText}</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(faults ? 'status.warn' : 'status.muted')}>
          {faults ? `╳ ${faults} active fault${faults > 1 ? 's' : ''}` : 'no faults'}
        </Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        {lessonStep ? <Text>lesson step {lessonStep}</Text> : <Text {...theme.style('status.muted')}>sandbox</Text>}
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(moved ? 'status.warn' : 'status.muted')}>{ports}</Text>
      </Text>
    </Box>
  );
});
