import { describe, expect, it } from 'vitest';
import { growthRow } from '../src/growth-row.js';
import type { Rounds } from '../src/interleaved-rounds.js';

/** Rounds of the given run times, ms. */
function rounds(ms: number[], stopped: Partial<Rounds> = {}): Rounds {
  return { figures: ms.map((time) => ({ ms: time, cpuMs: time, pageFaults: 0, settleMs: 50 })), ...stopped };
}

const sizes: [number, number] = [1024, 4096];

describe('growthRow', () => {
  it('Should read the growth round by round: each large run ÷ the small run of its round', () => {
    const row = growthRow('c', [rounds([100, 110, 90]), rounds([400, 500, 300])], sizes, 180_000);
    expect(row).toMatchObject({ median: 4, max: 500 / 110, note: 'round by round, 3 rounds' });
    expect(row.min).toBeCloseTo(300 / 90);
    expect(row.atLeast).toBeUndefined();
    expect(row.unit).toBe('time ratio (linear ≤ 4.5)');
  });

  it('Should count a round stopped at the large size as its bound and mark the median a lower bound', () => {
    // Round 2: 200 ms at 1 MiB, then stopped after 180 s at 4 MiB: that round grew at least 900×.
    const row = growthRow('c', [rounds([100, 200]), rounds([400], { stoppedAfterMs: 180_000 })], sizes, 180_000);
    expect(row).toMatchObject({ median: (4 + 900) / 2, min: 4, max: 900, atLeast: 'median' });
    expect(row.note).toContain('2 rounds; at least: a run at 4 MiB was stopped at the 180 s limit');
  });

  it('Should keep a bound below a finished round’s growth a lower bound, not sort it above', () => {
    // A slow small run (1,000 ms) before the stopped one: its bound, 1.8, is below round 1's 9.
    const row = growthRow('c', [rounds([100, 1000]), rounds([900], { stoppedAfterMs: 1800 })], sizes, 1800);
    expect(row).toMatchObject({ median: (1.8 + 9) / 2, min: 1.8, max: 9, atLeast: 'median' });
  });

  it('Should say when the contender was stopped at the small size after some rounds', () => {
    const small = rounds([100], { stoppedAfterMs: 180_000 });
    const row = growthRow('c', [small, rounds([400], { stoppedWithOther: true })], sizes, 180_000);
    expect(row).toMatchObject({
      median: 4,
      note: 'round by round, 1 round, then stopped at 1 MiB at the 180 s limit the bench sets',
    });
  });

  it('Should give no figure when no round finished', () => {
    const small = rounds([], { stoppedAfterMs: 180_000, stoppedInWarmup: true });
    const row = growthRow('c', [small, rounds([], { stoppedWithOther: true })], sizes, 180_000);
    expect(row.median).toBeNaN();
    expect(row.note).toBe('not measured: stopped at the 180 s limit the bench sets');
  });
});
