import { describe, expect, it } from 'vitest';
import { waitForIdle } from '../src/wait-for-idle.js';

/** Keeps the event loop busy in `steps` macrotasks of about `stepMs` each, then sets `done`. */
function busyFor(steps: number, stepMs: number, state: { done: boolean }): void {
  let left = steps;
  const step = (): void => {
    const until = performance.now() + stepMs;
    while (performance.now() < until) {
      // busy, as a library's leftover work would be
    }
    left -= 1;
    if (left > 0) setImmediate(step);
    else state.done = true;
  };
  setImmediate(step);
}

describe('waitForIdle', () => {
  it('Should wait until work left running after a run is done, however long it lasts', async () => {
    const state = { done: false };
    busyFor(15, 20, state);
    await waitForIdle();
    expect(state.done).toBe(true);
  });

  it('Should stop waiting at its limit while the work goes on', async () => {
    const state = { done: false };
    busyFor(100, 20, state);
    await waitForIdle(1);
    expect(state.done).toBe(false);
    await waitForIdle();
    expect(state.done).toBe(true);
  });
});
