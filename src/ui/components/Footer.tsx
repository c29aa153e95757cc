// Bottom row: key hints generated from the registry for what is enabled right now; what the deployment cannot do
// is dimmed, with the reason at the end.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useController, useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { useUi } from '../hooks/use-ui.js';
import type { WhenContext } from '../keymap/context.js';
import { fitHints, footerHints } from '../keymap/footer.js';
import type { Layout } from '../layout.js';

export const Footer = memo(function Footer({ width, layout }: { width: number; layout: Layout }) {
  const theme = useTheme();
  const controller = useController();
  const ui = useUi((s) => s);
  // The selector returns a string so the footer redraws only when the hints really change.
  const encoded = useLab((lab) => {
    const ctx: WhenContext = { controller, lab, ui, layout };
    return fitHints(footerHints(ctx), width)
      .map((h) => `${h.keys}\t${h.label}\t${h.note ? 'note' : h.dimmed ? 'dim' : ''}`)
      .join('\n');
  });
  const hints = encoded ? encoded.split('\n').map((l) => l.split('\t') as [string, string, string]) : [];
  return (
    <Box width={width} height={1} flexShrink={0}>
      <Text wrap="truncate-end">
        {hints.map(([keys, label, dim], i) => (
          <Text key={`${keys}-${label}`}>
            {i ? <Text {...theme.style('status.muted')}> · </Text> : null}
            {dim ? (
              <Text {...theme.style('status.muted')}>{dim === 'note' ? label : `(${keys} ${label})`}</Text>
            ) : (
              <>
                <Text {...theme.style('text.key')}>{keys}</Text>
                <Text> {label}</Text>
              </>
            )}
          </Text>
        ))}
      </Text>
    </Box>
  );
});
