// The one registry of everything a key can do. Dispatch (use-keymap), the footer and the help overlay are all
// derived from it, so a binding can never be documented differently from how it behaves. A key that carries out
// catalog actions names their kinds in `performs`: when the deployment lacks a capability one of them requires
// (src/actions/catalog.ts), the key is dimmed with the reason and pressing it explains instead of failing.
import type { ActionKind } from '../../actions/catalog.js';
import { predictionOpen } from '../../lessons/runner.js';
import { selectLags } from '../../state/selectors.js';
import type { PaneId } from '../layout.js';
import { faultSummary, writeGuard } from '../lib/cluster-view.js';
import { exportedText } from '../lib/format.js';
import { lessonWindow, predictKeys, revealScroll } from '../lib/lesson-doc.js';
import { entryAt, entryCount, misconfigureMenu } from '../lib/misconfigure.js';
import { LATENCY_FIELDS, latencyAction, partitionAction, stepLatency } from '../lib/pickers.js';
import { solutionRunFor } from '../lib/solution-note.js';
import { type ModalKind, uiOps } from '../state/ui-store.js';
import { type ActionContext, attempt, performAction, track, type WhenContext } from './context.js';
import {
  actionRows,
  askedSentinel,
  cursorMove,
  hasLesson,
  hosts,
  LIVE,
  moveFocus,
  moveNode,
  nodeFooter,
  nodeKey,
  notQuitting,
  openPrompt,
  openWorkloadPrompt,
  page,
  quit,
  selectedState,
  setSide,
  submitPrompt,
  toggleWorkloadClient,
} from './handlers.js';

export type Scope = 'global' | `modal:${ModalKind}` | PaneId;

export const GROUPS = [
  'Navigate',
  'Node',
  'Faults',
  'Client',
  'Cluster',
  // The M key and the keys of the menu it opens, in one group: the help overlay must still fit at 160x45.
  'Misconfigure',
  'Lesson',
  'Scroll',
  'App',
  'Help overlay',
  'Text prompt',
  'Partition picker',
  'Latency picker',
  'Heal picker',
  'Confirm',
] as const;
export type Group = (typeof GROUPS)[number];

export interface ActionSpec {
  title: string;
  group: Group;
  keys: readonly string[];
  scope: Scope;
  /** Word shown in the footer (the footer lists only actions that have one and are enabled). */
  footer?: string;
  /** How the footer writes the keys, when not the first two of `keys` (e.g. "1–3" for a prediction's choices). */
  footerKeys?: (ctx: WhenContext) => string;
  /** The footer's words right now, when they depend on the screen (e.g. naming a node the view hides). */
  footerLabel?: (ctx: WhenContext) => string;
  /** Also active while a modal is open (only Ctrl+C). */
  always?: boolean;
  /** Also active on the "terminal too small" screen. */
  onSmallScreen?: boolean;
  /**
   * A global action whose key a pane may also bind: the focused pane's binding wins (dispatch looks at the
   * focused pane first) and `when` must be false while that pane is focused, so the footer never shows both.
   */
  yieldsToPane?: boolean;
  when?: (ctx: WhenContext) => boolean;
  /** Why `when` is false right now, in words the status line shows (else "not available now"). */
  whyNot?: (ctx: WhenContext) => string | undefined;
  /** The catalog action kinds it can carry out (their required capabilities decide whether the key is usable). */
  performs?: readonly ActionKind[];
  run: (ctx: ActionContext) => void;
}

/** Where a title names the monitored master: actionTitle puts the topology's master name there. */
const MASTER_NAME = '<master-name>';

/** A key's title as shown: with the name of the master the Sentinels monitor (not always `mymaster`). */
export function actionTitle(spec: Pick<ActionSpec, 'title'>, masterName: string): string {
  return spec.title.replaceAll(MASTER_NAME, masterName);
}

/**
 * Why h/H have nothing to do: they heal network faults (partitions, latency) only. Nodes that are down are not
 * faults they heal: R restarts a killed or stopped node, z thaws a frozen one (the header counts those as nodes down).
 */
function nothingToHeal(c: WhenContext): string | undefined {
  if (!notQuitting(c) || c.lab.faults.length > 0) return undefined;
  const down = faultSummary(c.lab).nodes;
  if (!down.length) return 'no network fault to heal';
  const frozen = down.filter((n) => n.word === 'frozen').map((n) => n.id);
  const stopped = down.filter((n) => n.word !== 'frozen').map((n) => n.id);
  const how = [
    stopped.length ? `R restarts ${stopped.join(', ')}` : '',
    frozen.length ? `z thaws ${frozen.join(', ')}` : '',
  ].filter(Boolean);
  return `no network fault to heal (h/H heal partitions and latency); ${how.join(', ')} (select it first)`;
}

/**
 * Why x, s or z cannot act on the selected node now: its state, and the key that would work ("redis-2 has exited: R
 * starts it again"). Undefined while quitting (the status line says so already) or when the key would work.
 */
function nodeWhyNot(c: WhenContext, key: 'kill' | 'stop' | 'freeze'): string | undefined {
  if (!notQuitting(c)) return undefined;
  const id = c.ui.selectedNode;
  const state = selectedState(c);
  switch (state) {
    case undefined:
      return `${id} is not a process the lab runs`;
    case 'exited':
      return `${id} has exited: R starts it again`;
    case 'stopped':
      return `${id} is stopped: R starts it again`;
    case 'starting':
      return key === 'kill' ? undefined : `${id} is still starting: wait for it to run, or x kills it`;
    case 'stopping':
      return key === 'kill' ? undefined : `${id} is already stopping: x kills it at once`;
    default:
      return undefined;
  }
}

/** The lesson pane's scroll window as the current layout shows it (undefined: no lesson on screen). */
const lessonWin = (c: WhenContext) => lessonWindow(c.lab, c.layout, c.ui.scroll.lesson ?? 0, c.ui.solutionRun);
/** Moves the lesson window by `rows` (negative: up), within the document. */
function scrollLesson(c: ActionContext, rows: number): void {
  const w = lessonWin(c);
  if (w) uiOps.scrollTo(c.uiStore, 'lesson', Math.max(0, Math.min(w.max, w.top + rows)));
}
/** Whether the focused pane has `key` enabled itself (then a global action with `yieldsToPane` steps aside). */
function focusBinds(c: WhenContext, key: string): boolean {
  return Object.values<ActionSpec>(actions).some(
    (a) => a.scope === c.ui.focus && a.keys.includes(key) && (a.when ? a.when(c) : true),
  );
}

/** The current step's prediction while it waits for an answer (or a changed one), else undefined. */
function openPrediction(c: WhenContext) {
  const lesson = c.lab.lesson;
  if (!hasLesson(c) || !lesson || !predictionOpen(lesson)) return undefined;
  return lesson.steps[lesson.stepIndex]?.predict;
}

export const actions = {
  // ── Predict, then observe: only while the step's question waits (first, so the footer always has room) ─
  'lesson.predict': {
    title: "Answer the step's prediction (choice 1–4)",
    group: 'Lesson',
    keys: ['1', '2', '3', '4'],
    scope: 'global',
    footer: 'predict',
    footerKeys: (c) => predictKeys(openPrediction(c)?.choices.length ?? 4),
    when: (c) => openPrediction(c) !== undefined,
    run: (c) => {
      const n = Number(c.key) - 1;
      const choices = openPrediction(c)?.choices.length ?? 0;
      if (!Number.isInteger(n) || n < 0) return;
      if (n >= choices) {
        uiOps.notice(c.uiStore, 'info', `this prediction has ${choices} choices: press ${predictKeys(choices)}`);
        return;
      }
      // Never an answer to a question the learner cannot see: first bring it into view (or say where it is).
      const w = lessonWin(c);
      const q = w?.doc.sections.predict;
      if (!w || !q) {
        uiOps.notice(c.uiStore, 'info', 'Predict first: the question is in the lesson (L shows it).');
        return;
      }
      const shown = w.doc.parts.choices ?? q; // what the key picks from; the prompt under it may be cut off
      if (shown.start < w.top || shown.end > w.top + w.rows) {
        uiOps.scrollTo(c.uiStore, 'lesson', Math.min(w.max, revealScroll(w.top, q, w.rows)));
        uiOps.notice(
          c.uiStore,
          'info',
          `Predict first: here is the question; press ${predictKeys(choices)} to answer.`,
        );
        return;
      }
      attempt(c.uiStore, 'prediction', () => c.controller.lesson?.predict(n));
    },
  },

  // ── Lesson view and text (first, so the footer keeps them at 80 columns) ─
  'lessonView.toggle': {
    title: 'Lesson full width ⇄ cluster view',
    group: 'Lesson',
    keys: ['L'],
    scope: 'global',
    footer: 'lesson/cluster',
    when: (c) => hasLesson(c) && c.layout.kind === 'panes',
    run: (c) => {
      const full = c.layout.kind === 'panes' && c.layout.view !== 'lesson';
      c.uiStore.setState({ lessonFull: full });
      // Back from the lesson alone: the keys return to the pane used before it (the arrows select nodes again).
      if (!full && c.ui.focus === 'lesson')
        uiOps.focus(c.uiStore, c.ui.recent.find((p) => p !== 'lesson') ?? 'topology');
    },
  },
  'lessonText.pageDown': {
    title: 'Page the lesson down',
    group: 'Scroll',
    keys: ['pagedown'],
    scope: 'global',
    footer: 'lesson ▼',
    yieldsToPane: true,
    when: (c) => !focusBinds(c, 'pagedown') && (lessonWin(c)?.max ?? 0) > (lessonWin(c)?.top ?? 0),
    run: (c) => scrollLesson(c, Math.max(1, (lessonWin(c)?.rows ?? 2) - 2)),
  },
  'lessonText.pageUp': {
    title: 'Page the lesson up',
    group: 'Scroll',
    keys: ['pageup'],
    scope: 'global',
    footer: 'lesson ▲',
    yieldsToPane: true,
    when: (c) => !focusBinds(c, 'pageup') && (lessonWin(c)?.top ?? 0) > 0,
    run: (c) => scrollLesson(c, -Math.max(1, (lessonWin(c)?.rows ?? 2) - 2)),
  },

  // ── Node (the selected one) ───────────────────────────────────────────────
  'node.kill': {
    title: 'Kill selected node (kill -9)',
    group: 'Node',
    keys: ['x'],
    scope: 'global',
    footer: 'kill',
    footerLabel: (c) => nodeFooter(c, 'kill'),
    performs: ['kill'],
    when: (c) => notQuitting(c) && LIVE.includes(selectedState(c) ?? 'exited'),
    whyNot: (c) => nodeWhyNot(c, 'kill'),
    run: (c) => nodeKey(c, 'kill'),
  },
  'node.stop': {
    title: 'Stop selected node gracefully (SHUTDOWN)',
    group: 'Node',
    keys: ['s'],
    scope: 'global',
    footer: 'stop',
    footerLabel: (c) => nodeFooter(c, 'stop'),
    performs: ['stop'],
    when: (c) => notQuitting(c) && (selectedState(c) === 'running' || selectedState(c) === 'frozen'),
    whyNot: (c) => nodeWhyNot(c, 'stop'),
    run: (c) => nodeKey(c, 'stop'),
  },
  'node.freeze': {
    title: 'Freeze / thaw selected node (SIGSTOP / SIGCONT)',
    group: 'Node',
    keys: ['z'],
    scope: 'global',
    footer: 'freeze',
    footerLabel: (c) => nodeFooter(c, selectedState(c) === 'frozen' ? 'thaw' : 'freeze'),
    performs: ['freeze', 'thaw'],
    when: (c) => notQuitting(c) && (selectedState(c) === 'running' || selectedState(c) === 'frozen'),
    whyNot: (c) => nodeWhyNot(c, 'freeze'),
    run: (c) => nodeKey(c, selectedState(c) === 'frozen' ? 'thaw' : 'freeze'),
  },
  'node.restart': {
    title: 'Restart selected node',
    group: 'Node',
    keys: ['R'],
    scope: 'global',
    footer: 'restart',
    footerLabel: (c) => nodeFooter(c, 'restart'),
    performs: ['restart'],
    when: notQuitting,
    run: (c) => nodeKey(c, 'restart'),
  },

  // ── Faults ────────────────────────────────────────────────────────────────
  'fault.partition': {
    title: 'Partition hosts… (picker)',
    group: 'Faults',
    keys: ['p'],
    scope: 'global',
    footer: 'partition',
    performs: ['partition', 'isolate', 'cut'],
    when: notQuitting,
    run: (c) => {
      const host = c.lab.topology.nodes.find((n) => n.id === c.ui.selectedNode)?.host;
      const list = hosts(c);
      const cursor = Math.max(0, host ? list.indexOf(host) : 0);
      uiOps.openModal(c.uiStore, { kind: 'partition', cursor, sides: {}, oneWay: false, mode: 'drop' });
    },
  },
  'fault.latency': {
    title: 'Add latency on a link… (picker)',
    group: 'Faults',
    keys: ['l'],
    scope: 'global',
    footer: 'latency',
    performs: ['latency'],
    when: notQuitting,
    run: (c) => {
      const list = hosts(c);
      const from = c.lab.topology.nodes.find((n) => n.id === c.ui.selectedNode)?.host ?? list[0] ?? 'host-1';
      const to = list.find((h) => h !== from) ?? from;
      uiOps.openModal(c.uiStore, { kind: 'latency', field: 0, from, to, latencyMs: 200, jitterMs: 0, bothWays: true });
    },
  },
  'fault.heal': {
    title: 'Heal one fault… (picker)',
    group: 'Faults',
    keys: ['h'],
    scope: 'global',
    footer: 'heal',
    performs: ['heal'],
    when: (c) => notQuitting(c) && c.lab.faults.length > 0,
    whyNot: (c) => nothingToHeal(c),
    run: (c) => uiOps.openModal(c.uiStore, { kind: 'heal', cursor: 0 }),
  },
  'fault.healAll': {
    title: 'Heal all faults',
    group: 'Faults',
    keys: ['H'],
    scope: 'global',
    performs: ['heal-all'],
    when: (c) => notQuitting(c) && c.lab.faults.length > 0,
    whyNot: (c) => nothingToHeal(c),
    run: (c) => performAction(c, { kind: 'heal-all' }),
  },

  // ── Client ────────────────────────────────────────────────────────────────
  'client.write': {
    title: 'Write a key as the current client',
    group: 'Client',
    keys: ['w'],
    scope: 'global',
    footer: 'write',
    performs: ['write'],
    when: notQuitting,
    run: (c) =>
      openPrompt(c, { kind: 'prompt', purpose: 'write-key', label: `client ${c.ui.client} SET — key`, text: '' }),
  },
  'client.read': {
    title: 'Read a key as the current client',
    group: 'Client',
    keys: ['r'],
    scope: 'global',
    footer: 'read',
    performs: ['read'],
    when: notQuitting,
    run: (c) =>
      openPrompt(c, { kind: 'prompt', purpose: 'read-key', label: `client ${c.ui.client} GET — key`, text: '' }),
  },
  'client.switch': {
    title: 'Switch client A / B',
    group: 'Client',
    keys: ['c'],
    scope: 'global',
    footer: 'client A/B',
    run: (c) => c.uiStore.setState({ client: c.ui.client === 'A' ? 'B' : 'A' }),
  },
  'workload.toggle': {
    title: 'Start the write workload (asks the rate and client) / stop it',
    group: 'Client',
    keys: ['g'],
    scope: 'global',
    footer: 'workload',
    performs: ['workload-start', 'workload-stop'],
    when: notQuitting,
    run: (c) => (c.lab.workload.running ? performAction(c, { kind: 'workload-stop' }) : openWorkloadPrompt(c)),
  },
  'client.wait': {
    title: 'Write a key, then WAIT for replicas (same connection)',
    group: 'Client',
    keys: ['W'],
    scope: 'global',
    performs: ['wait'],
    when: notQuitting,
    run: (c) =>
      openPrompt(c, {
        kind: 'prompt',
        purpose: 'wait-key',
        label: `client ${c.ui.client} SET (then WAIT) — key`,
        text: '',
        client: c.ui.client,
      }),
  },

  // ── Cluster ───────────────────────────────────────────────────────────────
  'cluster.failover': {
    title: `Manual failover (SENTINEL FAILOVER ${MASTER_NAME})`,
    group: 'Cluster',
    keys: ['f'],
    scope: 'global',
    footer: 'failover',
    performs: ['failover'],
    when: notQuitting,
    run: (c) => performAction(c, { kind: 'failover', ...askedSentinel(c) }),
  },
  'cluster.ckquorum': {
    title: `Can the quorum and a majority be reached? (SENTINEL CKQUORUM ${MASTER_NAME})`,
    group: 'Cluster',
    keys: ['K'],
    scope: 'global',
    footer: 'ckquorum',
    performs: ['ckquorum'],
    when: notQuitting,
    run: (c) => performAction(c, { kind: 'ckquorum', ...askedSentinel(c) }),
  },
  'cluster.minReplicas': {
    title: 'Cycle min-replicas-to-write 0 → 1 → 2 (max-lag 10 s)',
    group: 'Cluster',
    keys: ['m'],
    scope: 'global',
    footer: 'min-replicas',
    performs: ['min-replicas'],
    when: notQuitting,
    run: (c) => {
      const current = writeGuard(c.lab, selectLags(c.lab)).toWrite;
      const toWrite = current >= 2 ? 0 : current + 1;
      performAction(c, { kind: 'min-replicas', toWrite, maxLagSec: 10 });
    },
  },

  // ── Lesson ────────────────────────────────────────────────────────────────
  'lesson.next': {
    title: 'Next lesson step',
    group: 'Lesson',
    keys: ['n'],
    scope: 'global',
    footer: 'next',
    when: hasLesson,
    run: (c) => attempt(c.uiStore, 'next step', () => c.controller.lesson?.next()),
  },
  'lesson.previous': {
    title: 'Previous lesson step',
    group: 'Lesson',
    keys: ['b'],
    scope: 'global',
    footer: 'back',
    when: hasLesson,
    run: (c) => attempt(c.uiStore, 'previous step', () => c.controller.lesson?.previous()),
  },
  'lesson.hint': {
    title: 'Show the next hint',
    group: 'Lesson',
    keys: ['i'],
    scope: 'global',
    footer: 'hint',
    when: hasLesson,
    run: (c) => attempt(c.uiStore, 'hint', () => c.controller.lesson?.hint()),
  },
  'lesson.solution': {
    title: 'Show / hide the solution',
    group: 'Lesson',
    keys: ['v'],
    scope: 'global',
    footer: 'solution',
    when: hasLesson,
    run: (c) => attempt(c.uiStore, 'solution', () => c.controller.lesson?.toggleSolution()),
  },
  'lesson.play': {
    title: 'Play the solution',
    group: 'Lesson',
    keys: ['P'],
    scope: 'global',
    footer: 'play',
    when: (c) => hasLesson(c) && c.lab.lesson?.playingSolution !== true,
    run: (c) => {
      // Remembered so that, should the goal still not be met when it ends, the lesson pane can say why.
      const run = solutionRunFor(c.lab);
      c.uiStore.setState({ solutionRun: run });
      track(c.uiStore, 'playing the solution…', async () => {
        try {
          await c.controller.lesson?.playSolution();
        } finally {
          c.uiStore.setState((s) => (run && s.solutionRun === run ? { solutionRun: { ...run, finished: true } } : s));
        }
      });
    },
  },
  'lesson.reset': {
    title: 'Reset the lesson (fresh cluster)',
    group: 'Lesson',
    keys: ['ctrl+r'],
    scope: 'global',
    performs: ['reset'],
    when: hasLesson,
    run: (c) =>
      uiOps.openModal(c.uiStore, {
        kind: 'confirm',
        text: 'Reset the lesson? This restarts every node with fresh configs.',
        onConfirm: () => track(c.uiStore, 'resetting the lesson…', async () => c.controller.lesson?.reset()),
      }),
  },

  // ── Scroll (focused pane) ─────────────────────────────────────────────────
  'events.pageUp': {
    title: 'Scroll events back',
    group: 'Scroll',
    keys: ['pageup'],
    scope: 'events',
    footer: 'scroll',
    run: (c) => page(c, 'events', 1, c.lab.eventGroups.length + c.lab.resets.length),
  },
  'events.pageDown': {
    title: 'Scroll events forward',
    group: 'Scroll',
    keys: ['pagedown'],
    scope: 'events',
    run: (c) => page(c, 'events', -1, c.lab.eventGroups.length + c.lab.resets.length),
  },
  'events.newest': {
    title: 'Jump to the newest event',
    group: 'Scroll',
    keys: ['end'],
    scope: 'events',
    run: (c) => uiOps.scrollTo(c.uiStore, 'events', 0),
  },
  'events.clearFilter': {
    title: 'Clear the event filter',
    group: 'Scroll',
    keys: ['escape'],
    scope: 'events',
    footer: 'clear filter',
    when: (c) => c.ui.eventFilter !== '',
    run: (c) => c.uiStore.setState({ eventFilter: '' }),
  },
  'log.pageUp': {
    title: 'Scroll node log back',
    group: 'Scroll',
    keys: ['pageup'],
    scope: 'node',
    footer: 'scroll',
    run: (c) => page(c, 'node', 1, c.lab.processes[c.ui.selectedNode]?.logTail.length ?? 0),
  },
  'log.pageDown': {
    title: 'Scroll node log forward',
    group: 'Scroll',
    keys: ['pagedown'],
    scope: 'node',
    run: (c) => page(c, 'node', -1, c.lab.processes[c.ui.selectedNode]?.logTail.length ?? 0),
  },
  'lessonText.lineDown': {
    title: 'Lesson down a line',
    group: 'Scroll',
    keys: ['down', 'j'],
    scope: 'lesson',
    footer: 'scroll',
    // Always enabled while a lesson is shown, so an arrow key in the focused lesson never selects a node instead.
    when: (c) => lessonWin(c) !== undefined,
    run: (c) => scrollLesson(c, 1),
  },
  'lessonText.lineUp': {
    title: 'Lesson up a line',
    group: 'Scroll',
    keys: ['up', 'k'],
    scope: 'lesson',
    when: (c) => lessonWin(c) !== undefined,
    run: (c) => scrollLesson(c, -1),
  },
  'actions.pageUp': {
    title: 'Scroll action log back',
    group: 'Scroll',
    keys: ['pageup'],
    scope: 'actions',
    footer: 'scroll',
    run: (c) => page(c, 'actions', 1, actionRows(c)),
  },
  'actions.pageDown': {
    title: 'Scroll action log forward',
    group: 'Scroll',
    keys: ['pagedown'],
    scope: 'actions',
    run: (c) => page(c, 'actions', -1, actionRows(c)),
  },

  // ── App ───────────────────────────────────────────────────────────────────
  'run.export': {
    title: 'Export the run (JSONL history + Markdown report)',
    group: 'App',
    keys: ['e'],
    scope: 'global',
    footer: 'export',
    when: notQuitting,
    run: (c) =>
      track(c.uiStore, 'exporting the run…', async () => {
        const paths = await c.controller.exportRun();
        // The status line is one row wide, less its "✓ ".
        return { ok: true, text: exportedText(paths, c.layout.columns - 2) };
      }),
  },
  'app.help': {
    title: 'Help: every key',
    group: 'App',
    keys: ['?'],
    scope: 'global',
    footer: 'help',
    run: (c) => uiOps.openModal(c.uiStore, { kind: 'help', scroll: 0 }),
  },
  'app.quit': {
    title: 'Quit (stops every process the lab started)',
    group: 'App',
    keys: ['q'],
    scope: 'global',
    footer: 'quit',
    onSmallScreen: true,
    when: notQuitting,
    run: quit,
  },
  'app.interrupt': {
    title: 'Quit from anywhere (again: leave at once)',
    group: 'App',
    keys: ['ctrl+c'],
    scope: 'global',
    always: true,
    onSmallScreen: true,
    run: quit,
  },

  // ── Navigate (listed after the breaking keys so the footer shows those first) ──
  'nav.nodeUp': {
    title: 'Select previous node',
    group: 'Navigate',
    keys: ['up', 'k'],
    scope: 'global',
    // The focused lesson pane scrolls with these keys instead.
    yieldsToPane: true,
    when: (c) => !focusBinds(c, 'up'),
    run: (c) => moveNode(c, -1),
  },
  'nav.nodeDown': {
    title: 'Select next node',
    group: 'Navigate',
    keys: ['down', 'j'],
    scope: 'global',
    footer: 'select',
    yieldsToPane: true,
    when: (c) => !focusBinds(c, 'down'),
    run: (c) => moveNode(c, 1),
  },
  'nav.paneNext': {
    title: 'Focus next pane',
    group: 'Navigate',
    keys: ['tab'],
    scope: 'global',
    footer: 'pane',
    run: (c) => moveFocus(c, 1),
  },
  'nav.panePrev': {
    title: 'Focus previous pane',
    group: 'Navigate',
    keys: ['shift+tab'],
    scope: 'global',
    run: (c) => moveFocus(c, -1),
  },
  'events.filter': {
    title: 'Filter Sentinel events by text',
    group: 'Navigate',
    keys: ['/'],
    scope: 'global',
    run: (c) => openPrompt(c, { kind: 'prompt', purpose: 'filter', label: 'filter events', text: c.ui.eventFilter }),
  },

  // ── Help overlay ──────────────────────────────────────────────────────────
  'help.close': {
    title: 'Close help',
    group: 'Help overlay',
    keys: ['escape', '?', 'enter'],
    scope: 'modal:help',
    footer: 'close',
    run: (c) => uiOps.closeModal(c.uiStore),
  },
  'help.down': {
    title: 'Scroll help down',
    group: 'Help overlay',
    keys: ['down', 'j', 'pagedown', 'space'],
    scope: 'modal:help',
    footer: 'scroll',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'help') uiOps.patchModal(c.uiStore, 'help', { scroll: Math.min(200, m.scroll + 5) });
    },
  },
  'help.up': {
    title: 'Scroll help up',
    group: 'Help overlay',
    keys: ['up', 'k', 'pageup'],
    scope: 'modal:help',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'help') uiOps.patchModal(c.uiStore, 'help', { scroll: Math.max(0, m.scroll - 5) });
    },
  },

  // ── Text prompt (other keys type text) ───────────────────────────────────
  'prompt.submit': {
    title: 'Accept',
    group: 'Text prompt',
    keys: ['enter'],
    scope: 'modal:prompt',
    footer: 'ok',
    run: submitPrompt,
  },
  'prompt.client': {
    title: 'Workload prompt: the other client',
    group: 'Text prompt',
    keys: ['tab'],
    scope: 'modal:prompt',
    footer: 'client A/B',
    when: (c) => c.ui.modal?.kind === 'prompt' && c.ui.modal.purpose === 'workload-rate',
    run: toggleWorkloadClient,
  },
  'prompt.cancel': {
    title: 'Cancel',
    group: 'Text prompt',
    keys: ['escape'],
    scope: 'modal:prompt',
    footer: 'cancel',
    run: (c) => uiOps.closeModal(c.uiStore),
  },

  // ── Partition picker ──────────────────────────────────────────────────────
  'partition.up': {
    title: 'Previous host',
    group: 'Partition picker',
    keys: ['up', 'k'],
    scope: 'modal:partition',
    run: (c) => cursorMove(c, 'partition', -1, hosts(c).length),
  },
  'partition.down': {
    title: 'Next host',
    group: 'Partition picker',
    keys: ['down', 'j'],
    scope: 'modal:partition',
    footer: 'host',
    run: (c) => cursorMove(c, 'partition', 1, hosts(c).length),
  },
  'partition.sideA': {
    title: 'Put host in group A',
    group: 'Partition picker',
    keys: ['a'],
    scope: 'modal:partition',
    footer: 'group A',
    run: (c) => setSide(c, 'A'),
  },
  'partition.sideB': {
    title: 'Put host in group B',
    group: 'Partition picker',
    keys: ['b'],
    scope: 'modal:partition',
    footer: 'group B',
    run: (c) => setSide(c, 'B'),
  },
  'partition.cycle': {
    title: 'Cycle host: none → A → B',
    group: 'Partition picker',
    keys: ['space'],
    scope: 'modal:partition',
    run: (c) => setSide(c, 'cycle'),
  },
  'partition.direction': {
    title: 'Two-way / one-way (A → B)',
    group: 'Partition picker',
    keys: ['d'],
    scope: 'modal:partition',
    footer: 'direction',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'partition') uiOps.patchModal(c.uiStore, 'partition', { oneWay: !m.oneWay, error: undefined });
    },
  },
  'partition.mode': {
    title: 'Drop (silent) / reject (connection refused)',
    group: 'Partition picker',
    keys: ['m'],
    scope: 'modal:partition',
    footer: 'drop/reject',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'partition') {
        uiOps.patchModal(c.uiStore, 'partition', { mode: m.mode === 'drop' ? 'reject' : 'drop' });
      }
    },
  },
  'partition.apply': {
    title: 'Apply the partition',
    group: 'Partition picker',
    keys: ['enter'],
    scope: 'modal:partition',
    footer: 'apply',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind !== 'partition') return;
      const r = partitionAction(m, hosts(c));
      if ('error' in r) return uiOps.patchModal(c.uiStore, 'partition', { error: r.error });
      uiOps.closeModal(c.uiStore);
      performAction(c, r.action);
    },
  },
  'partition.cancel': {
    title: 'Cancel',
    group: 'Partition picker',
    keys: ['escape'],
    scope: 'modal:partition',
    footer: 'cancel',
    run: (c) => uiOps.closeModal(c.uiStore),
  },

  // ── Latency picker ────────────────────────────────────────────────────────
  'latency.up': {
    title: 'Previous field',
    group: 'Latency picker',
    keys: ['up', 'k'],
    scope: 'modal:latency',
    run: (c) => cursorMove(c, 'latency', -1, LATENCY_FIELDS.length),
  },
  'latency.down': {
    title: 'Next field',
    group: 'Latency picker',
    keys: ['down', 'j', 'tab'],
    scope: 'modal:latency',
    footer: 'field',
    run: (c) => cursorMove(c, 'latency', 1, LATENCY_FIELDS.length),
  },
  'latency.dec': {
    title: 'Previous host / less',
    group: 'Latency picker',
    keys: ['left', 'h', '-'],
    scope: 'modal:latency',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'latency') uiOps.patchModal(c.uiStore, 'latency', stepLatency(m, hosts(c), -1));
    },
  },
  'latency.inc': {
    title: 'Next host / more',
    group: 'Latency picker',
    keys: ['right', 'l', '+'],
    scope: 'modal:latency',
    footer: 'change',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind === 'latency') uiOps.patchModal(c.uiStore, 'latency', stepLatency(m, hosts(c), 1));
    },
  },
  'latency.apply': {
    title: 'Apply the latency',
    group: 'Latency picker',
    keys: ['enter'],
    scope: 'modal:latency',
    footer: 'apply',
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind !== 'latency') return;
      const r = latencyAction(m);
      if ('error' in r) return uiOps.patchModal(c.uiStore, 'latency', { error: r.error });
      uiOps.closeModal(c.uiStore);
      performAction(c, r.action);
    },
  },
  'latency.cancel': {
    title: 'Cancel',
    group: 'Latency picker',
    keys: ['escape'],
    scope: 'modal:latency',
    footer: 'cancel',
    run: (c) => uiOps.closeModal(c.uiStore),
  },

  // ── Heal picker ───────────────────────────────────────────────────────────
  'heal.up': {
    title: 'Previous fault',
    group: 'Heal picker',
    keys: ['up', 'k'],
    scope: 'modal:heal',
    run: (c) => cursorMove(c, 'heal', -1, Math.max(1, c.lab.faults.length)),
  },
  'heal.down': {
    title: 'Next fault',
    group: 'Heal picker',
    keys: ['down', 'j'],
    scope: 'modal:heal',
    footer: 'fault',
    run: (c) => cursorMove(c, 'heal', 1, Math.max(1, c.lab.faults.length)),
  },
  'heal.apply': {
    title: 'Heal the chosen fault',
    group: 'Heal picker',
    keys: ['enter'],
    scope: 'modal:heal',
    footer: 'heal',
    run: (c) => {
      const m = c.ui.modal;
      const fault = m?.kind === 'heal' ? c.lab.faults[m.cursor] : undefined;
      uiOps.closeModal(c.uiStore);
      if (fault) performAction(c, { kind: 'heal', fault: fault.id }, `healing ${fault.description}…`);
    },
  },
  'heal.cancel': {
    title: 'Cancel',
    group: 'Heal picker',
    keys: ['escape'],
    scope: 'modal:heal',
    footer: 'cancel',
    run: (c) => uiOps.closeModal(c.uiStore),
  },

  // ── Confirm ───────────────────────────────────────────────────────────────
  'confirm.yes': {
    title: 'Yes, do it',
    group: 'Confirm',
    // Only `y`: the question says [y/N], so Enter takes the default, No (it may act on a deployment the lab did not
    // start, or restart every node).
    keys: ['y'],
    scope: 'modal:confirm',
    footer: 'yes',
    run: (c) => {
      const m = c.ui.modal;
      uiOps.closeModal(c.uiStore);
      if (m?.kind === 'confirm') m.onConfirm();
    },
  },
  'confirm.no': {
    title: 'No, keep things as they are',
    group: 'Confirm',
    keys: ['n', 'escape', 'enter'],
    scope: 'modal:confirm',
    footer: 'no',
    run: (c) => uiOps.closeModal(c.uiStore),
  },

  // ── Misconfigure (the sandbox's one key for what Sentinel users get wrong; src/ui/lib/misconfigure.ts) ──
  'misconfigure.open': {
    title: 'Misconfigure… (menu)',
    group: 'Misconfigure',
    keys: ['M'],
    scope: 'global',
    footer: 'misconfigure',
    // Opening it performs nothing; its entries need the deployment's reconfigure (and some runtime or network),
    // which a deployment the lab only observes lacks.
    performs: ['masterauth'],
    when: notQuitting,
    run: (c) => uiOps.openModal(c.uiStore, { kind: 'misconfigure', cursor: 0 }),
  },
  'misconfigure.up': {
    title: 'Previous entry',
    group: 'Misconfigure',
    keys: ['up', 'k'],
    scope: 'modal:misconfigure',
    run: (c) =>
      cursorMove(
        c,
        'misconfigure',
        -1,
        Math.max(1, entryCount(misconfigureMenu(c.lab, c.ui.selectedNode, {}, c.ui.client))),
      ),
  },
  'misconfigure.down': {
    title: 'Next entry',
    group: 'Misconfigure',
    keys: ['down', 'j'],
    scope: 'modal:misconfigure',
    footer: 'entry',
    run: (c) =>
      cursorMove(
        c,
        'misconfigure',
        1,
        Math.max(1, entryCount(misconfigureMenu(c.lab, c.ui.selectedNode, {}, c.ui.client))),
      ),
  },
  'misconfigure.apply': {
    title: 'Do it (or undo it)',
    group: 'Misconfigure',
    keys: ['enter'],
    scope: 'modal:misconfigure',
    footer: 'do it',
    // Each entry checks its own action's capability (an entry the deployment cannot do explains why instead), so
    // one missing capability (network on a single-IP machine) does not disable the whole menu.
    run: (c) => {
      const m = c.ui.modal;
      if (m?.kind !== 'misconfigure') return;
      const e = entryAt(misconfigureMenu(c.lab, c.ui.selectedNode, c.controller.unavailable, c.ui.client), m.cursor);
      if (!e) return;
      if (e.unavailable) return uiOps.notice(c.uiStore, 'info', e.unavailable);
      uiOps.closeModal(c.uiStore);
      performAction(c, e.action);
    },
  },
  'misconfigure.cancel': {
    title: 'Close',
    group: 'Misconfigure',
    keys: ['escape', 'M'],
    scope: 'modal:misconfigure',
    footer: 'close',
    run: (c) => uiOps.closeModal(c.uiStore),
  },
} as const satisfies Record<string, ActionSpec>;

export type ActionId = keyof typeof actions;

export const actionEntries = Object.entries(actions) as Array<[ActionId, ActionSpec]>;
