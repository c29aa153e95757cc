// Usage errors (exit 2) print the offending command's usage line, and an unknown subcommand is named as such
// (commander alone reports "too many arguments. Expected 0 arguments" because the root has a default action).
import type { Command } from 'commander';

function commandPath(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}

function usageText(c: Command): string {
  return `Usage: ${commandPath(c)} ${c.usage()}\n(run \`${commandPath(c)} --help\` for details)`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j] ?? 0;
      row[j] = Math.min(cur + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * Call once the program and all its subcommands are defined: every command shows its usage line after an error,
 * and `redis-sentinel-lab frobnicate` says "unknown command 'frobnicate'" (exit 2 through exitOverride).
 */
export function installUsageErrors(program: Command): void {
  const visit = (c: Command) => {
    c.showHelpAfterError(usageText(c));
    for (const sub of c.commands) visit(sub);
  };
  visit(program);
  // The root's default action takes no operands; let them through so the hook below can name the mistake.
  program.allowExcessArguments(true);
  program.hook('preAction', (_root, action) => {
    if (action !== program || program.args.length === 0) return;
    const word = program.args[0] ?? '';
    const names = program.commands.map((c) => c.name());
    const close = names.filter((n) => distance(n, word) <= Math.max(1, Math.floor(n.length / 3)));
    const suggestion = close.length ? ` (did you mean ${close.map((n) => `'${n}'`).join(' or ')}?)` : '';
    program.error(`error: unknown command '${word}'${suggestion}; commands: ${names.join(', ')}`, {
      code: 'commander.unknownCommand',
      exitCode: 2,
    });
  });
}
