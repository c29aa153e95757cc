// cli.ts decides whether the full-screen lab opens before the parser is loaded; its list must match the parser's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { COMMAND_NAMES, opensTui } from '../../src/commands/command-names.js';
import { buildProgram } from '../../src/main.js';

describe('command names', () => {
  it("lists exactly the subcommands main.ts defines (and commander's help)", () => {
    const program = buildProgram(() => {});
    const names = program.commands.map((c) => c.name());
    assert.deepEqual([...names, 'help'].sort(), [...COMMAND_NAMES].sort());
  });

  it('opens the TUI only without a subcommand', () => {
    assert.equal(opensTui([]), true);
    assert.equal(opensTui(['--sandbox', '--base-port', '7000']), true);
    assert.equal(opensTui(['--lesson', '03-failover']), true);
    assert.equal(opensTui(['--sentinel', '10.0.0.5:26379', '--master-name', 'mymaster']), true);
    assert.equal(opensTui(['up', '--json']), false);
    assert.equal(opensTui(['--base-port', '7000', 'watch']), false);
    assert.equal(opensTui(['lesson', 'check', '--run']), false);
    assert.equal(opensTui(['help']), false);
  });

  it('leaves line breaks in help to commander, which wraps to the terminal (a manual break left short lines)', () => {
    const texts: string[] = [];
    const walk = (c: Command, path: string) => {
      texts.push(`${path}: ${c.description()}`);
      for (const o of c.options) texts.push(`${path} ${o.flags}: ${o.description}`);
      for (const a of c.registeredArguments) texts.push(`${path} <${a.name()}>: ${a.description}`);
      for (const sub of c.commands) walk(sub, `${path} ${sub.name()}`);
    };
    walk(
      buildProgram(() => {}),
      'redis-sentinel-lab',
    );
    assert.ok(texts.length > 20, `walked ${texts.length} descriptions`);
    assert.deepEqual(
      texts.filter((t) => t.includes('\n')),
      [],
    );
  });
});
