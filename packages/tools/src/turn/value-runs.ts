/**
 * `ValueRuns`: a column of values, one per row, kept as runs. A row whose value is the one its run gives
 * (by the run's rule: the same params, the last number plus a stride) costs nothing; any other starts a new
 * run. A row's value is found again by a binary search over the runs' first rows. For the values of a run's
 * steps that mostly follow on from the step before — its turn, how many messages it sent, its params.
 * @module
 */

/** How a run gives its values: whether `value` is the one the run's `first` gives `offset` rows on, and which that is. */
export interface RunRule<T> {
  follows(first: T, offset: number, value: T): boolean;
  at(first: T, offset: number): T;
}

/** A run of numbers that grow by `stride` a row (exactly: for integers). */
export function strideRule(stride: number): RunRule<number> {
  return {
    follows: (first, offset, value) => value === first + stride * offset,
    at: (first, offset) => first + stride * offset,
  };
}

/** @internal One column of values, kept as runs under `rule`. */
export class ValueRuns<T> {
  readonly #rule: RunRule<T>;
  /** The first row of each run (ascending), and its value. */
  readonly #from: number[] = [];
  readonly #first: T[] = [];
  #rows = 0;

  constructor(rule: RunRule<T>) {
    this.#rule = rule;
  }

  /** Rows so far. */
  get length(): number {
    return this.#rows;
  }

  /** Appends a row of `value`. */
  push(value: T): void {
    const runs = this.#from.length;
    const from = this.#from[runs - 1] as number;
    if (runs === 0 || !this.#rule.follows(this.#first[runs - 1] as T, this.#rows - from, value)) {
      this.#from.push(this.#rows);
      this.#first.push(value);
    }
    this.#rows += 1;
  }

  /** The value of row `row` (of the rows pushed so far). */
  at(row: number): T {
    const from = this.#from;
    let low = 0;
    let high = from.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((from[middle] as number) <= row) low = middle;
      else high = middle - 1;
    }
    return this.#rule.at(this.#first[low] as T, row - (from[low] as number));
  }
}
