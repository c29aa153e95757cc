// Human wording for LabActions: the "doing it…" status line, the result line and lesson solution steps.
import type { LabAction } from '../../cluster/actions.js';

/** Present-progressive status shown while the lab works on it ("killing redis-1…"). */
export function busyText(a: LabAction): string {
  switch (a.kind) {
    case 'kill':
      return `killing ${a.node} (SIGKILL)…`;
    case 'stop':
      return `stopping ${a.node} (SHUTDOWN)…`;
    case 'freeze':
      return `freezing ${a.node} (SIGSTOP)…`;
    case 'thaw':
      return `thawing ${a.node} (SIGCONT)…`;
    case 'restart':
      return `restarting ${a.node}…`;
    case 'failover':
      return 'asking Sentinel for a failover…';
    case 'write':
      return `client ${a.client}: SET ${a.key}…`;
    case 'read':
      return `client ${a.client}: GET ${a.key}…`;
    default:
      return `${describeAction(a)}…`;
  }
}

/** One line naming what the action does, e.g. for lesson solutions. */
export function describeAction(a: LabAction): string {
  switch (a.kind) {
    case 'kill':
      return `kill -9 ${a.node}`;
    case 'stop':
      return `stop ${a.node} gracefully`;
    case 'freeze':
      return `freeze ${a.node} (SIGSTOP)`;
    case 'thaw':
      return `thaw ${a.node} (SIGCONT)`;
    case 'restart':
      return `restart ${a.node}`;
    case 'partition':
      return `partition ${a.groups.map((g) => `{${g.join(', ')}}`).join(' | ')} (${a.mode ?? 'drop'})`;
    case 'isolate':
      return `isolate ${a.host} (${a.mode ?? 'drop'})`;
    case 'cut':
      return `cut ${a.from} → ${a.to} (${a.mode ?? 'drop'})`;
    case 'latency': {
      const j = a.jitterMs ? `±${a.jitterMs}` : '';
      return `latency ${a.from} ${a.bothWays ? '⇄' : '→'} ${a.to} ${a.latencyMs}${j} ms`;
    }
    case 'bandwidth':
      return `bandwidth ${a.from} ${a.bothWays ? '⇄' : '→'} ${a.to} ${a.bytesPerSec} B/s`;
    case 'heal':
      return `heal ${a.fault}`;
    case 'heal-all':
      return 'heal all faults';
    case 'write':
      return `client ${a.client}: SET ${a.key} ${a.value}`;
    case 'read':
      return `client ${a.client}: GET ${a.key}`;
    case 'workload-start':
      return `start workload as client ${a.client}${a.ratePerSec ? ` (${a.ratePerSec}/s)` : ''}`;
    case 'workload-stop':
      return 'stop workload';
    case 'failover':
      return `SENTINEL FAILOVER mymaster${a.sentinel ? ` via ${a.sentinel}` : ''}`;
    case 'min-replicas':
      return `min-replicas-to-write ${a.toWrite}${a.maxLagSec !== undefined ? `, max-lag ${a.maxLagSec}s` : ''}`;
    case 'masterauth':
      return `${a.enabled ? 'set' : 'remove'} masterauth on ${a.node}`;
    case 'sentinel-set':
      return `SENTINEL SET mymaster ${a.option} ${a.value}`;
    case 'reset':
      return 'reset the cluster';
  }
}
