/**
 * `EventLog`: every event of a run, kept so that an iterator that starts late still gets them all, in order —
 * kept compactly. A run's events mostly repeat what its steps and transcript already hold (the step, the
 * call, the result, the reply's usage), so the log keeps a kind byte and references to those objects, not an
 * event object per event (~400 bytes a tool turn, the largest part of a long run's memory beyond its
 * transcript). What the kind byte can say is not kept at all: a `turn_start` of the turn after the last one,
 * an event of the last `turn_start`'s turn, a `tool_result` of the call of the last `tool_call`, its outcome.
 * When a turn ends, its events are folded into its step if the step carries what they did (the usage and
 * credits of its `usage` event, its calls and results in the order of its `tool_call` and `tool_result`
 * events): the turn keeps one reference to the step instead of one per event (`TurnStep.emitted` gives what
 * the events carried even after a field of the step was assigned). Each reader makes the events again as it
 * reads them (event-reader.ts), equal to the ones emitted, field for field and in the same key order, sharing
 * the same step, call, result and usage objects. A usage event's totals are not kept: they follow from the
 * previous ones and the reply's usage (checked as each event is logged; an event they would not give back is
 * kept whole), and a reader adds them up again as it reads.
 * @module
 */
import type { ToolCall } from '../tools/define-tool.js';
import { TurnStep } from '../turn/turn-step.js';
import type { AgentEvent } from './agent-types.js';
import {
  BASE,
  cursorAt,
  FOLDED,
  LAST_CALL,
  nextTotals,
  OUTCOME_SHIFT,
  OUTCOMES,
  type Position,
  SAME_TURN,
  sameUsage,
  TEXT,
  THINKING,
  TOOL_CALL,
  TOOL_RESULT,
  type Totals,
  TURN_END,
  TURN_START,
  USAGE,
  WHOLE,
} from './event-codes.js';
import { readEvent } from './event-reader.js';
import { EventStore } from './event-store.js';

type Event<Output> = AgentEvent<Output>;
type ToolResultEvent<Output> = Extract<Event<Output>, { type: 'tool_result' }>;
type UsageEvent<Output> = Extract<Event<Output>, { type: 'usage' }>;

/** Where the log was before the `turn_start` of the turn still open, and the totals then. */
interface OpenTurn extends Position {
  totals: Totals | undefined;
}

/** @internal A run's events, in order, kept compactly; `reader()` gives them back from the start. */
export class EventLog<Output> {
  readonly #store = new EventStore();
  /** The turn of the last `turn_start`. */
  #turn: number | undefined;
  /** The call of the last `tool_call`. */
  #call: ToolCall | undefined;
  /** The totals of the last `usage` event (a compact one must follow from them). */
  #totals: Totals | undefined;
  #open: OpenTurn | undefined;
  /** The step the events being kept are folded into (while a turn is folded). */
  #folding: TurnStep | undefined;

  /** Events logged so far. */
  get length(): number {
    return this.#store.length;
  }

  /** @internal References kept so far (a folded turn keeps one, and its deltas). */
  get references(): number {
    return this.#store.refs.length;
  }

  /** Logs `event` (after every event before it). */
  push(event: Event<Output>): void {
    const store = this.#store;
    if (event.type === 'turn_start') this.#openTurn();
    if (event.type === 'turn_end') {
      const folded = event.step instanceof TurnStep && this.#fold(event.step, event.turn);
      this.#open = undefined;
      store.openStart = -1;
      if (folded) {
        store.pushKind(TURN_END | FOLDED);
        return;
      }
    }
    store.pushKind(this.#keep(event));
  }

  /** Notes where the log is before the `turn_start` of a turn, which stays open until its `turn_end`. */
  #openTurn(): void {
    const store = this.#store;
    const turn = this.#turn as number;
    const position = { index: store.length, ref: store.refs.length, number: store.numberCount, turn };
    this.#open = { ...position, call: this.#call, totals: this.#totals };
    store.openStart = store.length;
  }

  /**
   * Folds the open turn into `step` when it carried what the turn's events did: the turn's events are kept
   * again, their usage, calls and results as the step's. Returns whether it did.
   */
  #fold(step: TurnStep, turn: number): boolean {
    const open = this.#open;
    if (open === undefined || step.turn !== turn) return false;
    const store = this.#store;
    const at = cursorAt(open, open.totals);
    const events: Event<Output>[] = [];
    while (at.index < store.length) events.push(readEvent(store, at) as Event<Output>);
    if (events[0]?.type !== 'turn_start' || events[0].turn !== turn || !this.#carries(step, events)) return false;
    store.cutTo(open);
    this.#turn = open.turn;
    this.#call = open.call;
    this.#totals = open.totals;
    this.#folding = step;
    for (const event of events) store.pushKind(this.#keep(event));
    this.#folding = undefined;
    return true;
  }

  /** True when `step` carried the turn's usage, calls and results, in the order of the turn's events. */
  #carries(step: TurnStep, events: Event<Output>[]): boolean {
    const { calls, results, usage, credits } = step.emitted();
    const turn = step.turn;
    let call = 0;
    let result = 0;
    const store = this.#store;
    const open = this.#open as OpenTurn;
    return events.every((event, offset) => {
      const base = (store.kinds[open.index + offset] as number) & BASE;
      if (event.type === 'tool_call') return event.turn === turn && event.call === calls[call++];
      if (event.type === 'tool_result')
        return event.turn === turn && event.call === calls[result] && event.result === results[result++];
      if (event.type === 'usage' && base === USAGE)
        return event.turn === turn && event.usage === usage && event.credits === credits;
      return true;
    });
  }

  /** Keeps what `event` needs; returns its kind. */
  #keep(event: Event<Output>): number {
    const refs = this.#store.refs;
    if (event.type === 'turn_start') {
      const next = this.#turn !== undefined && event.turn === this.#turn + 1;
      this.#turn = event.turn;
      const kind = next ? TURN_START | SAME_TURN : TURN_START;
      if (!next) refs.push(event.turn);
      if (this.#folding === undefined) return kind;
      refs.push(this.#folding);
      return kind | FOLDED;
    }
    if (event.type === 'turn_end' && event.step instanceof TurnStep && event.step.turn === event.turn) {
      refs.push(event.step);
      return TURN_END;
    }
    if (event.type === 'usage') return this.#keepUsage(event);
    if (event.type === 'tool_call') {
      const kind = this.#turnKind(TOOL_CALL, event.turn);
      this.#call = event.call;
      if (this.#folding === undefined) refs.push(event.call);
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
    this.#store.refs.push(turn);
    return kind;
  }

  /** A `tool_result`: its call unless that of the last `tool_call`, its result, its outcome unless known. */
  #keepToolResult(event: ToolResultEvent<Output>): number {
    const refs = this.#store.refs;
    let kind = this.#turnKind(TOOL_RESULT, event.turn);
    if (this.#folding === undefined) {
      if (event.call === this.#call) kind |= LAST_CALL;
      else refs.push(event.call);
      refs.push(event.result);
    }
    const code = OUTCOMES.indexOf(event.outcome);
    if (code > 0) kind |= code << OUTCOME_SHIFT;
    else refs.push(event.outcome);
    this.#store.pushNumber(event.durationMs);
    return kind;
  }

  /** A usage event whose totals follow from the last ones is kept without them; any other, whole. */
  #keepUsage(event: UsageEvent<Output>): number {
    const totals = this.#totals;
    const next = totals && nextTotals(totals, event.usage, event.credits);
    if (!next || next.credits !== event.totalCredits || !sameUsage(next.usage, event.totalUsage)) {
      this.#totals = { usage: { ...event.totalUsage }, credits: event.totalCredits };
      this.#store.refs.push(event);
      return WHOLE;
    }
    this.#totals = next;
    const kind = this.#turnKind(USAGE, event.turn);
    if (this.#folding !== undefined) return kind;
    this.#store.refs.push(event.usage);
    this.#store.pushNumber(event.credits);
    return kind;
  }

  /**
   * A reader of the log from its first event: each call returns the next event, or `undefined` when it has
   * read every event logged so far (call it again once more are logged).
   */
  reader(): () => Event<Output> | undefined {
    const store = this.#store;
    const at = cursorAt({ index: 0, ref: 0, number: 0, turn: 0, call: undefined }, undefined);
    return () => (at.index < store.length ? (readEvent(store, at) as Event<Output>) : undefined);
  }
}
