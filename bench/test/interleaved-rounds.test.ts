import { describe, expect, it } from 'vitest';
import type { ContenderProcess } from '../src/contender-process.js';
import { interleavedRounds } from '../src/interleaved-rounds.js';

/** A contender that runs nothing and records, in `order`, when each of its runs came. */
function recorder(name: string, order: string[]): ContenderProcess {
  return {
    name,
    stopped: false,
    prepare: async () => undefined,
    run: async () => {
      order.push(name);
      return { ms: order.length, cpuMs: order.length, pageFaults: 0 };
    },
    close: () => undefined,
  };
}

describe('interleavedRounds', () => {
  it('Should warm each contender up once, then begin each round one contender further on', async () => {
    const order: string[] = [];
    const processes = ['a', 'b', 'c'].map((name) => recorder(name, order));
    const rounds = await interleavedRounds(processes, {}, { runs: 4 });
    // Warm-up a b c, then rounds a b c, b c a, c a b, a b c.
    expect(order.join(' ')).toBe('a b c a b c b c a c a b a b c');
    // Each contender's figures are its own runs, in order (`ms` is the run's place in `order`).
    expect(rounds.get('a')?.figures.map((figure) => figure.ms)).toEqual([4, 9, 11, 13]);
    expect(rounds.get('c')?.figures.map((figure) => figure.ms)).toEqual([6, 8, 10, 15]);
  });
});
