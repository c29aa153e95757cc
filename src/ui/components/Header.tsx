// Top row: run status (phase, start-up time, ports), who is master (selectMastership, also during a split), what is
// broken (killed, stopped and frozen nodes, and the network faults h/H heal: only those are counted as "faults"),
// lesson progress. Attached to a deployment the lab does not run (lib/observed.ts) it says so, and names the nodes
// that do not answer instead of process states it cannot know.
import { Box, Text } from 'ink';
import { memo } from 'react';
import stringWidth from 'string-width';
import { redisNodes, sentinelNodes } from '../../cluster/topology.js';
import { listing, type Mastership, selectMastership } from '../../state/selectors.js';
import { useController, useLab, useLabView } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import { faultSummary } from '../lib/cluster-view.js';
import { notAnswering, notAnsweringCounts, observesOnly } from '../lib/observed.js';
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

/**
 * The header's breakage segment: in full (names) and short (counts). "Fault" means what h/H heal, the network faults,
 * so the count and heal-all agree; nodes down are counted as nodes down (R restarts them, z thaws a frozen one).
 */
export function faultsText(f: { nodes: ReadonlyArray<{ id: string }>; network: number; text: string }): {
  any: boolean;
  full: string;
  short: string;
} {
  const any = f.nodes.length + f.network > 0;
  const parts: string[] = [];
  if (f.nodes.length) parts.push(`${f.nodes.length} node${f.nodes.length === 1 ? '' : 's'} down`);
  if (f.network) parts.push(`${f.network} fault${f.network === 1 ? '' : 's'}`);
  return { any, full: any ? `╳ ${f.text}` : 'no faults', short: `╳ ${parts.join(' · ')}` };
}

/** Attach mode: the nodes that do not answer the lab, or refuse its login (nothing else is the lab's to know). */
export function observedText(o: { silent: readonly string[]; refused: readonly string[] }): {
  any: boolean;
  full: string;
  short: string;
} {
  const n = o.silent.length + o.refused.length;
  if (!n) return { any: false, full: 'every node answers', short: 'every node answers' };
  const full = [
    o.silent.length ? `${o.silent.join(', ')} no answer` : '',
    o.refused.length ? `${o.refused.join(', ')} refused the lab's login` : '',
  ].filter(Boolean);
  return { any: true, full: `╳ ${full.join(' · ')}`, short: `╳ ${notAnsweringCounts(o)}` };
}

export const Header = memo(function Header({ width }: { width: number }) {
  const theme = useTheme();
  const observed = observesOnly(useController().unavailable);
  const phase = useLab((s) => s.phase);
  const readyMs = useLab((s) => s.readyMs);
  const moved = useLab((s) => s.portsMoved);
  const topology = useLab((s) => s.topology);
  const faults = useLabView((s) => (observed ? observedText(notAnswering(s)) : faultsText(faultSummary(s))));
  const master = useLabView((s) => {
    const m = selectMastership(s);
    // Attached, a master nobody can read (it does not answer, or refuses the lab's login) is still the one the
    // Sentinels name: "no master" would be an invention.
    if (observed && m.claims.length === 0 && m.reference)
      return { text: `no master seen (Sentinels name ${m.reference})`, split: false };
    return masterSummary(m);
  });
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
  // Attached, the lab did not start the deployment: not the sandbox (README.md, "Use it on your own deployment").
  const lessonText = lessonStep ? `lesson step ${lessonStep}` : observed ? 'attached' : 'sandbox';
  // Named faults when the row has room for them, else how many.
  const { full, short } = faults;
  const fixed = ['redis-sentinel-lab', status, master.text, lessonText]
    .map((t) => stringWidth(t))
    .reduce((a, b) => a + b, 0);
  const faultText = faults.any && fixed + 3 * 4 + (busy ? 2 : 0) + stringWidth(full) > width ? short : full;
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
        <Text {...theme.style(faults.any ? 'status.warn' : 'status.muted')}>{faultText}</Text>
        <Text {...theme.style('status.muted')}> │ </Text>
        {lessonStep ? <Text>{lessonText}</Text> : <Text {...theme.style('status.muted')}>{lessonText}</Text>}
        <Text {...theme.style('status.muted')}> │ </Text>
        <Text {...theme.style(moved ? 'status.warn' : 'status.muted')}>{ports}</Text>
      </Text>
    </Box>
  );
});
