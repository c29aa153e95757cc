// Draws one wrapped Markdown line with theme styles for headings, `code` and **bold**.
import { Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import type { MdLine } from '../lib/markdown.js';

/** Spans of one line never reorder, so their position is a stable key. */
function keyed(line: MdLine) {
  return line.map((span, n) => ({ id: `${n}`, span }));
}

export function MdLineView({ line }: { line: MdLine }) {
  const theme = useTheme();
  if (!line.length) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {keyed(line).map(({ id, span }) => (
        <Text
          key={id}
          {...(span.style === 'code'
            ? theme.style('text.code')
            : span.style === 'heading'
              ? theme.style('text.heading')
              : span.style === 'bold'
                ? theme.style('text.title')
                : {})}
        >
          {span.text}
        </Text>
      ))}
    </Text>
  );
}
