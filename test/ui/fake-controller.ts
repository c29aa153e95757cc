// A LabController for UI tests and the demo: records every call; optionally mimics the engine's effects
// on the store after a short delay so the screen can be watched reacting.
import { type ActionOutcome, describeAction, type LabAction, normalizeAction } from '../../src/actions/catalog.js';
import type { FaultSpec } from '../../src/cluster/fabric/plan.js';
import type { MissingCapabilities } from '../../src/deployments/deployment.js';
import { recordClientResults } from '../../src/state/client-runs.js';
import type { LabController, LessonControls } from '../../src/state/controller.js';
import type { LabState } from '../../src/state/store.js';
import { testLabStore } from '../helpers/store.js';

export interface Call {
  method: string;
  args: unknown[];
}

export interface FakeOptions {
  lesson?: boolean;
  /** What perform() resolves with (default ok). A function may also throw/reject. */
  outcome?: (a: LabAction) => ActionOutcome | Promise<ActionOutcome>;
  quit?: () => Promise<void>;
  /** Apply plausible effects of actions to the store (demo). */
  simulate?: boolean;
  delayMs?: number;
  /** Capabilities the pretend deployment lacks. */
  unavailable?: MissingCapabilities;
}

export function fakeController(state: LabState, opts: FakeOptions = {}) {
  const calls: Call[] = [];
  const store = testLabStore(state);
  const wait = () => new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
  const lesson: LessonControls = {
    next: () => void calls.push({ method: 'lesson.next', args: [] }),
    previous: () => void calls.push({ method: 'lesson.previous', args: [] }),
    hint: () => void calls.push({ method: 'lesson.hint', args: [] }),
    predict: (choiceIndex: number) => void calls.push({ method: 'lesson.predict', args: [choiceIndex] }),
    toggleSolution: () => void calls.push({ method: 'lesson.toggleSolution', args: [] }),
    playSolution: async () => void calls.push({ method: 'lesson.playSolution', args: [] }),
    reset: async () => void calls.push({ method: 'lesson.reset', args: [] }),
  };
  const controller: LabController = {
    store,
    unavailable: opts.unavailable ?? {},
    async perform(action) {
      calls.push({ method: 'perform', args: [action] });
      await wait();
      if (opts.simulate) simulate(store.getState, store.setState, action);
      const outcome = opts.outcome ? await opts.outcome(action) : { ok: true as const, text: 'done' };
      // As the engine does: a failed action is its own record, with why.
      if (!outcome.ok) recordFailure(store.getState, store.setState, action, outcome.text);
      return outcome;
    },
    lesson: opts.lesson ? lesson : undefined,
    async exportRun() {
      calls.push({ method: 'exportRun', args: [] });
      return { jsonl: '/tmp/run/history.jsonl', markdown: '/tmp/run/report.md' };
    },
    async quit() {
      calls.push({ method: 'quit', args: [] });
      await (opts.quit ? opts.quit() : wait());
    },
  };
  return {
    controller,
    calls,
    store,
    performed: () => calls.filter((c) => c.method === 'perform').map((c) => c.args[0] as LabAction),
  };
}

let seq = 100;

function recordFailure(get: () => LabState, set: (p: Partial<LabState>) => void, a: LabAction, why: string): void {
  const { title, equivalent } = describeAction(a, get().topology);
  const rec = { seq: ++seq, at: Date.now(), kind: a.kind, title, equivalent, status: 'failed' as const, result: why };
  set({ actions: [...get().actions, rec] });
}

/** Plausible effects of an action on the store, with the record's words taken from the action catalog. */
function simulate(get: () => LabState, set: (p: Partial<LabState>) => void, raw: LabAction): void {
  const s = get();
  const a = normalizeAction(raw);
  const { title, equivalent } = describeAction(a, s.topology, {
    pid: (id) => s.processes[id]?.pid,
    configPath: (id) => `${id}/redis.conf`,
  });
  const record = () =>
    set({ actions: [...get().actions, { seq: ++seq, at: Date.now(), kind: a.kind, title, equivalent, status: 'ok' }] });
  const proc = (node: string, state: LabState['processes'][string]['state']) => {
    const p = s.processes[node];
    if (p) set({ processes: { ...get().processes, [node]: { ...p, state } } });
  };
  switch (a.kind) {
    case 'kill':
      proc(a.node, 'exited');
      break;
    case 'stop':
      proc(a.node, 'stopped');
      break;
    case 'freeze':
      proc(a.node, 'frozen');
      break;
    case 'thaw':
    case 'restart':
      proc(a.node, 'running');
      break;
    case 'isolate':
    case 'partition':
    case 'cut':
    case 'latency':
    case 'bandwidth': {
      // A normalized network action is the fabric's fault spec.
      const spec: FaultSpec = a as FaultSpec;
      set({
        faults: [...get().faults, { id: `fault-${++seq}`, spec, rules: [], appliedAt: Date.now(), description: title }],
      });
      break;
    }
    case 'heal':
      set({ faults: get().faults.filter((f) => f.id !== a.fault) });
      break;
    case 'heal-all':
      set({ faults: [] });
      break;
    case 'write':
    case 'read': {
      const command = a.kind === 'write' ? `SET ${a.key} ${a.value}` : `GET ${a.key}`;
      const result = {
        seq: ++seq,
        at: Date.now(),
        client: a.client,
        command,
        node: 'redis-1',
        ok: true,
        text: a.kind === 'write' ? 'OK' : '"v"',
      };
      set({
        clientResults: [...get().clientResults, result],
        clientRuns: recordClientResults(get().clientRuns, [result]),
      });
      return;
    }
  }
  record();
}
