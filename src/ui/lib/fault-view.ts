// How active faults read on the topology: a note per affected host, e.g. "╳ partitioned (drop)".
import type { ActiveFault } from '../../cluster/fabric/plan.js';

export function hostFaultNotes(faults: readonly ActiveFault[], host: string): string[] {
  const notes: string[] = [];
  for (const f of faults) {
    const s = f.spec;
    switch (s.kind) {
      case 'isolate':
        if (s.host === host) notes.push(`╳ partitioned (${s.mode})`);
        break;
      case 'partition': {
        const mine = s.groups.findIndex((g) => g.includes(host));
        if (mine < 0) break;
        // Mark the smaller side(s); the largest group is "the rest of the world".
        const largest = s.groups.reduce((best, g, i) => (g.length > (s.groups[best]?.length ?? 0) ? i : best), 0);
        if (mine !== largest) {
          const others = s.groups.filter((_, i) => i !== mine).flat();
          notes.push(`╳ partitioned from ${others.join(',')} (${s.mode})`);
        }
        break;
      }
      case 'cut':
        if (s.from === host) notes.push(`╳ cut → ${s.to} (${s.mode})`);
        break;
      case 'latency':
        if (s.from === host || (s.bothWays && s.to === host)) {
          const peer = s.from === host ? s.to : s.from;
          const amount = s.jitterMs ? `${s.latencyMs}±${s.jitterMs}` : `${s.latencyMs}`;
          notes.push(`~ ${amount} ms ${s.bothWays ? '⇄' : '→'} ${peer}`);
        }
        break;
      case 'bandwidth':
        if (s.from === host || (s.bothWays && s.to === host)) {
          notes.push(`⇣ ${s.bytesPerSec} B/s ${s.bothWays ? '⇄' : '→'} ${s.from === host ? s.to : s.from}`);
        }
        break;
    }
  }
  return notes;
}
