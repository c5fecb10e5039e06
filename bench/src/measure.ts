/**
 * Summaries of repeated samples, and the measurement of one run inside a contender's process.
 * @module
 */
import { waitForIdle } from './wait-for-idle.js';

/** A summary of repeated samples. */
export interface Sample {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** Summarises samples. */
export function summarise(samples: number[]): Sample {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, samples };
}

/**
 * The median, over rounds, of `over`'s run ÷ `under`'s run of the same round (both in round order, one run
 * each a round): a slow spell that falls on a whole round cancels out. A contender's times over the reference's
 * give a time ratio (> 1: slower than the reference); the reference's over the contender's, a speed-up (> 1:
 * faster). Rounds past the shorter list are left out.
 */
export function pairedRatio(over: readonly number[], under: readonly number[]): number {
  const rounds = Math.min(over.length, under.length);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round += 1) ratios.push((over[round] as number) / (under[round] as number));
  return summarise(ratios).median;
}

/** What one run cost, measured in the process that ran it. */
export interface RunFigures {
  /** Wall time, ms. */
  ms: number;
  /** CPU time of the process (user + system), ms. */
  cpuMs: number;
  /**
   * Minor page faults: memory the run touched for the first time. On some virtual machines a fault weighs
   * more than the work that caused it.
   */
  pageFaults: number;
  /**
   * How long the process stayed busy after the run's promise resolved (the work a library left running, done
   * before the next run anywhere; not in `ms`), ms: about 50 when it was idle at once (`waitForIdle`).
   */
  settleMs: number;
}

/**
 * Runs `work` once, after a GC (when `--expose-gc` is on), and measures it; calls `onRan` once it is measured;
 * then waits, untimed, until the process is idle (`waitForIdle`), so that no work the run left behind overlaps
 * what is measured next.
 */
export async function measureOnce(work: () => Promise<unknown> | unknown, onRan?: () => void): Promise<RunFigures> {
  globalThis.gc?.();
  const faultsBefore = process.resourceUsage().minorPageFault;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const pageFaults = process.resourceUsage().minorPageFault - faultsBefore;
  onRan?.();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, pageFaults, settleMs: await waitForIdle() };
}

/**
 * A row's note on the work its runs left behind (`settleMs`): empty when the process was idle right after
 * (a median under 200 ms), else how long it stayed busy after a run, median — time that is not in the figures.
 */
export function leftoverNote(figures: readonly RunFigures[]): string {
  const settle = summarise(figures.map((figure) => figure.settleMs)).median;
  if (!(settle >= 200)) return '';
  return `busy ${(settle / 1000).toFixed(1)} s more after each run (median), not counted`;
}
