/**
 * `EventStore`: what `EventLog` keeps — a kind byte per event (a Uint8Array), the references events need (one
 * array), and their numbers (durations, credits: a Float64Array) — each grown by appending, and cut back to an
 * earlier position when the log folds a turn it has just kept.
 * @module
 */
import type { Position } from './event-codes.js';

/** @internal The arrays of one log. */
export class EventStore {
  kinds = new Uint8Array(64);
  length = 0;
  readonly refs: unknown[] = [];
  numbers = new Float64Array(16);
  numberCount = 0;
  /** The index of the `turn_start` of the turn still open (its `turn_end` not yet kept), or -1. */
  openStart = -1;

  pushKind(kind: number): void {
    if (this.length === this.kinds.length) {
      const kinds = new Uint8Array(this.kinds.length * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
    }
    this.kinds[this.length] = kind;
    this.length += 1;
  }

  pushNumber(value: number): void {
    if (this.numberCount === this.numbers.length) {
      const numbers = new Float64Array(this.numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.numbers[this.numberCount] = value;
    this.numberCount += 1;
  }

  /** Cuts the store back to `position` (every event, reference and number after it dropped). */
  cutTo(position: Position): void {
    this.length = position.index;
    this.refs.length = position.ref;
    this.numberCount = position.number;
  }
}
