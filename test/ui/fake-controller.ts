// A LabController for UI tests and the demo: records every call; optionally mimics the engine's effects
// on the store after a short delay so the screen can be watched reacting.
import type { ActionOutcome, LabAction } from '../../src/cluster/actions.js';
import type { LabController, LessonControls } from '../../src/state/controller.js';
import { createLabStore, type LabState } from '../../src/state/store.js';

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
}

export function fakeController(state: LabState, opts: FakeOptions = {}) {
  const calls: Call[] = [];
  const store = createLabStore(state);
  const wait = () => new Promise((r) => setTimeout(r, opts.delayMs ?? 0));
  const lesson: LessonControls = {
    next: () => void calls.push({ method: 'lesson.next', args: [] }),
    previous: () => void calls.push({ method: 'lesson.previous', args: [] }),
    hint: () => void calls.push({ method: 'lesson.hint', args: [] }),
    toggleSolution: () => void calls.push({ method: 'lesson.toggleSolution', args: [] }),
    playSolution: async () => void calls.push({ method: 'lesson.playSolution', args: [] }),
    reset: async () => void calls.push({ method: 'lesson.reset', args: [] }),
  };
  const controller: LabController = {
    store,
    async perform(action) {
      calls.push({ method: 'perform', args: [action] });
      await wait();
      if (opts.simulate) simulate(store.getState, store.setState, action);
      return opts.outcome ? opts.outcome(action) : { ok: true, text: 'done' };
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
function simulate(get: () => LabState, set: (p: Partial<LabState>) => void, a: LabAction): void {
  const s = get();
  const record = (title: string, equivalent: string) =>
    set({ actions: [...get().actions, { seq: ++seq, at: Date.now(), title, equivalent, status: 'ok' }] });
  const proc = (node: string, state: LabState['processes'][string]['state']) => {
    const p = s.processes[node];
    if (p) set({ processes: { ...get().processes, [node]: { ...p, state } } });
  };
  switch (a.kind) {
    case 'kill':
      proc(a.node, 'exited');
      record(`Kill ${a.node}`, `kill -9 ${s.processes[a.node]?.pid ?? '?'}  # ${a.node}`);
      return;
    case 'stop':
      proc(a.node, 'stopped');
      record(`Stop ${a.node}`, `redis-cli -p ${portOf(s, a.node)} SHUTDOWN`);
      return;
    case 'freeze':
      proc(a.node, 'frozen');
      record(`Freeze ${a.node}`, `kill -STOP ${s.processes[a.node]?.pid ?? '?'}  # ${a.node}`);
      return;
    case 'thaw':
      proc(a.node, 'running');
      record(`Thaw ${a.node}`, `kill -CONT ${s.processes[a.node]?.pid ?? '?'}  # ${a.node}`);
      return;
    case 'restart':
      proc(a.node, 'running');
      record(`Restart ${a.node}`, `redis-server ${a.node}/redis.conf`);
      return;
    case 'isolate':
    case 'partition':
    case 'cut':
    case 'latency': {
      const description =
        a.kind === 'isolate'
          ? `isolate ${a.host} (${a.mode ?? 'drop'})`
          : a.kind === 'partition'
            ? `partition ${a.groups.map((g) => `{${g.join(', ')}}`).join(' | ')} (${a.mode ?? 'drop'})`
            : a.kind === 'cut'
              ? `${a.from} -/-> ${a.to} (${a.mode ?? 'drop'})`
              : `latency ${a.from} ${a.bothWays ? '<->' : '->'} ${a.to} ${a.latencyMs} ms`;
      const spec =
        a.kind === 'isolate'
          ? { kind: 'isolate' as const, host: a.host, mode: a.mode ?? 'drop' }
          : a.kind === 'partition'
            ? { kind: 'partition' as const, groups: a.groups, mode: a.mode ?? 'drop' }
            : a.kind === 'cut'
              ? { kind: 'cut' as const, from: a.from, to: a.to, mode: a.mode ?? 'drop' }
              : {
                  kind: 'latency' as const,
                  from: a.from,
                  to: a.to,
                  latencyMs: a.latencyMs,
                  jitterMs: a.jitterMs ?? 0,
                  bothWays: a.bothWays ?? false,
                };
      set({ faults: [...get().faults, { id: `fault-${++seq}`, spec, rules: [], appliedAt: Date.now(), description }] });
      record(description, `# fabric: ${description}`);
      return;
    }
    case 'heal':
      set({ faults: get().faults.filter((f) => f.id !== a.fault) });
      record(`Heal ${a.fault}`, '# fabric: heal');
      return;
    case 'heal-all':
      set({ faults: [] });
      record('Heal all', '# fabric: heal all');
      return;
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
      set({ clientResults: [...get().clientResults, result] });
      return;
    }
    case 'failover':
      record('SENTINEL FAILOVER', 'redis-cli -p 6479 SENTINEL FAILOVER mymaster');
      return;
    default:
      record(a.kind, `# ${a.kind}`);
      return;
  }
}

function portOf(s: LabState, node: string): number | string {
  return s.topology.nodes.find((n) => n.id === node)?.port ?? '?';
}
