// The program's subcommands by name, apart from the command-line parser (main.ts) so that cli.ts can tell, before
// it loads anything else, whether this run opens the full-screen lab (no subcommand). A test keeps the two in step.

export const COMMAND_NAMES = ['up', 'watch', 'do', 'inspect', 'lesson', 'doctor', 'clean', 'help'] as const;

/** True when no argument names a subcommand: the default command, the full-screen lab, runs. */
export function opensTui(argv: readonly string[]): boolean {
  return !argv.some((a) => (COMMAND_NAMES as readonly string[]).includes(a));
}
