// A spinner on Ink's shared animation timer; mounted only while something is pending, so an idle
// screen never redraws.
import { Text, useAnimation } from 'ink';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function Spinner() {
  const { frame } = useAnimation({ interval: 100 });
  return <Text>{FRAMES[frame % FRAMES.length]}</Text>;
}
