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
/** The event loop counts as idle when it was busy less than this share of a window. */
const IDLE_SHARE = 0.05;

/**
 * Resolves once a `WINDOW_MS` window passes with the event loop busy less than `IDLE_SHARE` of it, or after
 * `limitMs` (default 10 minutes); resolves with how long it waited, ms (one window when the process was idle).
 */
export async function waitForIdle(limitMs = 600_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = performance.eventLoopUtilization();
    await new Promise<void>((resolve) => setTimeout(resolve, WINDOW_MS));
    const window = performance.eventLoopUtilization(before);
    if (window.utilization < IDLE_SHARE || performance.now() - started >= limitMs) return performance.now() - started;
  }
}
