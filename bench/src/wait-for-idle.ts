/**
 * `waitForIdle`: waits until this process's event loop has been idle for a while — the work a library left
 * running after the promise it returned resolved (the AI SDK's `streamText` kept the main thread busy for
 * seconds after `consumeStream()` and its tool calls resolved) is done before anything else is measured, so it
 * never shares the CPU with another contender's measured run, nor falls inside its own next run.
 * @module
 */

import { performance } from 'node:perf_hooks';

/** How long one look at the event loop lasts, ms. */
const WINDOW_MS = 50;
/**
 * The process counts as idle when, over a window, its event loop was busy less than this share of it and its
 * threads together (the collector's helpers too, which the event loop's figure does not see) used less CPU
 * than this share of one core.
 */
const IDLE_SHARE = 0.05;

/** Whether the window that began at `loopBefore` / `cpuBefore` and lasted `ms` was idle (`IDLE_SHARE`). */
function wasIdle(
  loopBefore: ReturnType<typeof performance.eventLoopUtilization>,
  cpuBefore: NodeJS.CpuUsage,
  ms: number,
): boolean {
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / ms;
  return performance.eventLoopUtilization(loopBefore).utilization < IDLE_SHARE && cpuShare < IDLE_SHARE;
}

/**
 * Resolves once a `WINDOW_MS` window passes with the process idle (`IDLE_SHARE`), or after `limitMs` (default
 * 10 minutes); resolves with how long it waited, ms (one window when the process was idle).
 */
export async function waitForIdle(limitMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const loopBefore = performance.eventLoopUtilization();
    const cpuBefore = process.cpuUsage();
    const windowStart = performance.now();
    await new Promise<void>((resolve) => setTimeout(resolve, WINDOW_MS));
    const waited = performance.now() - started;
    if (wasIdle(loopBefore, cpuBefore, performance.now() - windowStart) || waited >= limitMs) return waited;
  }
}
