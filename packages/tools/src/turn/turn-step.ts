/**
 * `TurnStep`: the `AgentStep` a run keeps per turn, kept compactly: a step holds its response, its calls,
 * its results and its row in the run's `StepTable`, which holds the rest. `request` is built on each read from
 * the run's transcript (which only grows past what the turn sent) and the params the turn sent besides its
 * messages, which consecutive turns share: holding a copy per step made a run's memory quadratic in its
 * turns. `toolCalls` is kept as the one call most turns make (an array only for two or more) and built into
 * an array on each read, `toolOutcomes` likewise from the calls when every outcome is `ok` (else from the
 * row's extras); `usage` is the response's until assigned or the response replaced; `turn`, `credits` and
 * `durationMs` are read from and written to the table (turns that follow on cost nothing; no boxed number
 * per step). All but `toolResults` are own enumerable accessors, defined in a step's key order, so
 * `Object.keys`, spread and `structuredClone` see the same keys, in the same order, as when they were plain
 * fields. A class, with its accessors shared by every step, so every step has one shape and no closure of its
 * own (an object literal with a getter fell into dictionary mode: ~450 bytes a step).
 * @module
 */
import type { Message, MessageCreateParams, ToolResultBlock, Usage } from '@loopguard/messages';
import type { AgentStep } from '../agent/agent-types.js';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import type { SentParams, StepExtras, StepTable } from './step-table.js';

/** A list as a step keeps it: nothing when empty, the item alone when it is the only one, else a copy. */
type Kept<T> = T | T[] | undefined;

/** `items` as a step keeps them. */
function keep<T>(items: readonly T[]): Kept<T> {
  if (items.length === 0) return undefined;
  return items.length === 1 ? items[0] : items.slice();
}

/** A new array of what a step keeps. */
function unkeep<T>(kept: Kept<T>): T[] {
  if (kept === undefined) return [];
  return Array.isArray(kept) ? kept.slice() : [kept];
}

/** How many items a step keeps. */
function countOf<T>(kept: Kept<T>): number {
  if (kept === undefined) return 0;
  return Array.isArray(kept) ? kept.length : 1;
}

/** True when `outcomes` are one `ok` for each of `calls` (what a step keeps no outcomes for). */
function allOk(outcomes: readonly ToolCallOutcome[], calls: number): boolean {
  return outcomes.length === calls && outcomes.every((outcome) => outcome === 'ok');
}

/** An own enumerable property read and written through `get` and `set` (made once: every step shares it). */
function accessor<T>(get: (step: TurnStep) => T, set: (step: TurnStep, value: T) => void): PropertyDescriptor {
  return {
    get(this: TurnStep): T {
      return get(this);
    },
    set(this: TurnStep, value: T) {
      set(this, value);
    },
    enumerable: true,
    configurable: true,
  };
}

/** @internal One turn of a run, as `result.steps` holds it. */
export class TurnStep implements AgentStep {
  declare turn: number;
  declare response: Message;
  /** Built on each read (a new array); assigning replaces the step's calls. */
  declare toolCalls: ToolCall[];
  declare toolResults: ToolResultBlock[];
  /** Built on each read (a new array); assigning replaces the step's outcomes. */
  declare toolOutcomes: ToolCallOutcome[];
  declare usage: Usage;
  declare credits: number;
  declare durationMs: number;
  #response: Message;
  #calls: Kept<ToolCall>;
  readonly #table: StepTable;
  readonly #row: number;

  /**
   * The own properties of every step, in a step's key order: its accessors (shared by every step), and
   * `undefined` for `toolResults`, a field.
   */
  static readonly #properties: Array<[keyof AgentStep, PropertyDescriptor | undefined]> = [
    [
      'turn',
      accessor(
        (step) => step.#table.turn(step.#row),
        (step, turn) => {
          TurnStep.#extras(step).turn = turn;
        },
      ),
    ],
    [
      'response',
      accessor(
        (step) => step.#response,
        (step, response) => TurnStep.#setResponse(step, response),
      ),
    ],
    [
      'toolCalls',
      accessor(
        (step) => unkeep(step.#calls),
        (step, calls) => TurnStep.#setCalls(step, calls),
      ),
    ],
    ['toolResults', undefined],
    [
      'toolOutcomes',
      accessor(
        (step) => TurnStep.#outcomes(step),
        (step, outcomes) => TurnStep.#setOutcomes(step, outcomes),
      ),
    ],
    [
      'usage',
      accessor(
        (step) => TurnStep.#usage(step),
        (step, usage) => {
          TurnStep.#extras(step).usage = usage;
        },
      ),
    ],
    [
      'credits',
      accessor(
        (step) => step.#table.credits(step.#row),
        (step, v) => step.#table.setCredits(step.#row, v),
      ),
    ],
    [
      'durationMs',
      accessor(
        (step) => step.#table.durationMs(step.#row),
        (step, v) => step.#table.setDurationMs(step.#row, v),
      ),
    ],
  ];

  /** A step of `sent.table` (a new row) that sent `sent.params` and the transcript's first `sent.count` messages. */
  constructor(
    turn: number,
    sent: { params: SentParams; table: StepTable; count: number },
    message: Message,
    credits: number,
  ) {
    this.#response = message;
    this.#table = sent.table;
    this.#row = sent.table.add({ turn, params: sent.params, count: sent.count, credits });
    for (const [key, descriptor] of TurnStep.#properties) {
      if (descriptor) Object.defineProperty(this, key, descriptor);
      else this.toolResults = [];
    }
  }

  /** The row's extras, made when it has none. */
  static #extras(step: TurnStep): StepExtras {
    return step.#table.extrasOf(step.#row);
  }

  static #usage(step: TurnStep): Usage {
    const extras = step.#table.extras(step.#row);
    return extras && Object.hasOwn(extras, 'usage') ? (extras.usage as Usage) : step.#response.usage;
  }

  /** A new response: the step's usage stays what it was (the old response's, unless assigned). */
  static #setResponse(step: TurnStep, response: Message): void {
    const extras = step.#table.extras(step.#row);
    if (!extras || !Object.hasOwn(extras, 'usage')) TurnStep.#extras(step).usage = step.#response.usage;
    step.#response = response;
  }

  static #outcomes(step: TurnStep): ToolCallOutcome[] {
    const kept = step.#table.extras(step.#row)?.outcomes;
    return kept ? kept.slice() : new Array<ToolCallOutcome>(countOf(step.#calls)).fill('ok');
  }

  static #setOutcomes(step: TurnStep, outcomes: readonly ToolCallOutcome[]): void {
    if (!allOk(outcomes, countOf(step.#calls))) TurnStep.#extras(step).outcomes = outcomes.slice();
    else {
      const extras = step.#table.extras(step.#row);
      if (extras) extras.outcomes = undefined;
    }
  }

  /** New calls: the outcomes stay what they were (kept, if they no longer follow from the calls). */
  static #setCalls(step: TurnStep, calls: readonly ToolCall[]): void {
    const outcomes = TurnStep.#outcomes(step);
    step.#calls = keep(calls);
    TurnStep.#setOutcomes(step, outcomes);
  }

  /** @internal Puts the turn's calls, their results (the transcript's array) and outcomes on the step. */
  setTools(calls: readonly ToolCall[], results: ToolResultBlock[], outcomes: readonly ToolCallOutcome[]): void {
    this.#calls = keep(calls);
    this.toolResults = results;
    TurnStep.#setOutcomes(this, outcomes);
  }

  /** The params this turn sent (the whole transcript so far, even when a server-side thread sent less). */
  get request(): MessageCreateParams {
    const table = this.#table;
    return { ...table.params(this.#row), messages: table.transcript.slice(0, table.count(this.#row)) };
  }

  /** A plain object with `request` as a value (what `JSON.stringify` sees). */
  toJSON(): AgentStep {
    const { turn, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs, request } = this;
    return { turn, request, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs };
  }
}
