import { describe, expect, it } from 'vitest';
import { pairedRatio, summarise } from '../src/measure.js';

describe('pairedRatio', () => {
  it('Should take the median of round-by-round ratios, so a slow round that falls on both cancels out', () => {
    // Round 2 is slow for both; the contender is 1.1× the reference in two rounds of three.
    const reference = [1.0, 2.0, 1.0];
    const runs = [1.1, 2.2, 1.3];
    expect(pairedRatio(runs, reference)).toBeCloseTo(1.1, 10);
    // The ratio of the medians reads the same runs differently.
    expect(summarise(runs).median / summarise(reference).median).toBeCloseTo(1.3, 10);
  });

  it('Should pair only the rounds both have', () => {
    expect(pairedRatio([2, 4, 100], [1, 2])).toBe(2);
  });
});
