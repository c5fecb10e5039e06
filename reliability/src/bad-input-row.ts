/**
 * A row of the bad-input table (`test/bad-input.test.ts`): what to run, and the typed error (class and
 * code) or the kept value it must give.
 * @module
 */

/** An error class, or a check of the value the row resolves with. */
export type Expected = (new (...args: never[]) => Error) | ((value: unknown) => void);

/** One attack or piece of bad input. */
export interface Row {
  area: string;
  name: string;
  run: () => unknown;
  expected: Expected;
  /** The error's `code`, when `expected` is an error class. */
  code?: string;
  /** More checks once the row ran (what a server received, what ran), given the error or the value. */
  check?: (outcome: unknown) => void | Promise<void>;
}
