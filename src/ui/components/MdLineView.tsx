// Draws one laid-out line (lib/markdown.ts, lib/lesson-doc.ts) with the theme's styles. The line is already
// no wider than its pane, so it is drawn as is: never wrapped again, never truncated.
import { Text } from 'ink';
import { memo } from 'react';
import { useTheme } from '../hooks/use-theme.js';
import type { MdLine, SpanStyle } from '../lib/markdown.js';
import type { Token } from '../theme/tokens.js';

/** Theme token per span style; plain text has none. */
export const SPAN_TOKEN: Record<SpanStyle, Token | undefined> = {
  plain: undefined,
  heading: 'text.heading',
  strong: 'text.title',
  em: undefined,
  code: 'text.code',
  link: 'status.info',
  url: 'status.muted',
  mark: 'status.muted',
  title: 'text.title',
  muted: 'status.muted',
  ok: 'status.ok',
  error: 'status.error',
  info: 'status.info',
  warn: 'status.warn',
};

/** Spans of one line never reorder, so their position is a stable key. */
function keyed(line: MdLine) {
  return line.map((span, n) => ({ id: `${n}`, span }));
}

export const MdLineView = memo(function MdLineView({ line }: { line: MdLine }) {
  const theme = useTheme();
  const styleOf = (style: SpanStyle) => {
    const token = SPAN_TOKEN[style];
    return token ? theme.style(token) : {};
  };
  if (!line.length) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {keyed(line).map(({ id, span }) => (
        <Text key={id} {...styleOf(span.style)} italic={span.style === 'em'}>
          {span.text}
        </Text>
      ))}
    </Text>
  );
});
