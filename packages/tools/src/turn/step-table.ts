/**
 * `StepTable`: what the steps of one run keep in common, in one place — the transcript their requests are
 * read from, the params besides the messages that each turn sent (consecutive turns mostly send the same: one
 * object for each run of them, found by row), and each step's credits and duration as numbers in one
 * Float64Array grown by doubling. A number in a field of its own is a boxed double: 16 bytes, and 8 more for
 * the field, twice per step.
 * @module
 */
import type { MessageCreateParams, MessageParam } from '@loopguard/messages';

/** A turn's params without its messages. */
export type SentParams = Omit<MessageCreateParams, 'messages'>;

/** The numbers a row keeps, in this order. */
const CREDITS = 0;
const DURATION = 1;
const COLUMNS = 2;

/** True when two turns sent the same params besides their messages (compared field by field, by reference). */
export function sameParams(a: SentParams, b: SentParams): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}

/** @internal The rows of one run's steps: a step keeps its table and its row. */
export class StepTable {
  /** The run's transcript (it only grows past what a turn sent). */
  readonly transcript: readonly MessageParam[];
  #numbers = new Float64Array(16 * COLUMNS);
  #rows = 0;
  /** Each run of rows that sent the same params: its params, and the row it starts at (ascending). */
  readonly #params: SentParams[] = [];
  readonly #paramsFrom: number[] = [];

  constructor(transcript: readonly MessageParam[]) {
    this.transcript = transcript;
  }

  /** Adds a step's row (its duration 0 until set); returns the row. */
  add(params: SentParams, credits: number): number {
    const row = this.#rows;
    if (row * COLUMNS === this.#numbers.length) {
      const numbers = new Float64Array(this.#numbers.length * 2);
      numbers.set(this.#numbers);
      this.#numbers = numbers;
    }
    this.#rows += 1;
    this.#numbers[row * COLUMNS + CREDITS] = credits;
    const last = this.#params.at(-1);
    if (last === undefined || !sameParams(last, params)) {
      this.#params.push(params);
      this.#paramsFrom.push(row);
    }
    return row;
  }

  /** The params row `row` sent besides its messages (shared with the rows that sent the same). */
  params(row: number): SentParams {
    const from = this.#paramsFrom;
    let low = 0;
    let high = from.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((from[middle] as number) <= row) low = middle;
      else high = middle - 1;
    }
    return this.#params[low] as SentParams;
  }

  /** The credits of row `row`. */
  credits(row: number): number {
    return this.#numbers[row * COLUMNS + CREDITS] as number;
  }

  setCredits(row: number, credits: number): void {
    this.#numbers[row * COLUMNS + CREDITS] = credits;
  }

  /** The duration of row `row`, in milliseconds. */
  durationMs(row: number): number {
    return this.#numbers[row * COLUMNS + DURATION] as number;
  }

  setDurationMs(row: number, durationMs: number): void {
    this.#numbers[row * COLUMNS + DURATION] = durationMs;
  }
}
