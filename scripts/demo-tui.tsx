// Runs the TUI against a fake controller and a fixture state, so the screen can be looked at without Redis:
//   tsx scripts/demo-tui.tsx [healthy|master-killed|partitioned|tilt|frozen-replica|verdict|lesson]

import { runTui } from '../src/ui/run-tui.js';
import { FIXTURES, type FixtureName } from '../test/fixtures/ui-states.js';
import { fakeController } from '../test/ui/fake-controller.js';

const name = (process.argv[2] ?? 'lesson') as FixtureName;
const make = FIXTURES[name];
if (!make) {
  process.stderr.write(`unknown fixture ${name}; try one of: ${Object.keys(FIXTURES).join(', ')}\n`);
  process.exit(2);
}
const state = make();
const { controller } = fakeController(state, { lesson: state.lesson !== undefined, simulate: true, delayMs: 600 });
await runTui(controller);
process.exit(0);
