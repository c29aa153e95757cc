// Chooses the picker for an open fault modal; pickers take over the right-most column.
import type { Modal } from '../state/ui-store.js';
import { HealPicker } from './HealPicker.js';
import { LatencyPicker } from './LatencyPicker.js';
import { MisconfigurePicker } from './MisconfigurePicker.js';
import { PartitionPicker } from './PartitionPicker.js';

export type PickerModal = Extract<Modal, { kind: 'partition' | 'latency' | 'heal' | 'misconfigure' }>;

export function isPicker(m: Modal): m is PickerModal {
  return m.kind === 'partition' || m.kind === 'latency' || m.kind === 'heal' || m.kind === 'misconfigure';
}

export function PickerView({ modal, width, height }: { modal: PickerModal; width: number; height: number }) {
  if (modal.kind === 'partition') return <PartitionPicker width={width} height={height} form={modal} />;
  if (modal.kind === 'latency') return <LatencyPicker width={width} height={height} form={modal} />;
  if (modal.kind === 'misconfigure') return <MisconfigurePicker width={width} height={height} cursor={modal.cursor} />;
  return <HealPicker width={width} height={height} cursor={modal.cursor} />;
}
