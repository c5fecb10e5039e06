import { createSeededRandom } from '@loopguard/messages/internal';
import { describe, expect, it } from 'vitest';
import { strideRule, ValueRuns } from './value-runs.js';

/** Integers below `below` from the seeded generator. */
function random(seed: number): (below: number) => number {
  const next = createSeededRandom(seed);
  return (below) => Math.floor(next() * below);
}

describe('ValueRuns', () => {
  it.each([1, 2, 3])('Should give back every row of 2,000 that mostly follow on, sometimes jump (seed %i)', (seed) => {
    const pick = random(seed);
    const runs = new ValueRuns(strideRule(2));
    const values: number[] = [];
    for (let row = 0; row < 2000; row += 1) {
      const last = values.at(-1) ?? 0;
      const value = pick(10) === 0 ? pick(5000) - 100 : pick(20) === 0 ? last + 0.5 : last + 2;
      runs.push(value);
      values.push(value);
      expect(runs.at(row)).toBe(value);
    }
    expect(runs.length).toBe(2000);
    values.forEach((value, row) => {
      expect(runs.at(row)).toBe(value);
    });
  });

  it('Should keep the first value of a run under a rule of its own (same key), and a NaN on its own', () => {
    const runs = new ValueRuns<{ key: string } | number>({
      follows: (first, _, value) => typeof first === 'object' && typeof value === 'object' && first.key === value.key,
      at: (first) => first,
    });
    const a = { key: 'a' };
    const b = { key: 'b' };
    const pushed = [a, { key: 'a' }, b, a, Number.NaN, Number.NaN, { key: 'a' }];
    for (const value of pushed) runs.push(value);
    expect(pushed.map((_, row) => runs.at(row))).toEqual([a, a, b, a, Number.NaN, Number.NaN, pushed[6]]);
    expect(runs.at(1)).toBe(a);
    expect(runs.at(6)).toBe(pushed[6]);
  });
});
