// Sandbox replacement for the lesson pane: the most useful keys, generated from the registry. A key the deployment
// cannot use is dimmed, as in the footer and the `?` overlay; attached to a deployment the lab did not start, the
// intro says so instead of calling it the sandbox.
import { Box, Text } from 'ink';
import { useController, useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { actionEntries, actionTitle } from '../keymap/actions.js';
import { unavailableReason } from '../keymap/dispatch.js';
import { formatKeys } from '../keymap/keys.js';
import { pad } from '../lib/format.js';
import { observesOnly } from '../lib/observed.js';

const GROUPS = new Set(['Node', 'Faults', 'Client', 'Cluster', 'App']);

export function CheatSheet({ rows }: { rows: number }) {
  const theme = useTheme();
  const controller = useController();
  const masterName = useLab((s) => s.topology.sentinel.masterName);
  const observed = observesOnly(controller.unavailable);
  const entries = actionEntries
    .filter(([, a]) => a.scope === 'global' && GROUPS.has(a.group))
    .map(([id, a]) => ({ id, a, dimmed: unavailableReason(a, { controller }) !== undefined }));
  // What can be used first, so a short pane keeps it; the rest dimmed below.
  const shown = [...entries.filter((e) => !e.dimmed), ...entries.filter((e) => e.dimmed)];
  const intro = observed
    ? `Attached to "${masterName}": dimmed keys do not apply.`
    : 'Sandbox: no lesson. Break things and watch Sentinel react.';
  const lines = [
    <Text key="intro" wrap="truncate-end" {...theme.style('status.muted')}>
      {intro}
    </Text>,
    ...shown.map(({ id, a, dimmed }) => (
      <Text key={id} wrap="truncate-end" {...(dimmed ? theme.style('status.muted') : {})}>
        <Text {...theme.style(dimmed ? 'status.muted' : 'text.key')}>{pad(formatKeys(a.keys), 8)}</Text>
        <Text {...(dimmed ? theme.style('status.muted') : {})}>
          {actionTitle(a, masterName)}
          {dimmed ? ' (unavailable)' : ''}
        </Text>
      </Text>
    )),
  ];
  return (
    <Box flexDirection="column" flexShrink={0}>
      {lines.slice(0, rows)}
    </Box>
  );
}
