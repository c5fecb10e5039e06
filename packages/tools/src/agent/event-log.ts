/**
 * `EventLog`: every event of a run, kept so that an iterator that starts late still gets them all, in order —
 * kept compactly. A run's events mostly repeat what its steps and transcript already hold (the step, the
 * call, the result, the reply's usage), so the log keeps a kind byte and references to those objects, not an
 * event object per event (~400 bytes a tool turn, the largest part of a long run's memory beyond its
 * transcript). What the kind byte can say is not kept at all: a `turn_start` of the turn after the last one,
 * an event of the last `turn_start`'s turn, a `tool_result` of the call of the last `tool_call`, its outcome.
 * Each reader makes the events again as it reads them, equal to the ones emitted, field for field and in the
 * same key order, sharing the same step, call, result and usage objects. A usage event's totals are not kept:
 * they follow from the previous ones and the reply's usage (checked as each event is logged; an event they
 * would not give back is kept whole), and a reader adds them up again as it reads — so a usage object changed
 * in place after its event was emitted (events share it with the step) changes the totals a late reader gets.
 * @module
 */
import type { ToolResultBlock, Usage } from '@loopguard/messages';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { doubled } from '../turn/doubled.js';
import { TurnStep } from '../turn/turn-step.js';
import { addUsage } from './add-usage.js';
import type { AgentEvent } from './agent-types.js';

/** How an event is kept (the kind byte's low 3 bits): the event object itself. */
const WHOLE = 0;
const TURN_START = 1;
const TURN_END = 2;
const TOOL_CALL = 3;
const TOOL_RESULT = 4;
const USAGE = 5;
const TEXT = 6;
const THINKING = 7;
const BASE = 0x07;
/** Set on a kind: the event's turn is that of the last `turn_start` (on a `turn_start`: the one after it). */
const SAME_TURN = 0x80;
/** Set on a `tool_result`: its call is that of the last `tool_call`, and is not kept. */
const LAST_CALL = 0x40;
/** The bits of a `tool_result`'s outcome: its index in `OUTCOMES`, or 0 when the outcome is kept. */
const OUTCOME = 0x38;
const OUTCOME_SHIFT = 3;
/** The outcomes the kind byte can say (index 0 stands for "kept"). */
const OUTCOMES: ReadonlyArray<ToolCallOutcome | undefined> = [
  undefined,
  'ok',
  'error',
  'invalid_input',
  'unknown_tool',
  'refused',
  'timeout',
  'aborted',
];

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

type ToolResultEvent<Output> = Extract<AgentEvent<Output>, { type: 'tool_result' }>;

/** Where a reader is in the log, and what it has read that later events follow from. */
interface Cursor {
  index: number;
  ref: number;
  number: number;
  turn: number;
  call: ToolCall | undefined;
  totals: Totals | undefined;
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
  /** The call of the last `tool_call`. */
  #call: ToolCall | undefined;
  /** The totals of the last `usage` event (a compact one must follow from them). */
  #totals: Totals | undefined;

  /** Events logged so far. */
  get length(): number {
    return this.#length;
  }

  /** Logs `event` (after every event before it). */
  push(event: AgentEvent<Output>): void {
    const kind = this.#keep(event);
    if (this.#length === this.#kinds.length) this.#kinds = doubled(this.#kinds);
    this.#kinds[this.#length] = kind;
    this.#length += 1;
  }

  /** Keeps what `event` needs; returns its kind. */
  #keep(event: AgentEvent<Output>): number {
    const refs = this.#refs;
    if (event.type === 'turn_start') {
      const next = this.#turn !== undefined && event.turn === this.#turn + 1;
      this.#turn = event.turn;
      if (next) return TURN_START | SAME_TURN;
      refs.push(event.turn);
      return TURN_START;
    }
    if (event.type === 'turn_end' && event.step instanceof TurnStep) {
      // The turn is kept (by the kind byte when it is the open one's), not read off the step: user code may
      // assign `step.turn` later, and the event must still say what was emitted.
      const kind = this.#turnKind(TURN_END, event.turn);
      refs.push(event.step);
      return kind;
    }
    if (event.type === 'usage') return this.#keepUsage(event);
    if (event.type === 'tool_call') {
      const kind = this.#turnKind(TOOL_CALL, event.turn);
      this.#call = event.call;
      refs.push(event.call);
      return kind;
    }
    if (event.type === 'tool_result') return this.#keepToolResult(event);
    if (event.type === 'text' || event.type === 'thinking') {
      const kind = this.#turnKind(event.type === 'text' ? TEXT : THINKING, event.turn);
      refs.push(event.delta);
      return kind;
    }
    refs.push(event);
    return WHOLE;
  }

  /** `kind`, marked when `turn` is that of the last `turn_start` (else `turn` is kept). */
  #turnKind(kind: number, turn: number): number {
    if (turn === this.#turn) return kind | SAME_TURN;
    this.#refs.push(turn);
    return kind;
  }

  /** A `tool_result`: its call unless that of the last `tool_call`, its result, its outcome unless known. */
  #keepToolResult(event: ToolResultEvent<Output>): number {
    let kind = this.#turnKind(TOOL_RESULT, event.turn);
    if (event.call === this.#call) kind |= LAST_CALL;
    else this.#refs.push(event.call);
    this.#refs.push(event.result);
    const code = OUTCOMES.indexOf(event.outcome);
    if (code > 0) kind |= code << OUTCOME_SHIFT;
    else this.#refs.push(event.outcome);
    this.#number(event.durationMs);
    return kind;
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
    const kind = this.#turnKind(USAGE, event.turn);
    this.#refs.push(event.usage);
    this.#number(event.credits);
    return kind;
  }

  #number(value: number): void {
    if (this.#numberCount === this.#numbers.length) this.#numbers = doubled(this.#numbers);
    this.#numbers[this.#numberCount] = value;
    this.#numberCount += 1;
  }

  /**
   * A reader of the log from its first event: each call returns the next event, or `undefined` when it has
   * read every event logged so far (call it again once more are logged).
   */
  reader(): () => AgentEvent<Output> | undefined {
    const at: Cursor = { index: 0, ref: 0, number: 0, turn: 0, call: undefined, totals: undefined };
    return () => (at.index < this.#length ? this.#read(at) : undefined);
  }

  /** The event at the cursor (which moves past it). */
  #read(at: Cursor): AgentEvent<Output> {
    const refs = this.#refs;
    const kind = this.#kinds[at.index] as number;
    at.index += 1;
    const base = kind & BASE;
    if (base === WHOLE) {
      const event = refs[at.ref++] as AgentEvent<Output>;
      if (event.type === 'usage') at.totals = { usage: { ...event.totalUsage }, credits: event.totalCredits };
      return event;
    }
    if (base === TURN_START) {
      at.turn = kind & SAME_TURN ? at.turn + 1 : (refs[at.ref++] as number);
      return { type: 'turn_start', turn: at.turn };
    }
    const turn = kind & SAME_TURN ? at.turn : (refs[at.ref++] as number);
    if (base === TURN_END) return { type: 'turn_end', turn, step: refs[at.ref++] as TurnStep };
    if (base === TOOL_CALL) {
      at.call = refs[at.ref++] as ToolCall;
      return { type: 'tool_call', turn, call: at.call };
    }
    if (base === TOOL_RESULT) return this.#readToolResult(at, kind, turn);
    if (base === USAGE) {
      const usage = refs[at.ref++] as Usage;
      const credits = this.#numbers[at.number++] as number;
      at.totals = nextTotals(at.totals as Totals, usage, credits);
      const { usage: total, credits: totalCredits } = at.totals;
      return { type: 'usage', turn, usage, credits, totalUsage: { ...total }, totalCredits };
    }
    const delta = refs[at.ref++] as string;
    return base === TEXT ? { type: 'text', turn, delta } : { type: 'thinking', turn, delta };
  }

  #readToolResult(at: Cursor, kind: number, turn: number): ToolResultEvent<Output> {
    const refs = this.#refs;
    const call = kind & LAST_CALL ? (at.call as ToolCall) : (refs[at.ref++] as ToolCall);
    const result = refs[at.ref++] as ToolResultBlock;
    const code = (kind & OUTCOME) >> OUTCOME_SHIFT;
    const outcome = code > 0 ? (OUTCOMES[code] as ToolCallOutcome) : (refs[at.ref++] as ToolCallOutcome);
    const durationMs = this.#numbers[at.number++] as number;
    return { type: 'tool_result', turn, call, result, outcome, durationMs };
  }
}
