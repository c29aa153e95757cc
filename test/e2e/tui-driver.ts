// The tmux driver of the real app (shared with the TUI benchmark), in one place for the end-to-end tests.
export { EXIT_MARK, hasTmux, READY, TuiRun } from '../../scripts/bench/tui.js';
