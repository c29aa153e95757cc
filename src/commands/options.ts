// Option parsing helpers shared by the commands (validation turns bad values into usage errors).
import { InvalidArgumentError } from 'commander';
import { defaultVersionCache, resolveServerBinary, type ServerBinary } from '../cluster/process/binaries.js';

export interface CommonOptions {
  redisServer?: string;
  basePort?: number;
  keep?: boolean;
  json?: boolean;
}

export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n < 1024 || n > 65000) {
    // commander's own error type: it prints the message plus the usage line, and main() maps it to exit 2.
    throw new InvalidArgumentError('--base-port must be a whole number between 1024 and 65000');
  }
  return n;
}

export function parsePositiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n <= 0 || n > 1_000_000) {
      throw new InvalidArgumentError(`${name} must be a positive whole number`);
    }
    return n;
  };
}

export function findBinary(opts: CommonOptions): Promise<ServerBinary> {
  return resolveServerBinary({
    flag: opts.redisServer,
    env: process.env.REDIS_SERVER,
    pathEnv: process.env.PATH,
    versionCache: defaultVersionCache(),
  });
}
