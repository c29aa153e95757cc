// Narrow subscriptions to the UI store (focus, selection, modal, pending feedback).
import { useContext } from 'react';
import { useStore } from 'zustand';
import { UiStoreContext } from '../contexts.js';
import type { UiState, UiStore } from '../state/ui-store.js';

export function useUiStore(): UiStore {
  const s = useContext(UiStoreContext);
  if (!s) throw new Error('useUiStore must be used inside <App>');
  return s;
}

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(useUiStore(), selector);
}
