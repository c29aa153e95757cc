// Port planning against the real machine: a port is free only if it can be bound on every address the lab uses.
import { createServer } from 'node:net';
import { UserError } from '../../errors.js';
import { candidateBasePorts, type TopologyShape, topologyPorts } from '../topology.js';

export function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Free on 127.0.0.1 (where users' own Redis usually listens) and on every lab address. */
export async function isPortFree(port: number, ips: readonly string[]): Promise<boolean> {
  for (const ip of new Set(['127.0.0.1', ...ips])) if (!(await canBind(ip, port))) return false;
  return true;
}

export interface PortPlan {
  basePort: number;
  /** Set when the preferred block was busy. */
  moved?: { from: number; to: number; reason: string };
}

export async function planPorts(
  shape: TopologyShape,
  preferred: number,
  ipsFor: (basePort: number) => readonly string[],
  opts: { strict?: boolean } = {},
): Promise<PortPlan> {
  const candidates = opts.strict ? [preferred] : candidateBasePorts(preferred);
  let firstBusy: number | undefined;
  for (const base of candidates) {
    const ips = ipsFor(base);
    let busy: number | undefined;
    for (const p of topologyPorts(shape, base)) {
      if (p <= 0 || p >= 65536 || !(await isPortFree(p, ips))) {
        busy = p;
        break;
      }
    }
    if (busy === undefined) {
      return base === preferred
        ? { basePort: base }
        : { basePort: base, moved: { from: preferred, to: base, reason: `port ${firstBusy} is in use` } };
    }
    if (base === preferred) firstBusy = busy;
  }
  throw new UserError(
    opts.strict
      ? `Port ${firstBusy} of the block starting at ${preferred} is in use.`
      : `Every port block the lab tried is in use (first: ${preferred}, port ${firstBusy}).`,
    { hint: 'Free the ports, or pass --base-port N to choose another block.' },
  );
}
