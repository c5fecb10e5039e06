/**
 * `CliUsageError`: the command line cannot be used as given (a bad flag value, a missing argument); the
 * `loopguard` command prints its message and exits with status 2.
 * @module
 */

/** A usage error of the `loopguard` command: exit status 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}
