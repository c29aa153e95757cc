// The misconfigure family: what Sentinel users most often get wrong, each as one action with its undo (the same kind
// with the opposite flag, or the fix): a host behind a NAT and the announced port that fixes it, persistence off/on,
// a Sentinel restarted without its password, and a node removed without SENTINEL RESET. Also the sandbox's
// misconfigure menu (src/ui/lib/misconfigure.ts) lists them, with masterauth (config.ts) and replica priority.
import { announcePort } from './announce-port.js';
import { decommission } from './decommission.js';
import { nat } from './nat.js';
import { persistence } from './persistence.js';
import { sentinelPassword } from './sentinel-password.js';

export const MISCONFIGURE_ACTIONS = [nat, announcePort, persistence, sentinelPassword, decommission] as const;
