/**
 * `readEvent`: makes the event at a reader's cursor again from what `EventLog` kept (see event-log.ts) and
 * moves the cursor past it — equal to the event emitted, field for field and in key order, sharing its step,
 * call, result and usage objects. A reader that was inside a turn when the log folded it finds its place
 * again first (`resync`): the turn's events are where they were, their references fewer.
 * @module
 */
import type { ToolResultBlock, Usage } from '@loopguard/messages';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import type { TurnStep } from '../turn/turn-step.js';
import type { AgentEvent } from './agent-types.js';
import {
  BASE,
  type Cursor,
  cursorAt,
  FOLDED,
  LAST_CALL,
  nextTotals,
  OUTCOME,
  OUTCOME_SHIFT,
  OUTCOMES,
  SAME_TURN,
  TEXT,
  TOOL_CALL,
  TOOL_RESULT,
  type Totals,
  TURN_END,
  TURN_START,
  USAGE,
  WHOLE,
} from './event-codes.js';
import type { EventStore } from './event-store.js';

type Event = AgentEvent<unknown>;

/** Totals for a cursor that only finds its place (the events it reads are dropped). */
const ANY_TOTALS: Totals = { usage: { input_tokens: 0, output_tokens: 0 }, credits: 0 };

/** A `turn_start`: its turn, and the step that follows it when its turn is folded. */
function readTurnStart(store: EventStore, at: Cursor, kind: number): Event {
  const start = at.index - 1;
  at.open =
    start === store.openStart
      ? { index: start, ref: at.ref, number: at.number, turn: at.turn, call: at.call }
      : undefined;
  at.turn = kind & SAME_TURN ? at.turn + 1 : (store.refs[at.ref++] as number);
  const step = kind & FOLDED ? (store.refs[at.ref++] as TurnStep) : undefined;
  const emitted = step?.emitted();
  at.step = step;
  at.calls = emitted ? emitted.calls : [];
  at.results = emitted ? emitted.results : [];
  at.usage = emitted?.usage;
  at.credits = emitted ? emitted.credits : 0;
  at.callsRead = 0;
  at.resultsRead = 0;
  return { type: 'turn_start', turn: at.turn };
}

function readTurnEnd(store: EventStore, at: Cursor, kind: number): Event {
  const step = kind & FOLDED ? (at.step as TurnStep) : (store.refs[at.ref++] as TurnStep);
  at.step = undefined;
  at.open = undefined;
  return { type: 'turn_end', turn: step.turn, step };
}

function readToolResult(store: EventStore, at: Cursor, kind: number, turn: number): Event {
  const { refs } = store;
  let call: ToolCall;
  let result: ToolResultBlock;
  if (at.step) {
    call = at.calls[at.resultsRead] as ToolCall;
    result = at.results[at.resultsRead++] as ToolResultBlock;
  } else {
    call = kind & LAST_CALL ? (at.call as ToolCall) : (refs[at.ref++] as ToolCall);
    result = refs[at.ref++] as ToolResultBlock;
  }
  const code = (kind & OUTCOME) >> OUTCOME_SHIFT;
  const outcome = code > 0 ? (OUTCOMES[code] as ToolCallOutcome) : (refs[at.ref++] as ToolCallOutcome);
  const durationMs = store.numbers[at.number++] as number;
  return { type: 'tool_result', turn, call, result, outcome, durationMs };
}

function readUsage(store: EventStore, at: Cursor, turn: number): Event {
  const folded = at.step !== undefined;
  const usage = folded ? (at.usage as Usage) : (store.refs[at.ref++] as Usage);
  const credits = folded ? at.credits : (store.numbers[at.number++] as number);
  at.totals = nextTotals(at.totals as Totals, usage, credits);
  const { usage: total, credits: totalCredits } = at.totals;
  return { type: 'usage', turn, usage, credits, totalUsage: { ...total }, totalCredits };
}

/** The events of a turn: their turn is that of the last `turn_start`, or kept. */
function readInTurn(store: EventStore, at: Cursor, kind: number): Event {
  const base = kind & BASE;
  const turn = kind & SAME_TURN ? at.turn : (store.refs[at.ref++] as number);
  if (base === TOOL_CALL) {
    at.call = at.step ? (at.calls[at.callsRead++] as ToolCall) : (store.refs[at.ref++] as ToolCall);
    return { type: 'tool_call', turn, call: at.call };
  }
  if (base === TOOL_RESULT) return readToolResult(store, at, kind, turn);
  if (base === USAGE) return readUsage(store, at, turn);
  const delta = store.refs[at.ref++] as string;
  return base === TEXT ? { type: 'text', turn, delta } : { type: 'thinking', turn, delta };
}

/** A reader that was inside a turn the log has since folded reads that turn's events again to find its place. */
function resync(store: EventStore, at: Cursor): void {
  const open = at.open as NonNullable<Cursor['open']>;
  const again = cursorAt(open, ANY_TOTALS);
  while (again.index < at.index) readEvent(store, again);
  const { totals } = at;
  Object.assign(at, again, { totals, open: undefined });
}

/** @internal The event at `at` (which moves past it); `at.index` must be below `store.length`. */
export function readEvent(store: EventStore, at: Cursor): Event {
  if (at.open && at.open.index !== store.openStart) resync(store, at);
  const kind = store.kinds[at.index] as number;
  at.index += 1;
  const base = kind & BASE;
  if (base === WHOLE) {
    const event = store.refs[at.ref++] as Event;
    if (event.type === 'usage') at.totals = { usage: { ...event.totalUsage }, credits: event.totalCredits };
    return event;
  }
  if (base === TURN_START) return readTurnStart(store, at, kind);
  if (base === TURN_END) return readTurnEnd(store, at, kind);
  return readInTurn(store, at, kind);
}
