// Loopback addressing of the local lab: each host has a private address its processes listen on and connect from
// (127.0.1.i) and a public one where the fabric listens for it (127.0.2.i), or everything shares 127.0.0.1 when the
// machine has no other loopback addresses (then there are no network faults). See cluster/topology.ts.
import { canBind } from '../cluster/process/ports.js';
import {
  type NetworkMode,
  nodeIdByAddress,
  privateAddress,
  publicAddress,
  type Topology,
} from '../cluster/topology.js';
import type { Addresses } from './deployment.js';

/** Probes and admin commands use the private address (never through the fabric); people and clients the public one. */
export function loopbackAddresses(t: Topology): Addresses {
  return {
    admin: (id) => privateAddress(t, id),
    public: (id) => publicAddress(t, id),
    nodeAt: (ip, port) => nodeIdByAddress(t, ip, port),
  };
}

/**
 * The gateway of a host (hosts mode only): 127.0.3.i, where the fabric listens on every node's port and treats each
 * connection as coming from host i, so an app outside the lab can be placed on a host (partitioned and delayed with
 * it). Undefined in single-ip mode.
 */
export function gatewayIp(t: Topology, hostId: string): string | undefined {
  if (t.networkMode !== 'hosts') return undefined;
  const i = t.hosts.findIndex((h) => h.id === hostId);
  return i < 0 ? undefined : `127.0.3.${i + 1}`;
}

/** `hosts` when this machine lets the lab bind 127.0.1.x and 127.0.2.x (Linux does by default), else `single-ip`. */
export async function detectNetworkMode(): Promise<NetworkMode> {
  const ok = (await canBind('127.0.1.1', 0)) && (await canBind('127.0.2.1', 0));
  return ok ? 'hosts' : 'single-ip';
}

export function aliasHint(t: Topology): string {
  const ips: string[] = [];
  for (let i = 1; i <= Math.max(t.hosts.length, 5); i++) ips.push(`127.0.1.${i}`, `127.0.2.${i}`);
  return [
    'Each lab host needs its own loopback address. On macOS add them once (needs sudo, lasts until reboot):',
    ...ips.map((ip) => `  sudo ifconfig lo0 alias ${ip} up`),
    'Then start the lab again. Everything else works without them.',
  ].join('\n');
}
