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
