/**
 * `CliIo`: where the `loopguard` command writes, so commands stay free of `process` and a caller can capture
 * their output.
 * @module
 */

/** Output of the `loopguard` command: one call per line, no trailing newline. */
export interface CliIo {
  /** Writes a line of results (stdout by default). */
  out(line: string): void;
  /** Writes a line of diagnostics (stderr by default). */
  err(line: string): void;
}

/** Lines to the process's stdout and stderr. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
