/**
 * `EventLog`: every event of a run, kept so that an iterator that starts late still gets them all, in order —
 * kept compactly. A run's events mostly repeat what its steps and transcript already hold (the step, the
 * call, the result, the reply's usage), so the log keeps a kind byte and references to those objects, not an
 * event object per event (~400 bytes a tool turn, the largest part of a long run's memory beyond its
 * transcript). Each reader makes the events again as it reads them, equal to the ones emitted, field for field
 * and in the same key order, sharing the same step, call, result and usage objects. A usage event's totals are
 * not kept: they follow from the previous ones and the reply's usage (checked as each event is logged; an
 * event they would not give back is kept whole), and a reader adds them up again as it reads.
 * @module
 */
import type { ToolResultBlock, Usage } from '@loopguard/messages';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { TurnStep } from '../turn/turn-step.js';
import { addUsage } from './add-usage.js';
import type { AgentEvent } from './agent-types.js';

/** How an event is kept: the event object itself. */
const WHOLE = 0;
const TURN_START = 1;
const TURN_END = 2;
const TOOL_CALL = 3;
const TOOL_RESULT = 4;
const USAGE = 5;
const TEXT = 6;
const THINKING = 7;
/** Set on a kind: the event's turn is that of the last `turn_start`, and is not kept. */
const SAME_TURN = 0x80;

/** Running totals of usage and credits, as the `usage` events report them. */
interface Totals {
  usage: Usage;
  credits: number;
}

/** True when `a` and `b` have the same keys, in the same order, with the same values. */
function sameUsage(a: Usage, b: Usage): boolean {
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as keyof Usage;
    if (key !== other[index] || a[key] !== b[key]) return false;
  }
  return true;
}

/** The totals after a reply's `usage` and `credits`, as `RunState.count` makes them (a new object). */
function nextTotals(totals: Totals, usage: Usage, credits: number): Totals {
  const next = { usage: { ...totals.usage }, credits: totals.credits + credits };
  addUsage(next.usage, usage);
  return next;
}

/** @internal A run's events, in order, kept compactly; `reader()` gives them back from the start. */
export class EventLog<Output> {
  #kinds = new Uint8Array(64);
  #length = 0;
  readonly #refs: unknown[] = [];
  #numbers = new Float64Array(16);
  #numberCount = 0;
  /** The turn of the last `turn_start`. */
  #turn: number | undefined;
  /** The totals of the last `usage` event (a compact one must follow from them). */
  #totals: Totals | undefined;

  /** Events logged so far. */
  get length(): number {
    return this.#length;
  }

  /** Logs `event` (after every event before it). */
  push(event: AgentEvent<Output>): void {
    const kind = this.#keep(event);
    if (this.#length === this.#kinds.length) {
      const kinds = new Uint8Array(this.#kinds.length * 2);
      kinds.set(this.#kinds);
      this.#kinds = kinds;
    }
    this.#kinds[this.#length] = kind;
    this.#length += 1;
  }

  /** Keeps what `event` needs; returns its kind. */
  #keep(event: AgentEvent<Output>): number {
    const refs = this.#refs;
    if (event.type === 'turn_start') {
      this.#turn = event.turn;
      refs.push(event.turn);
      return TURN_START;
    }
    if (event.type === 'turn_end' && event.step instanceof TurnStep && event.step.turn === event.turn) {
      refs.push(event.step);
      return TURN_END;
    }
    if (event.type === 'usage') return this.#keepUsage(event);
    const turnKind = (kind: number, turn: number): number => {
      if (turn === this.#turn) return kind | SAME_TURN;
      refs.push(turn);
      return kind;
    };
    if (event.type === 'tool_call') {
      const kind = turnKind(TOOL_CALL, event.turn);
      refs.push(event.call);
      return kind;
    }
    if (event.type === 'tool_result') {
      const kind = turnKind(TOOL_RESULT, event.turn);
      refs.push(event.call, event.result, event.outcome);
      this.#number(event.durationMs);
      return kind;
    }
    if (event.type === 'text' || event.type === 'thinking') {
      const kind = turnKind(event.type === 'text' ? TEXT : THINKING, event.turn);
      refs.push(event.delta);
      return kind;
    }
    refs.push(event);
    return WHOLE;
  }

  /** A usage event whose totals follow from the last ones is kept without them; any other, whole. */
  #keepUsage(event: Extract<AgentEvent<Output>, { type: 'usage' }>): number {
    const totals = this.#totals;
    const next = totals && nextTotals(totals, event.usage, event.credits);
    if (!next || next.credits !== event.totalCredits || !sameUsage(next.usage, event.totalUsage)) {
      this.#totals = { usage: { ...event.totalUsage }, credits: event.totalCredits };
      this.#refs.push(event);
      return WHOLE;
    }
    this.#totals = next;
    const kind = event.turn === this.#turn ? USAGE | SAME_TURN : USAGE;
    if (kind === USAGE) this.#refs.push(event.turn);
    this.#refs.push(event.usage);
    this.#number(event.credits);
    return kind;
  }

  #number(value: number): void {
    if (this.#numberCount === this.#numbers.length) {
      const numbers = new Float64Array(this.#numbers.length * 2);
      numbers.set(this.#numbers);
      this.#numbers = numbers;
    }
    this.#numbers[this.#numberCount] = value;
    this.#numberCount += 1;
  }

  /**
   * A reader of the log from its first event: each call returns the next event, or `undefined` when it has
   * read every event logged so far (call it again once more are logged).
   */
  reader(): () => AgentEvent<Output> | undefined {
    let index = 0;
    let ref = 0;
    let number = 0;
    let turn = 0;
    let totals: Totals | undefined;
    const refs = this.#refs;
    return () => {
      if (index >= this.#length) return undefined;
      const kind = this.#kinds[index] as number;
      index += 1;
      const base = kind & ~SAME_TURN;
      if (base === WHOLE) {
        const event = refs[ref++] as AgentEvent<Output>;
        if (event.type === 'usage') totals = { usage: { ...event.totalUsage }, credits: event.totalCredits };
        return event;
      }
      if (base === TURN_START) {
        turn = refs[ref++] as number;
        return { type: 'turn_start', turn };
      }
      if (base === TURN_END) {
        const step = refs[ref++] as TurnStep;
        return { type: 'turn_end', turn: step.turn, step };
      }
      const eventTurn = kind & SAME_TURN ? turn : (refs[ref++] as number);
      if (base === TOOL_CALL) return { type: 'tool_call', turn: eventTurn, call: refs[ref++] as ToolCall };
      if (base === TOOL_RESULT) {
        const call = refs[ref++] as ToolCall;
        const result = refs[ref++] as ToolResultBlock;
        const outcome = refs[ref++] as ToolCallOutcome;
        const durationMs = this.#numbers[number++] as number;
        return { type: 'tool_result', turn: eventTurn, call, result, outcome, durationMs };
      }
      if (base === USAGE) {
        const usage = refs[ref++] as Usage;
        const credits = this.#numbers[number++] as number;
        totals = nextTotals(totals as Totals, usage, credits);
        const { usage: total, credits: totalCredits } = totals;
        return { type: 'usage', turn: eventTurn, usage, credits, totalUsage: { ...total }, totalCredits };
      }
      const delta = refs[ref++] as string;
      return base === TEXT ? { type: 'text', turn: eventTurn, delta } : { type: 'thinking', turn: eventTurn, delta };
    };
  }
}
