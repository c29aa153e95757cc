// The `--sentinel` family of flags (the TUI, `watch` and `inspect` on a deployment the lab did not start): parsing,
// and adding them to a command. Passwords are taken from environment variables the person names, or a prompt.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Endpoint } from '../diagnosis/snapshot.js';

export interface SentinelFlags {
  sentinel?: Endpoint[];
  masterName?: string;
  passwordEnv?: string;
  user?: string;
  sentinelPasswordEnv?: string;
  sentinelUser?: string;
}

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** `host:port[,host:port…]`, IPv6 as `[::1]:26379`. */
export function parseSentinels(value: string): Endpoint[] {
  const out: Endpoint[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(item) ?? /^([^:[\]]+):(\d+)$/.exec(item);
    const host = m?.[1];
    const port = Number(m?.[2]);
    if (!host || !(HOST.test(host) || host.includes(':')) || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new InvalidArgumentError(
        `"${item.slice(0, 60)}" is not HOST:PORT (e.g. 10.0.0.5:26379, sentinel-1.example:26379, [::1]:26379)`,
      );
    }
    if (!out.some((e) => e.host === host && e.port === port)) out.push({ host, port });
  }
  if (out.length === 0) throw new InvalidArgumentError('give at least one Sentinel as HOST:PORT');
  if (out.length > 16) throw new InvalidArgumentError('at most 16 Sentinels');
  return out;
}

function parseName(what: string, max: number) {
  return (value: string): string => {
    if (!value || value.length > max || /[\s\u0000-\u001f\u007f]/.test(value)) {
      throw new InvalidArgumentError(`${what} must be 1–${max} characters without spaces or control characters`);
    }
    return value;
  };
}

/** Adds the family to `cmd`. */
export function addSentinelOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--sentinel <host:port,...>',
        'attach to a Sentinel deployment the lab did not start (read-only): one or more of its Sentinels',
      ).argParser(parseSentinels),
    )
    .addOption(
      new Option('--master-name <name>', 'only this master (default: every master the Sentinels monitor)').argParser(
        parseName('--master-name', 200),
      ),
    )
    .addOption(
      new Option('--password-env <VAR>', "the data nodes' password is in environment variable VAR").argParser(
        parseName('--password-env', 100),
      ),
    )
    .addOption(new Option('--user <user>', 'ACL user for the data nodes').argParser(parseName('--user', 100)))
    .addOption(
      new Option(
        '--sentinel-password-env <VAR>',
        "the Sentinels' own password (their requirepass) is in environment variable VAR",
      ).argParser(parseName('--sentinel-password-env', 100)),
    )
    .addOption(
      new Option('--sentinel-user <user>', 'ACL user for the Sentinels').argParser(parseName('--sentinel-user', 100)),
    );
}
