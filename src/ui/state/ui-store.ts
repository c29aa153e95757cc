// UI-only state (focus, selection, modals, pending feedback) in its own small vanilla store, so panes can
// subscribe to exactly the slice they draw. Lab facts stay in the lab store; this never holds engine data.

import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CutMode } from '../../cluster/fabric/plan.js';
import type { ClientName } from '../../cluster/topology.js';
import type { PaneId } from '../layout.js';
import type { SolutionRun } from '../lib/solution-note.js';

export type PromptPurpose =
  | 'write-key'
  | 'write-value'
  | 'read-key'
  | 'filter'
  /** `g`: the workload's rate (writes per second); Tab picks the client. */
  | 'workload-rate'
  /** `W`: SET key value, then WAIT numreplicas timeout, on one connection. */
  | 'wait-key'
  | 'wait-value'
  | 'wait-args';

export type Modal =
  | { kind: 'help'; scroll: number }
  | {
      kind: 'prompt';
      purpose: PromptPurpose;
      label: string;
      text: string;
      key?: string;
      value?: string;
      /** The client the prompt acts as (the workload prompt lets Tab change it). */
      client?: ClientName;
      /** Why the last Enter was refused (shown after the label). */
      error?: string;
    }
  | {
      kind: 'partition';
      cursor: number;
      /** host id -> side */
      sides: Record<string, 'A' | 'B'>;
      oneWay: boolean;
      mode: CutMode;
      error?: string;
    }
  | {
      kind: 'latency';
      field: number;
      from: string;
      to: string;
      latencyMs: number;
      jitterMs: number;
      bothWays: boolean;
      error?: string;
    }
  | { kind: 'heal'; cursor: number }
  | { kind: 'misconfigure'; cursor: number }
  | { kind: 'confirm'; text: string; onConfirm: () => void };

export type ModalKind = Modal['kind'];

export interface Pending {
  id: number;
  text: string;
}

export interface UiNotice {
  seq: number;
  at: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

export interface UiState {
  focus: PaneId;
  /** Most recently focused panes, newest first (tabbed slots show the latest of theirs). */
  recent: PaneId[];
  selectedNode: string;
  modal?: Modal;
  client: ClientName;
  eventFilter: string;
  /** Lesson shown alone at full width (true) or beside the cluster (false); unset: the terminal size decides. */
  lessonFull?: boolean;
  /** Rows scrolled back from the newest line, per pane. */
  scroll: Partial<Record<PaneId, number>>;
  /** Actions sent to the lab and not answered yet. */
  pending: Pending[];
  lastResult?: { text: string; ok: boolean; info?: boolean };
  /** Failures and messages raised by the UI itself (rejected promises, unavailable keys). */
  notices: UiNotice[];
  /** The last time P played a step's solution (lib/solution-note.ts: why the goal is still not met). */
  solutionRun?: SolutionRun;
  /** Set once quit was requested: how many processes are being stopped. */
  quitting?: { processes: number };
  seq: number;
}

export type UiStore = StoreApi<UiState>;

export function createUiStore(initial: Partial<UiState> = {}): UiStore {
  return createStore<UiState>()(() => ({
    focus: 'topology',
    recent: ['topology'],
    selectedNode: 'redis-1',
    client: 'A',
    eventFilter: '',
    scroll: {},
    pending: [],
    notices: [],
    seq: 0,
    ...initial,
  }));
}

const NOTICE_LIMIT = 30;

export const uiOps = {
  focus(store: UiStore, pane: PaneId): void {
    store.setState((s) => ({ focus: pane, recent: [pane, ...s.recent.filter((p) => p !== pane)].slice(0, 8) }));
  },
  openModal(store: UiStore, modal: Modal): void {
    store.setState({ modal });
  },
  closeModal(store: UiStore): void {
    store.setState({ modal: undefined });
  },
  /** Updates the open modal if it has the expected kind. */
  patchModal<K extends ModalKind>(store: UiStore, kind: K, patch: Partial<Extract<Modal, { kind: K }>>): void {
    store.setState((s) => (s.modal?.kind === kind ? { modal: { ...s.modal, ...patch } as Modal } : s));
  },
  begin(store: UiStore, text: string): number {
    const id = store.getState().seq + 1;
    store.setState((s) => ({ seq: id, pending: [...s.pending, { id, text }] }));
    return id;
  },
  end(store: UiStore, id: number, result: { text: string; ok: boolean }): void {
    store.setState((s) => ({ pending: s.pending.filter((p) => p.id !== id), lastResult: result }));
  },
  notice(store: UiStore, level: UiNotice['level'], text: string): void {
    store.setState((s) => {
      const seq = s.seq + 1;
      const notices = [...s.notices, { seq, at: Date.now(), level, text }].slice(-NOTICE_LIMIT);
      return { seq, notices, lastResult: { text, ok: level !== 'error', info: level === 'info' } };
    });
  },
  scroll(store: UiStore, pane: PaneId, delta: number, max = Number.POSITIVE_INFINITY): void {
    store.setState((s) => {
      const next = Math.max(0, Math.min(max, (s.scroll[pane] ?? 0) + delta));
      return next === (s.scroll[pane] ?? 0) ? s : { scroll: { ...s.scroll, [pane]: next } };
    });
  },
  scrollTo(store: UiStore, pane: PaneId, value: number): void {
    store.setState((s) => ({ scroll: { ...s.scroll, [pane]: Math.max(0, value) } }));
  },
};
