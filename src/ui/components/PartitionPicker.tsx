// Partition picker: put hosts into group A / B, choose two-way or one-way and drop or reject, and see the
// exact fault it will apply before pressing Enter. Hints and the preview wrap in narrow columns rather than being cut.
import { Box, Text } from 'ink';
import { useShallow } from 'zustand/shallow';
import { actionLine } from '../../actions/catalog.js';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { pad } from '../lib/format.js';
import { partitionAction } from '../lib/pickers.js';
import type { Modal } from '../state/ui-store.js';
import { Pane } from './Pane.js';

type Form = Extract<Modal, { kind: 'partition' }>;

export function PartitionPicker({ width, height, form }: { width: number; height: number; form: Form }) {
  const theme = useTheme();
  const hosts = useLab(useShallow((s) => s.topology.hosts.map((h) => h.id)));
  const nodes = useLab((s) => s.topology.nodes);
  const preview = partitionAction(form, hosts);
  const rows = [
    <Text key="help" wrap="wrap" {...theme.style('status.muted')}>
      a/b/Space: group · d: direction · m: drop/reject · Enter apply · Esc cancel
    </Text>,
    ...hosts.map((h, i) => {
      const side = form.sides[h];
      const on = nodes.filter((n) => n.host === h).map((n) => n.id);
      return (
        <Text key={h} wrap="truncate-end" {...(i === form.cursor ? theme.style('selection') : {})}>
          {i === form.cursor ? '▶ ' : '  '}
          <Text {...theme.style(side === 'A' ? 'status.warn' : side === 'B' ? 'status.info' : 'status.muted')}>
            [{side ?? ' '}]
          </Text>{' '}
          {pad(h, 7)} {on.join(' ')}
        </Text>
      );
    }),
    <Text key="dir" wrap="truncate-end">
      direction: <Text {...theme.style('text.title')}>{form.oneWay ? 'one-way A → B' : 'two-way A ⇄ B'}</Text>
    </Text>,
    <Text key="mode" wrap="wrap">
      mode: <Text {...theme.style('text.title')}>{form.mode}</Text>
      <Text {...theme.style('status.muted')}>
        {form.mode === 'drop' ? ' (packets vanish; peers time out)' : ' (connections refused at once)'}
      </Text>
    </Text>,
    'error' in preview ? (
      <Text key="prev" wrap="wrap" {...theme.style('status.muted')}>
        → {preview.error}
      </Text>
    ) : (
      <Text key="prev" wrap="wrap" {...theme.style('status.ok')}>
        → {actionLine(preview.action)}
      </Text>
    ),
  ];
  if (form.error) {
    rows.push(
      <Text key="err" wrap="wrap" {...theme.style('status.error')}>
        ✗ {form.error}
      </Text>,
    );
  }
  return (
    <Pane width={width} height={height} focused={true} title="Partition hosts">
      <Box flexDirection="column" flexShrink={0}>
        {rows.slice(0, Math.max(0, height - 2))}
      </Box>
    </Pane>
  );
}
