/**
 * Measured runs of contenders in processes of their own, interleaved: every contender set up (all at once,
 * unmeasured), a warm-up run each, then run 1 of every contender, run 2 of every contender, … one at a time —
 * so a slow spell of a noisy machine falls on all of them alike, and no contender's run shares the CPU with
 * another's. Round r begins with the r-th contender (then the next, wrapping round), so none is always first.
 * @module
 */
import type { ContenderProcess } from './contender-process.js';
import type { RunFigures } from './measure.js';

/** One contender's runs with one set of params. */
export interface Rounds {
  /** The runs that finished, in order. */
  figures: RunFigures[];
  /** Set when a run was stopped at the time limit: how long it had run (no later run was tried). */
  stoppedAfterMs?: number;
  /** Whether the run stopped was the warm-up. */
  stoppedInWarmup?: boolean;
}

/** Options of `interleavedRounds`. */
export interface RoundOptions {
  /** Measured runs per contender. */
  runs: number;
  /** One unmeasured run each first (under the limit too). Default true. */
  warmup?: boolean;
  /** A run still going after this long is stopped (its process killed). Default: no limit. */
  limitMs?: number;
}

/** Runs every contender not yet stopped `runs` times with `params`, interleaved; contenders stopped before are left out. */
export async function interleavedRounds(
  processes: readonly ContenderProcess[],
  params: unknown,
  options: RoundOptions,
): Promise<Map<string, Rounds>> {
  const rounds = new Map<string, Rounds>(processes.filter((p) => !p.stopped).map((p) => [p.name, { figures: [] }]));
  const once = async (contender: ContenderProcess, warmup: boolean): Promise<void> => {
    const entry = rounds.get(contender.name);
    if (!entry || entry.stoppedAfterMs !== undefined) return;
    const result = await contender.run(params, options.limitMs);
    if ('stoppedAfterMs' in result)
      Object.assign(entry, { stoppedAfterMs: result.stoppedAfterMs, stoppedInWarmup: warmup });
    else if (!warmup) entry.figures.push(result);
  };
  // Set-ups (loading libraries, reading fixtures) are not measured: they run all at once, to save time.
  await Promise.all(processes.filter((p) => !p.stopped).map((contender) => contender.prepare(params)));
  if (options.warmup ?? true) for (const contender of processes) await once(contender, true);
  // Each round starts one contender further on: none always runs first in a round or after the same other.
  for (let run = 0; run < options.runs; run += 1)
    for (let at = 0; at < processes.length; at += 1)
      await once(processes[(run + at) % processes.length] as ContenderProcess, false);
  return rounds;
}
