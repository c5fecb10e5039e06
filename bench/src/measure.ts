/**
 * Runs a contender several times and summarises: median, min and max of the samples.
 * @module
 */

/** A summary of repeated samples. */
export interface Sample {
  median: number;
  min: number;
  max: number;
  samples: number[];
  /** Median minor page faults per run (first touches of memory), where measured. */
  pageFaults?: number;
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

/** Milliseconds `work` takes, `runs` times (after one warm-up run). Runs of contenders interleave in the caller. */
export async function timeRuns(work: () => Promise<unknown> | unknown, runs: number, warmup = true): Promise<Sample> {
  if (warmup) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    globalThis.gc?.();
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return summarise(samples);
}

/**
 * Milliseconds of each contender, `runs` times, interleaved: one warm-up each, then run 1 of every
 * contender, run 2 of every contender, … — so a slow spell of a noisy machine falls on all of them alike.
 * Also counts each run's minor page faults: memory a run touches for the first time costs the kernel a
 * fault per page, which on some virtual machines weighs more than the work itself.
 */
export async function timeInterleaved(
  contenders: ReadonlyArray<readonly [name: string, work: () => Promise<unknown> | unknown]>,
  runs: number,
): Promise<Map<string, Sample>> {
  for (const [, work] of contenders) await work();
  const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
  const faults = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
  for (let i = 0; i < runs; i += 1) {
    for (const [name, work] of contenders) {
      globalThis.gc?.();
      const faultsBefore = process.resourceUsage().minorPageFault;
      const started = performance.now();
      await work();
      samples.get(name)?.push(performance.now() - started);
      faults.get(name)?.push(process.resourceUsage().minorPageFault - faultsBefore);
    }
  }
  return new Map(
    [...samples].map(([name, values]) => [
      name,
      { ...summarise(values), pageFaults: summarise(faults.get(name) ?? [0]).median },
    ]),
  );
}

/** Runs `work` with a time limit; past `limitMs` its signal is aborted and this resolves `undefined`. */
export async function withinLimit<T>(
  work: (signal: AbortSignal) => Promise<T>,
  limitMs: number,
): Promise<T | undefined> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(undefined);
    }, limitMs);
  });
  try {
    return await Promise.race([
      work(controller.signal).catch((error: unknown) =>
        controller.signal.aborted ? undefined : Promise.reject(error),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
