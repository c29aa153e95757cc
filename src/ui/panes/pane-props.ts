// Props every pane gets from the screen: its outer size, focus, and the tab strip when it shares a slot.
import type { PaneProps } from '../components/Pane.js';

export interface PaneFrameProps {
  width: number;
  height: number;
  focused: boolean;
  tabs?: PaneProps['tabs'];
}

/** Rows available inside a pane of outer height `height` (top title row + bottom border). */
export function innerRows(height: number): number {
  return Math.max(0, height - 2);
}
export function innerCols(width: number): number {
  return Math.max(0, width - 2);
}
