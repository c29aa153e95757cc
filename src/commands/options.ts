// Option parsing helpers shared by the commands (validation turns bad values into usage errors).
import { resolveServerBinary, type ServerBinary } from '../cluster/process/binaries.js';
import { UserError } from '../errors.js';

export interface CommonOptions {
  redisServer?: string;
  basePort?: number;
  keep?: boolean;
  json?: boolean;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1024 || n > 65000) {
    throw new UserError(`--base-port must be a whole number between 1024 and 65000 (got "${value}")`, { exitCode: 2 });
  }
  return n;
}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n <= 0 || n > 1_000_000) {
      throw new UserError(`${name} must be a positive whole number (got "${value}")`, { exitCode: 2 });
    }
    return n;
  };
}

export function findBinary(opts: CommonOptions): Promise<ServerBinary> {
  return resolveServerBinary({ flag: opts.redisServer, env: process.env.REDIS_SERVER, pathEnv: process.env.PATH });
}
