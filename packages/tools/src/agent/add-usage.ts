/**
 * `addUsage`: adds one reply's usage to a run's running total — the sum `RunState` keeps and the `usage`
 * event reports as `totalUsage`, and the one the event log replays its totals with.
 * @module
 */
import type { Usage } from '@loopguard/messages';

/** @internal Adds `part` to `total` in place: the token counts, and each cache count `part` has. */
export function addUsage(total: Usage, part: Usage): void {
  total.input_tokens += part.input_tokens ?? 0;
  total.output_tokens += part.output_tokens ?? 0;
  for (const key of ['cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    if (typeof part[key] === 'number') total[key] = (total[key] ?? 0) + (part[key] as number);
  }
}
