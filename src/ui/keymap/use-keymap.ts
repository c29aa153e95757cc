// The app's only keyboard listener: turns keys into registry actions (see dispatch.ts for the rules).
import { useApp, useInput } from 'ink';
import type { LabController } from '../../state/controller.js';
import type { Layout } from '../layout.js';
import type { UiStore } from '../state/ui-store.js';
import { dispatchInput } from './dispatch.js';

export function useKeymap(controller: LabController, uiStore: UiStore, layout: Layout): void {
  const { exit } = useApp();
  useInput((input, key) => {
    dispatchInput(input, key, () => ({
      controller,
      lab: controller.store.getState(),
      ui: uiStore.getState(),
      uiStore,
      layout,
      exit: (error?: Error) => exit(error),
    }));
  });
}
