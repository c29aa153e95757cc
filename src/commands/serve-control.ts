// Opens a lab's control socket (engine/control.ts) for `do` and `watch`, and streams the lab's node process facts,
// action records, network faults and cluster resets to followers, so an attached `watch` shows a node killed from outside as exited
// with its signal, and a failover's cause and the active faults, as this lab saw them.
import type { ActionRecord, NodeExit, NodeStateChange } from '../cluster/events.js';
import type { ActiveFault } from '../cluster/fabric/plan.js';
import { ControlServer, controlTargetOf } from '../engine/control.js';
import type { LocalLab } from '../engine/lab.js';
import { errorMessage } from '../errors.js';

export interface ServedControl {
  path: string;
  close(): Promise<void>;
}

/** The control socket of `lab`, or the reason it could not open (the lab works on without it). */
export async function serveControl(lab: LocalLab): Promise<ServedControl | { error: string }> {
  let server: ControlServer;
  try {
    server = await ControlServer.listen(lab.deployment.runDir, controlTargetOf(lab));
  } catch (err) {
    return { error: `the control socket could not open (${errorMessage(err)}); \`do\` cannot reach this lab` };
  }
  const onState = (e: NodeStateChange) => server.broadcast({ type: 'node-state', ...e });
  const onExit = (e: NodeExit) => {
    const { logTail: _tail, ...rest } = e;
    server.broadcast({ type: 'node-exited', ...rest });
  };
  // What the lab did (a failover's cause) and its active faults, so an attached view says the same.
  const onAction = (a: ActionRecord) => server.broadcast({ type: 'action', record: a });
  const onApplied = (f: ActiveFault) => server.broadcast({ type: 'fault-applied', fault: f });
  const onHealed = (f: ActiveFault) => server.broadcast({ type: 'fault-healed', fault: f });
  // A new cluster: a follower forgets the old one's failovers and epochs, as this lab's store does.
  const onReset = () => server.broadcast({ type: 'cluster-reset' });
  lab.emitter.on('node-state', onState);
  lab.emitter.on('cluster-reset', onReset);
  lab.emitter.on('node-exited', onExit);
  lab.emitter.on('action', onAction);
  lab.emitter.on('fault-applied', onApplied);
  lab.emitter.on('fault-healed', onHealed);
  return {
    path: server.path,
    close: async () => {
      lab.emitter.off('node-state', onState);
      lab.emitter.off('node-exited', onExit);
      lab.emitter.off('action', onAction);
      lab.emitter.off('fault-applied', onApplied);
      lab.emitter.off('fault-healed', onHealed);
      lab.emitter.off('cluster-reset', onReset);
      await server.close();
    },
  };
}
