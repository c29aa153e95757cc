// Parses the command line and runs one command; every error becomes an exit code in commands/exit.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { ACTION_KINDS } from './actions/catalog.js';
import { actionUsage } from './actions/cli.js';
import { cleanCommand } from './commands/clean.js';
import { doctorCommand } from './commands/doctor.js';
import { EXIT, reportError } from './commands/exit.js';
import { type CommonOptions, parsePort } from './commands/options.js';
import { installOutputGuard } from './commands/output.js';
import { addSentinelOptions, type SentinelFlags } from './commands/sentinel-options.js';
import { upCommand } from './commands/up.js';
import { installUsageErrors } from './commands/usage.js';
import { UserError } from './errors.js';
import { packageRoot } from './package-root.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

export function buildProgram(run: (p: Promise<number>) => void): Command {
  const program = new Command('redis-sentinel-lab')
    .description(
      'A terminal lab for Redis replication and Sentinel: runs a real local cluster (master, 4 replicas, 3 Sentinels, password "redis") and lets you break it from the keyboard.',
    )
    .version(version(), '-v, --version')
    .option('--redis-server <path>', 'redis-server (or valkey-server) binary to use [env: REDIS_SERVER]')
    .addOption(
      new Option('--base-port <port>', 'first port of the block (default 6379; the lab moves if busy)').argParser(
        parsePort,
      ),
    )
    .option('--keep', 'keep the run directory (configs and logs) after exit')
    .option('--lesson <id>', 'open this lesson (see `lesson list`)')
    .option('--sandbox', 'no lesson: just the cluster and the keys')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .action((o: CommonOptions & SentinelFlags & { lesson?: string; sandbox?: boolean }) => run(defaultCommand(o)));
  // On a deployment the lab did not start: the TUI, `watch` and `inspect` (README "Use it on your own deployment").
  addSentinelOptions(program);

  program
    .command('up')
    .description('start the cluster headless, print how to reach every node, stop on Ctrl+C / SIGTERM')
    .option('--json', 'print one JSON object per line (event "ready" with readyMs and every node)')
    .action((o: CommonOptions, cmd: Command) => run(upCommand({ ...cmd.optsWithGlobals(), ...o })));

  program
    .command('watch')
    .description(
      'stream the live view, Sentinel events and failover timelines (attaches to the running lab named by --run or --base-port, or the only one running; refuses when several run; else starts a cluster of its own)',
    )
    .option('--json', 'NDJSON records: {schemaVersion, type: "status"|"view"|"event"|"failover"|"detached"|…, ts, …}')
    .option('--run <id>', 'attach to this run (its id, as `up` prints it)')
    .option('--no-attach', 'always start a cluster of its own')
    .action((o: CommonOptions & { attach?: boolean; run?: string }, cmd: Command) =>
      run(import('./commands/watch.js').then((m) => m.watchCommand({ ...cmd.optsWithGlobals(), ...o }))),
    );

  // --- headless: scriptable chaos on a running lab (`do`) ---
  program
    .command('do')
    .description(
      'act on a running lab (up or the full-screen lab) like its keys do, e.g. `do kill redis-1`, `do isolate host-3`, `do latency host-1 host-2 100ms`, `do heal`, `do failover`, `do write A key value`',
    )
    .argument('<action>', 'an action kind of the catalog (kill, stop, freeze, thaw, restart, isolate, partition, …)')
    .argument('[args...]', 'its arguments in order; optional fields as --field value')
    .option('--json', 'print the outcome as one JSON object')
    .option('--run <id>', 'the lab to act on (when several run); or --base-port N')
    .allowUnknownOption()
    .addHelpText('after', () => `\n${doHelp()}`)
    .action((kind: string, args: string[], o: CommonOptions & { run?: string }, cmd: Command) =>
      run(import('./commands/do.js').then((m) => m.doCommand(kind, args, { ...cmd.optsWithGlobals(), ...o }))),
    );
  addSentinelOptions(
    program
      .command('inspect')
      .description(
        'diagnose a Sentinel deployment the lab did not start (read-only): exit 0 healthy, 1 findings, 2 usage',
      )
      .option('--json', 'one JSON document: the deployment and every finding (docs/json.md)'),
  ).action((o: SentinelFlags & { json?: boolean }, cmd: Command) =>
    run(import('./commands/inspect.js').then((m) => m.inspectCommand({ ...cmd.optsWithGlobals(), ...o }))),
  );

  const lesson = program.command('lesson').description('guided lessons: list, check, run headless, reset progress');
  const lessons = () => import('./commands/lesson.js');
  lesson
    .command('list')
    .description('list the lessons and your progress')
    .option('--json', 'one JSON object per lesson')
    .action((o: { json?: boolean }) => run(lessons().then((m) => m.lessonList(o))));
  lesson
    .command('check')
    .description('validate every lesson file; with --run, replay every solution against real Redis')
    .option('--run', 'start each lesson’s cluster and prove every step: goal not met before, met after the solution')
    .option('--only <id>', 'only this lesson (id, folder or number); with --run, replay only its solution')
    .option('--json', 'JSON reports')
    .action((o: CommonOptions & { run?: boolean; only?: string }, cmd: Command) =>
      run(lessons().then((m) => m.lessonCheck({ ...cmd.optsWithGlobals(), ...o }))),
    );
  lesson
    .command('run <id>')
    .description('run one lesson end to end without the TUI (requires --headless)')
    .option('--headless', 'no TUI: set up, play each solution, check each goal, report')
    .option('--json', 'JSON report')
    .action((id: string, o: CommonOptions & { headless?: boolean }, cmd: Command) =>
      run(lessons().then((m) => m.lessonRun(id, { ...cmd.optsWithGlobals(), ...o }))),
    );
  lesson
    .command('reset [id]')
    .description('forget the progress of one lesson (or all)')
    .action((id: string | undefined) => run(lessons().then((m) => m.lessonReset(id))));
  lesson
    .command('export')
    .description('print your lesson progress as JSON')
    .action(() => run(lessons().then((m) => m.lessonExport())));

  program
    .command('doctor')
    .description('check Node, the Redis binary, ports, loopback addresses and the terminal')
    .option('--json', 'machine-readable output')
    .action((o: CommonOptions, cmd: Command) => run(doctorCommand({ ...cmd.optsWithGlobals(), ...o })));

  program
    .command('clean')
    .description("stop processes and remove run directories left by a lab that was killed (only the lab's own)")
    .option('--all', 'also remove run directories kept with --keep')
    .option('--json', 'machine-readable output (lists the run directories removed and kept)')
    .action((o: { json?: boolean; all?: boolean }) => run(Promise.resolve().then(() => cleanCommand(o))));

  // Last: usage errors show each command's usage line; an unknown subcommand is named (exit 2).
  installUsageErrors(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  // A reader that goes away (`… --json | head -1`) ends any command quietly with exit 0 (commands/output.ts).
  installOutputGuard();
  if (process.platform === 'win32') {
    return reportError(
      new UserError(
        'Windows is not supported: the lab freezes nodes with SIGSTOP, which Windows lacks, and Redis has no native Windows build.',
        {
          hint: 'Run it in WSL (Windows Subsystem for Linux): https://learn.microsoft.com/windows/wsl/install',
        },
      ),
    );
  }
  let pending: Promise<number> | undefined;
  const program = buildProgram((p) => {
    pending = p;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return await (pending ?? Promise.resolve(EXIT.ok));
  } catch (err) {
    if (err instanceof CommanderError) {
      // `--help`, `-v` and `help` exit 0; a command that needs a subcommand and got none (`lesson`) prints its help
      // on stderr with commander's exit code 1: that is a usage mistake.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      if (err.code === 'commander.help') return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    return reportError(err);
  }
}

/** `do --help`: every action kind with its arguments, from the catalog. */
function doHelp(): string {
  return ['Actions:', ...ACTION_KINDS.map((k) => `  ${actionUsage(k)}`)].join('\n');
}

async function defaultCommand(
  opts: CommonOptions & SentinelFlags & { lesson?: string; sandbox?: boolean },
): Promise<number> {
  const { tuiCommand } = await import('./commands/tui.js');
  return tuiCommand(opts);
}
