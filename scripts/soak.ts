// `npm run soak -- --minutes N [--seed S] [--json] [--base-port P] [--redis-server PATH]`: the chaos soak.
// Exit 0 only if every check passed; 1 if a check failed; 2 on bad usage; 130 when interrupted (SIGINT/SIGTERM).
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { resolveServerBinary } from '../src/cluster/process/binaries.js';
import { reportError } from '../src/commands/exit.js';
import { guardLab } from '../src/commands/lifecycle.js';
import { parsePort } from '../src/commands/options.js';
import { formatRecord } from '../src/soak/report.js';
import { runSoak } from '../src/soak/runner.js';

function positiveNumber(name: string, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || n <= 0 || n > max)
      throw new InvalidArgumentError(`${name} must be > 0 and <= ${max}`);
    return n;
  };
}

function seedArg(v: string): number {
  if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) throw new InvalidArgumentError('--seed must be 0..4294967295');
  return Number(v);
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('soak')
    .description('chaos soak: the default cluster, a write workload and one seeded random fault per round')
    .option('--minutes <n>', 'how long to run (fractions allowed)', positiveNumber('--minutes', 24 * 60), 2)
    .option('--seed <n>', 'schedule seed (default: random, printed so the run can be repeated)', seedArg)
    .option('--json', 'one JSON record per line: start, round…, summary')
    .option('--base-port <port>', 'preferred first port (moves if busy)', parsePort)
    .option('--redis-server <path>', 'redis-server binary [env: REDIS_SERVER]')
    .option('--rate <n>', "client A's writes per second", positiveNumber('--rate', 1000), 100)
    .exitOverride()
    .showHelpAfterError('(run `npm run soak -- --help` for usage)');
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' ? 0 : 2;
    throw err;
  }
  const o = program.opts<{
    minutes: number;
    seed?: number;
    json?: boolean;
    basePort?: number;
    redisServer?: string;
    rate: number;
  }>();
  const seed = o.seed ?? Math.floor(Math.random() * 0xffffffff);
  let binary: Awaited<ReturnType<typeof resolveServerBinary>>;
  try {
    binary = await resolveServerBinary({
      flag: o.redisServer,
      env: process.env.REDIS_SERVER,
      pathEnv: process.env.PATH,
    });
  } catch (err) {
    return reportError(err);
  }
  const summary = await runSoak({
    minutes: o.minutes,
    seed,
    binary,
    basePort: o.basePort,
    ratePerSec: o.rate,
    out: (rec) => process.stdout.write(`${o.json ? JSON.stringify(rec) : formatRecord(rec)}\n`),
    guard: guardLab,
  });
  if (summary.interrupted) return 130;
  return summary.ok ? 0 : 1;
}

// Exit explicitly once the summary is out and the lab is down: a CI job must never wait on a stray handle
// (stdout/stderr are synchronous for files and pipes on Linux, so nothing printed is lost).
process.exit(await main(process.argv.slice(2)));
