/**
 * How `EventLog` keeps an event: a kind byte (the low 3 bits the kind, the others what the byte says instead
 * of a reference), the running totals that `usage` events report, and where a reader is.
 * @module
 */
import type { Usage } from '@loopguard/messages';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import type { TurnStep } from '../turn/turn-step.js';
import { addUsage } from './add-usage.js';

/** @internal Kept as the event object itself. */
export const WHOLE = 0;
/** @internal The kinds of the events kept compactly. */
export const TURN_START = 1;
export const TURN_END = 2;
export const TOOL_CALL = 3;
export const TOOL_RESULT = 4;
export const USAGE = 5;
export const TEXT = 6;
export const THINKING = 7;
/** @internal The kind's bits. */
export const BASE = 0x07;
/** @internal Set on a kind: the event's turn is that of the last `turn_start` (on a `turn_start`: the one after it). */
export const SAME_TURN = 0x80;
/**
 * @internal On a `turn_start`: its turn is folded — its step follows the turn, and its usage, calls and results
 * are the step's. On a `turn_end`: its step is the folded turn's. On a `tool_result` of a turn not folded: its
 * call is that of the last `tool_call`, and is not kept.
 */
export const FOLDED = 0x40;
export const LAST_CALL = 0x40;
/** @internal The bits of a `tool_result`'s outcome: its index in `OUTCOMES`, or 0 when the outcome is kept. */
export const OUTCOME = 0x38;
export const OUTCOME_SHIFT = 3;
/** @internal The outcomes the kind byte can say (index 0 stands for "kept"). */
export const OUTCOMES: ReadonlyArray<ToolCallOutcome | undefined> = [
  undefined,
  'ok',
  'error',
  'invalid_input',
  'unknown_tool',
  'refused',
  'timeout',
  'aborted',
];

/** @internal Running totals of usage and credits, as the `usage` events report them. */
export interface Totals {
  usage: Usage;
  credits: number;
}

/** @internal True when `a` and `b` have the same keys, in the same order, with the same values. */
export function sameUsage(a: Usage, b: Usage): boolean {
  const keys = Object.keys(a);
  const other = Object.keys(b);
  if (keys.length !== other.length) return false;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as keyof Usage;
    if (key !== other[index] || a[key] !== b[key]) return false;
  }
  return true;
}

/** @internal The totals after a reply's `usage` and `credits`, as `RunState.count` makes them (a new object). */
export function nextTotals(totals: Totals, usage: Usage, credits: number): Totals {
  const next = { usage: { ...totals.usage }, credits: totals.credits + credits };
  addUsage(next.usage, usage);
  return next;
}

/** @internal Where the log, or a reader, is: the next event, reference and number, and what events follow from. */
export interface Position {
  index: number;
  ref: number;
  number: number;
  /** The turn of the last `turn_start`. */
  turn: number;
  /** The call of the last `tool_call`. */
  call: ToolCall | undefined;
}

/** @internal A reader's place in the log, and what it has read that later events follow from. */
export interface Cursor extends Position {
  totals: Totals | undefined;
  /** The step of the folded turn being read, what its events carried, and how many calls and results were read. */
  step: TurnStep | undefined;
  calls: ToolCall[];
  results: unknown[];
  usage: Usage | undefined;
  credits: number;
  callsRead: number;
  resultsRead: number;
  /** Where this reader was before the `turn_start` of the turn still open when it read it (else undefined). */
  open: Position | undefined;
}

/** @internal A cursor at `position`, with nothing read of a folded turn. */
export function cursorAt(position: Position, totals: Totals | undefined): Cursor {
  const { index, ref, number, turn, call } = position;
  const folded = {
    step: undefined,
    calls: [],
    results: [],
    usage: undefined,
    credits: 0,
    callsRead: 0,
    resultsRead: 0,
  };
  return { index, ref, number, turn, call, totals, ...folded, open: undefined };
}
