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
  /**
   * Set when the contender was stopped at the limit while running with another set of params
   * (`interleavedRoundsOf`): its runs with these ended there too.
   */
  stoppedWithOther?: boolean;
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
  return (await interleavedRoundsOf(processes, [params], options))[0] as Map<string, Rounds>;
}

/**
 * `interleavedRounds` with several sets of params: in each round, each contender's turn runs it once with
 * each set, one right after the other (two sizes of one input, say, measured seconds apart, so that their
 * ratio can be taken round by round). The warm-up runs it once, with the first set. The contender's processes
 * must hold a set-up per set (`setupsKept`). Returns the rounds of each set, in the order given; a run stopped
 * at the limit stops its contender for every set.
 */
export async function interleavedRoundsOf(
  processes: readonly ContenderProcess[],
  paramsList: readonly unknown[],
  options: RoundOptions,
): Promise<Array<Map<string, Rounds>>> {
  const live = processes.filter((p) => !p.stopped);
  const rounds = paramsList.map(() => new Map<string, Rounds>(live.map((p) => [p.name, { figures: [] }])));
  const once = async (contender: ContenderProcess, set: number, warmup: boolean): Promise<boolean> => {
    const entry = rounds[set]?.get(contender.name);
    if (!entry || contender.stopped) return false;
    const result = await contender.run(paramsList[set], options.limitMs);
    if ('stoppedAfterMs' in result) {
      Object.assign(entry, { stoppedAfterMs: result.stoppedAfterMs, stoppedInWarmup: warmup });
      for (const byName of rounds) {
        const other = byName.get(contender.name);
        if (other && other !== entry) other.stoppedWithOther = true;
      }
      return false;
    }
    if (!warmup) entry.figures.push(result);
    return true;
  };
  const turn = async (contender: ContenderProcess): Promise<void> => {
    for (let set = 0; set < paramsList.length; set += 1) if (!(await once(contender, set, false))) return;
  };
  // Set-ups (loading libraries, reading fixtures) are not measured: they run all at once, to save time.
  await Promise.all(
    live.map(async (contender) => {
      for (const params of paramsList) await contender.prepare(params);
    }),
  );
  if (options.warmup ?? true) for (const contender of processes) await once(contender, 0, true);
  // Each round starts one contender further on: none always runs first in a round or after the same other.
  for (let run = 0; run < options.runs; run += 1)
    for (let at = 0; at < processes.length; at += 1)
      await turn(processes[(run + at) % processes.length] as ContenderProcess);
  return rounds;
}
