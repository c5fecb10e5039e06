/**
 * `main(argv)`: runs the `loopguard` command and returns its exit status — 0 done (and `--help`,
 * `--version`), 1 failed (the gateway or a ledger answered with an error, no ledger at a path), 2 a usage
 * error (an unknown command or flag, a bad value, a missing key or option).
 * @module
 */
import { isLoopguardError } from '@loopguard/messages';
import { CommanderError } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import { CliUsageError } from './cli-usage-error.js';
import { createProgram } from './create-program.js';

/** The exit status for a usage error. */
export const EXIT_USAGE = 2;
/** The exit status for a failure. */
export const EXIT_FAILURE = 1;

/** Runs `argv` (as `process.argv`: node, script, then arguments) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await createProgram(io).parseAsync([...argv]);
    return 0;
  } catch (error) {
    return exitStatusOf(error, io);
  }
}

function exitStatusOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander printed its message (or the help) already.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof CliUsageError) {
    io.err(`loopguard: ${error.message}`);
    return EXIT_USAGE;
  }
  if (isLoopguardError(error) && error.name === 'ConfigurationError') {
    io.err(`loopguard: ${error.message}`);
    return EXIT_USAGE;
  }
  const code = isLoopguardError(error) && error.code ? ` [${error.code}]` : '';
  io.err(`loopguard: ${error instanceof Error ? error.message : String(error)}${code}`);
  return EXIT_FAILURE;
}
