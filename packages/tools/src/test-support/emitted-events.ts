/**
 * How tests of a run's events compare what an iterator read with what the run emitted: an event's fields as
 * they were when emitted, and the key order of an event and of the usage objects it carries.
 * @module
 */
import type { AgentEvent } from '../agent/agent-types.js';

/** An event's fields as a plain record. */
export type Loose = Record<string, unknown>;

/** An event as it was when emitted: its own fields, and a copy of each usage object's (a later change shows). */
export function asEmitted(event: AgentEvent): Loose {
  const copy: Loose = { ...event };
  for (const key of ['usage', 'totalUsage']) if (key in copy) copy[key] = { ...(copy[key] as Loose) };
  return copy;
}

/** Each event's keys in order, and those of its usage objects (`toStrictEqual` ignores key order). */
export function keyOrder(events: readonly unknown[]): string[][][] {
  return events.map((event) => {
    const fields = event as Loose;
    const nested = ['usage', 'totalUsage'].map((key) => (key in fields ? Object.keys(fields[key] as object) : []));
    return [Object.keys(fields), ...nested];
  });
}
