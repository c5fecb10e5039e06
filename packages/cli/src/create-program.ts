/**
 * `createProgram(io)`: the `loopguard` command and its subcommands, as a commander `Command`. Each command
 * lives in `commands/` with a `register…Command(program, io)` function; a new group (such as `runs`) is one
 * more call here.
 * @module
 */
import { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { registerCreditsCommand } from './commands/credits-command.js';
import { registerMockCommand } from './commands/mock-command.js';
import { registerRunsCommand } from './commands/runs-command.js';
import { registerSpendCommand } from './commands/spend-command.js';

/** The CLI's version, printed by `loopguard --version`. */
export const CLI_VERSION = '0.1.0';

/**
 * The `loopguard` program writing to `io`. Commander's own exits are turned into thrown `CommanderError`s
 * (`exitOverride`), so `main` decides every exit status.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('loopguard')
    .description(
      'loopguard for operators: the balance of a key, what a ledger spent, workflow runs, a local mock gateway',
    )
    .version(CLI_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .showHelpAfterError('(loopguard --help lists the commands)');
  registerCreditsCommand(program, io);
  registerSpendCommand(program, io);
  registerMockCommand(program, io);
  registerRunsCommand(program, io);
  return program;
}
