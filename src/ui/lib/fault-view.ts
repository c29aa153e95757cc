// How active faults read on the topology: a note per affected host, e.g. "╳ partitioned (drop)". Each fault kind's
// note is part of its action definition (src/actions/network.ts).
import { faultHostNotes } from '../../actions/network.js';
import type { ActiveFault } from '../../cluster/fabric/plan.js';

export function hostFaultNotes(faults: readonly ActiveFault[], host: string): string[] {
  return faults.flatMap((f) => faultHostNotes(f.spec, host));
}
