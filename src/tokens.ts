// Shapes of the strings and numbers the lab accepts from files and the command line (lessons, actions). Anything that
// ends up in a Redis command or a config line is restricted to a safe alphabet here, so no input can smuggle in
// spaces, quotes or newlines. Shared by the action catalog (src/actions/) and the lesson format (src/lessons/).
import { z } from 'zod';

/** `redis-2`, `sentinel-1`: the lab's node ids. */
export const NODE_ID = /^(redis|sentinel)-[1-9]\d?$/;
/** `host-3`; `outside` is the caller outside every lab host (the user's terminal). */
export const HOST_ID = /^host-[1-9]\d?$/;
/** Keys and values sent to Redis by `write`/`read`: no spaces, quotes, backslashes or control characters. */
export const COMMAND_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;
/** Values written into redis.conf / sentinel.conf (password, master name): the same alphabet, no `#` or quotes. */
export const CONFIG_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export const nodeRef = z.string().regex(NODE_ID, { error: 'must be a node id like "redis-2" or "sentinel-1"' });

export const redisRef = z.string().regex(/^redis-[1-9]\d?$/, { error: 'must be a Redis node id like "redis-2"' });

export const sentinelRef = z
  .string()
  .regex(/^sentinel-[1-9]\d?$/, { error: 'must be a Sentinel id like "sentinel-1"' });

export const hostRef = z.string().regex(HOST_ID, { error: 'must be a host id like "host-3"' });

/** A host as fault endpoints name it: a lab host or `outside`. */
export const endpointRef = z
  .string()
  .regex(/^(host-[1-9]\d?|outside)$/, { error: 'must be a host id like "host-3" or "outside"' });

/** A string that becomes one argument of a Redis command. */
export const commandToken = (what: string, max = 64) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .regex(COMMAND_TOKEN, {
      error: `${what} may only contain letters, digits and . _ : - (no spaces, quotes, newlines or shell characters)`,
    });

/** A string that becomes a value in a Redis or Sentinel config file. */
export const configToken = (what: string, max = 64) =>
  z
    .string()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` })
    .regex(CONFIG_TOKEN, {
      error: `${what} may only contain letters, digits and . _ - (it is written into a config file)`,
    });

/** Ten minutes: the longest any wait, hold or step may last. */
export const MAX_MS = 600_000;

/** Integer milliseconds within [min, max]; the message names the unit and the bound in words. */
export const ms = (what: string, min: number, max: number) =>
  z
    .int({ error: `${what} must be a whole number of milliseconds` })
    .min(min, { error: `${what} must be at least ${min} ms` })
    .max(max, { error: `${what} must be at most ${max} ms (${humanMs(max)})` });

export const count = (what: string, min: number, max: number) =>
  z
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });

export function humanMs(v: number): string {
  if (v >= 60_000 && v % 60_000 === 0) return `${v / 60_000} min`;
  if (v >= 1000) return `${Number((v / 1000).toFixed(1))} s`;
  return `${v} ms`;
}
