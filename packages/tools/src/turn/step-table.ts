/**
 * `StepTable`: what the steps of one run keep in common, in one place — the transcript their requests are
 * read from — and what each step would otherwise keep in fields of its own, in columns: its turn, how many
 * messages it sent and the params it sent besides them (each mostly following on from the step before, so
 * kept as runs: `ValueRuns`), its credits and duration as numbers in one Float64Array grown by doubling (a
 * number in a field of its own is a boxed double: 16 bytes, and 8 more for the field), and, for the few steps
 * that differ from what the rest of them gives, their `StepExtras`.
 * @module
 */
import type { MessageCreateParams, MessageParam, Usage } from '@loopguard/messages';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { doubled } from './doubled.js';
import { type RunRule, strideRule, ValueRuns } from './value-runs.js';

/** A turn's params without its messages. */
export type SentParams = Omit<MessageCreateParams, 'messages'>;

/** What a step puts in its row. */
export interface StepRow {
  turn: number;
  /** The params it sent besides its messages. */
  params: SentParams;
  /** How many of the transcript's messages it sent. */
  count: number;
  credits: number;
}

/**
 * What a row keeps only once its step differs from what the rest of it gives (a field assigned after the step
 * was made, or a call whose outcome is not `ok`): few rows have any.
 */
export interface StepExtras {
  /** The turn assigned to the step. */
  turn?: number;
  /** The step's usage, once it is not its response's (assigned, or the response replaced). */
  usage?: Usage;
  /** The outcomes, when they are not one `ok` per call. */
  outcomes?: ToolCallOutcome[] | undefined;
}

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

/** Consecutive turns that sent the same params share the first one's object. */
const SAME_PARAMS: RunRule<SentParams> = {
  follows: (first, _, params) => sameParams(first, params),
  at: (first) => first,
};

/** @internal The rows of one run's steps: a step keeps its table and its row. */
export class StepTable {
  /** The run's transcript (it only grows past what a turn sent). */
  readonly transcript: readonly MessageParam[];
  readonly #turns = new ValueRuns(strideRule(1));
  readonly #counts = new ValueRuns(strideRule(2));
  readonly #params = new ValueRuns(SAME_PARAMS);
  #numbers = new Float64Array(16 * COLUMNS);
  /** The extras of the rows that have any. */
  #extras: Map<number, StepExtras> | undefined;

  constructor(transcript: readonly MessageParam[]) {
    this.transcript = transcript;
  }

  /** Adds a step's row (its duration 0 until set); returns the row. */
  add(step: StepRow): number {
    const row = this.#turns.length;
    if (row * COLUMNS === this.#numbers.length) this.#numbers = doubled(this.#numbers);
    this.#turns.push(step.turn);
    this.#counts.push(step.count);
    this.#params.push(step.params);
    this.#numbers[row * COLUMNS + CREDITS] = step.credits;
    return row;
  }

  /** The turn of row `row`. */
  turn(row: number): number {
    const extras = this.extras(row);
    return extras && Object.hasOwn(extras, 'turn') ? (extras.turn as number) : this.#turns.at(row);
  }

  /** The extras of row `row`, if it has any. */
  extras(row: number): StepExtras | undefined {
    return this.#extras?.get(row);
  }

  /** The extras of row `row`, made (empty) when it has none. */
  extrasOf(row: number): StepExtras {
    this.#extras ??= new Map();
    let extras = this.#extras.get(row);
    if (extras === undefined) {
      extras = {};
      this.#extras.set(row, extras);
    }
    return extras;
  }

  /** How many of the transcript's messages row `row` sent. */
  count(row: number): number {
    return this.#counts.at(row);
  }

  /** The params row `row` sent besides its messages (shared with the rows before it that sent the same). */
  params(row: number): SentParams {
    return this.#params.at(row);
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
