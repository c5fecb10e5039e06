/**
 * `SpendWindows`: exact rolling hourly and daily sums of spend (entries with `at > now - window`), at a cost
 * per operation that does not grow with the number of past entries. Entries of the last day are kept sorted by
 * time; each window keeps a running sum and the index of its first entry, and moving the window (forward, or
 * back for a clock that runs behind) adds or subtracts only the entries it crosses. Pure: the memory and file
 * ledgers hold one; the Redis ledger runs the same algorithm in Lua over a sorted set.
 * @module
 */
import { DAY_MS, HOUR_MS } from '../ledger.js';

/** Entries older than a day are kept this much longer, for a clock that runs behind. */
const KEEP_MARGIN_MS = HOUR_MS;

interface RunningSum {
  readonly span: number;
  /** The window counts entries with `at > edge`; undefined before its first use. */
  edge: number | undefined;
  /** Index of the first entry counted. */
  index: number;
  sum: number;
}

/** Rolling hourly and daily sums of spend. */
export class SpendWindows {
  #at: number[] = [];
  #credits: number[] = [];
  /** Entries before `#head` were pruned (kept until the arrays are compacted). */
  #head = 0;
  readonly #windows: RunningSum[] = [
    { span: HOUR_MS, edge: undefined, index: 0, sum: 0 },
    { span: DAY_MS, edge: undefined, index: 0, sum: 0 },
  ];

  /** How many entries are kept. */
  get size(): number {
    return this.#at.length - this.#head;
  }

  /** The entries kept (the last day and a margin), oldest first, as `[at, credits]`. */
  entries(): Array<[number, number]> {
    const entries: Array<[number, number]> = [];
    for (let i = this.#head; i < this.#at.length; i += 1)
      entries.push([this.#at[i] as number, this.#credits[i] as number]);
    return entries;
  }

  /** Adds `credits` (may be negative: a correction) at time `at`. */
  add(at: number, credits: number): void {
    let position = this.#at.length;
    while (position > this.#head && (this.#at[position - 1] as number) > at) position -= 1;
    this.#at.splice(position, 0, at);
    this.#credits.splice(position, 0, credits);
    for (const window of this.#windows) {
      if (window.edge === undefined) continue;
      if (at > window.edge) window.sum += credits;
      else window.index += 1;
    }
  }

  /** Spend in the hour before `now`. */
  hourly(now: number): number {
    return this.#move(this.#windows[0] as RunningSum, now);
  }

  /** Spend in the day before `now`. */
  daily(now: number): number {
    return this.#move(this.#windows[1] as RunningSum, now);
  }

  /** Forgets entries no window at `now` can reach; cost proportional to the entries dropped. */
  prune(now: number): void {
    const oldest = now - DAY_MS - KEEP_MARGIN_MS;
    while (this.#head < this.#at.length && (this.#at[this.#head] as number) <= oldest) {
      for (const window of this.#windows) {
        if (window.index === this.#head) {
          // Only a window whose edge is far behind still counts this entry.
          if (window.edge !== undefined && (this.#at[this.#head] as number) > window.edge)
            window.sum -= this.#credits[this.#head] as number;
          window.index += 1;
        }
      }
      this.#head += 1;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#at.length) {
      this.#at = this.#at.slice(this.#head);
      this.#credits = this.#credits.slice(this.#head);
      for (const window of this.#windows) window.index -= this.#head;
      this.#head = 0;
    }
  }

  #move(window: RunningSum, now: number): number {
    const edge = now - window.span;
    if (window.edge === undefined) {
      // First use: every entry kept counts, then the window moves to its edge.
      window.index = this.#head;
      window.sum = 0;
      for (let i = this.#head; i < this.#credits.length; i += 1) window.sum += this.#credits[i] as number;
      window.edge = Number.NEGATIVE_INFINITY;
    }
    if (edge >= window.edge) {
      while (window.index < this.#at.length && (this.#at[window.index] as number) <= edge) {
        window.sum -= this.#credits[window.index] as number;
        window.index += 1;
      }
    } else {
      while (window.index > this.#head && (this.#at[window.index - 1] as number) > edge) {
        window.index -= 1;
        window.sum += this.#credits[window.index] as number;
      }
    }
    window.edge = edge;
    if (window.index >= this.#at.length) window.sum = 0;
    return window.sum;
  }
}
