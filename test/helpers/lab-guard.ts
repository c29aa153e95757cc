// For real-Redis test files: remembers every pid a lab ever had (restarts get new pids) and, after cleanup, proves
// that none of them is alive, that no process still runs inside the lab's run directory, and that the lab left no
// socket open in this process (a leaked handle also keeps the test process from exiting).
import assert from 'node:assert/strict';
import { isAlive, processesInside } from '../../src/cluster/process/proc.js';
import type { LocalLab } from '../../src/engine/lab.js';
import { eventually } from './wait.js';

export interface LabGuard {
  /** Call after cleanup(): fails naming any survivor. */
  assertNothingLeft(): Promise<void>;
}

const SOCKETS = new Set(['TCPSocketWrap', 'TCPServerWrap']);

export function guardLab(lab: LocalLab): LabGuard {
  const pids = new Set<number>();
  const note = () => {
    for (const p of Object.values(lab.store.getState().processes)) if (p.pid !== undefined) pids.add(p.pid);
    for (const n of lab.topology.nodes) {
      const pid = lab.nodePid(n.id);
      if (pid !== undefined) pids.add(pid);
    }
  };
  note();
  const unsubscribe = lab.store.subscribe(note);
  return {
    async assertNothingLeft() {
      unsubscribe();
      const alive = [...pids].filter((p) => isAlive(p));
      assert.deepEqual(alive, [], `lab processes left behind: ${alive.join(', ')}`);
      const inside = processesInside(lab.deployment.runDir);
      assert.deepEqual(inside, [], `processes still running in ${lab.deployment.runDir}: ${inside.join(', ')}`);
      // Closing is asynchronous: give handles a moment to go, then insist.
      await eventually(() => !process.getActiveResourcesInfo().some((r) => SOCKETS.has(r)), {
        timeoutMs: 3000,
        what: `no TCP handle left open after the lab's shutdown (${process.getActiveResourcesInfo().join(', ')})`,
      });
    },
  };
}
