/**
 * `TurnStep`: the `AgentStep` a run keeps per turn, kept compactly. `request` is built on each read from the
 * run's transcript (which only grows past what the turn sent) and the params the turn sent besides its
 * messages, which consecutive turns share: holding a copy per step made a run's memory quadratic in its
 * turns. `toolCalls` and `toolOutcomes` are kept as the one call and outcome most turns have (an array only
 * for two or more) and built into an array on each read: two arrays per step were a third of what a step held.
 * `turn`, `credits` and `durationMs`, and how many messages the turn sent, are read from and written to the
 * run's `StepTable` (turns and counts that follow on cost nothing; no boxed number per step). These five are
 * own enumerable accessors, defined in a step's key order, so `Object.keys`, spread and `structuredClone` see
 * the same keys, in the same order, as when they were plain fields. A class, with its accessors shared by
 * every step, so every step has one shape and no closure of its own (an object literal with a getter fell
 * into dictionary mode: ~450 bytes a step).
 * @module
 */
import type { Message, MessageCreateParams, ToolResultBlock, Usage } from '@loopguard/messages';
import type { AgentStep } from '../agent/agent-types.js';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import type { SentParams, StepTable } from './step-table.js';

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
  #calls: Kept<ToolCall>;
  #outcomes: Kept<ToolCallOutcome>;
  readonly #table: StepTable;
  readonly #row: number;

  /** The accessors every step has as own properties (one pair of functions each, shared by all steps). */
  static readonly #accessors = {
    turn: {
      get(this: TurnStep): number {
        return this.#table.turn(this.#row);
      },
      set(this: TurnStep, turn: number) {
        this.#table.setTurn(this.#row, turn);
      },
      enumerable: true,
      configurable: true,
    },
    toolCalls: {
      get(this: TurnStep): ToolCall[] {
        return unkeep(this.#calls);
      },
      set(this: TurnStep, calls: ToolCall[]) {
        this.#calls = keep(calls);
      },
      enumerable: true,
      configurable: true,
    },
    toolOutcomes: {
      get(this: TurnStep): ToolCallOutcome[] {
        return unkeep(this.#outcomes);
      },
      set(this: TurnStep, outcomes: ToolCallOutcome[]) {
        this.#outcomes = keep(outcomes);
      },
      enumerable: true,
      configurable: true,
    },
    credits: {
      get(this: TurnStep): number {
        return this.#table.credits(this.#row);
      },
      set(this: TurnStep, credits: number) {
        this.#table.setCredits(this.#row, credits);
      },
      enumerable: true,
      configurable: true,
    },
    durationMs: {
      get(this: TurnStep): number {
        return this.#table.durationMs(this.#row);
      },
      set(this: TurnStep, durationMs: number) {
        this.#table.setDurationMs(this.#row, durationMs);
      },
      enumerable: true,
      configurable: true,
    },
  } satisfies Record<string, PropertyDescriptor>;

  /** A step of `sent.table` (a new row) that sent `sent.params` and the transcript's first `sent.count` messages. */
  constructor(
    turn: number,
    sent: { params: SentParams; table: StepTable; count: number },
    message: Message,
    credits: number,
  ) {
    this.#table = sent.table;
    this.#row = sent.table.add({ turn, params: sent.params, count: sent.count, credits });
    // In the order a step's keys have always had.
    Object.defineProperty(this, 'turn', TurnStep.#accessors.turn);
    this.response = message;
    Object.defineProperty(this, 'toolCalls', TurnStep.#accessors.toolCalls);
    this.toolResults = [];
    Object.defineProperty(this, 'toolOutcomes', TurnStep.#accessors.toolOutcomes);
    this.usage = message.usage;
    Object.defineProperty(this, 'credits', TurnStep.#accessors.credits);
    Object.defineProperty(this, 'durationMs', TurnStep.#accessors.durationMs);
  }

  /** @internal Puts the turn's calls, their results (the transcript's array) and outcomes on the step. */
  setTools(calls: readonly ToolCall[], results: ToolResultBlock[], outcomes: readonly ToolCallOutcome[]): void {
    this.#calls = keep(calls);
    this.toolResults = results;
    this.#outcomes = keep(outcomes);
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
