/**
 * Measured runs of contenders in processes of their own, interleaved: a warm-up each (all at once, unmeasured),
 * then run 1 of every contender, run 2 of every contender, … one at a time — so a slow spell of a noisy
 * machine falls on all of them alike, and no contender's run shares the CPU with another's.
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
}

/** Options of `interleavedRounds`. */
export interface RoundOptions {
  /** Measured runs per contender. */
  runs: number;
  /** One unmeasured run each first, all at once (setup included). Default true. */
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
  const once = async (contender: ContenderProcess, keep: boolean): Promise<void> => {
    const entry = rounds.get(contender.name);
    if (!entry || entry.stoppedAfterMs !== undefined) return;
    const result = await contender.run(params, options.limitMs);
    if ('stoppedAfterMs' in result) entry.stoppedAfterMs = result.stoppedAfterMs;
    else if (keep) entry.figures.push(result);
  };
  // Warm-ups are not measured: they run all at once, to save time; measured runs go one at a time.
  if (options.warmup ?? true) await Promise.all(processes.map((contender) => once(contender, false)));
  for (let run = 0; run < options.runs; run += 1) for (const contender of processes) await once(contender, true);
  return rounds;
}
