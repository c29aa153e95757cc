// For real-Redis test files: remembers every pid a lab ever had (restarts get new pids) and, after cleanup, proves
// that none of them is alive and that no process still runs inside the lab's run directory.
import assert from 'node:assert/strict';
import { isAlive, processesInside } from '../../src/cluster/process/proc.js';
import type { Lab } from '../../src/engine/lab.js';

export interface LabGuard {
  /** Call after cleanup(): fails naming any survivor. */
  assertNothingLeft(): void;
}

export function guardLab(lab: Lab): LabGuard {
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
    assertNothingLeft() {
      unsubscribe();
      const alive = [...pids].filter((p) => isAlive(p));
      assert.deepEqual(alive, [], `lab processes left behind: ${alive.join(', ')}`);
      const inside = processesInside(lab.runDir);
      assert.deepEqual(inside, [], `processes still running in ${lab.runDir}: ${inside.join(', ')}`);
    },
  };
}
