import { describe, expect, it } from 'vitest';
import type { ContenderProcess } from '../src/contender-process.js';
import { interleavedRounds, interleavedRoundsOf } from '../src/interleaved-rounds.js';

/** A contender that runs nothing and records, in `order`, when each of its runs came. */
function recorder(name: string, order: string[]): ContenderProcess {
  return {
    name,
    stopped: false,
    prepare: async () => undefined,
    run: async () => {
      order.push(name);
      return { ms: order.length, cpuMs: order.length, pageFaults: 0, settleMs: 0 };
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

  it('Should run each contender with every set of params in its turn, warm it up with the first, and stop it for every set', async () => {
    const order: string[] = [];
    let stopped = false;
    const contender = (name: string, stopAt?: string): ContenderProcess => ({
      name,
      get stopped() {
        return name === 'b' && stopped;
      },
      prepare: async () => undefined,
      run: async (params) => {
        const label = `${name}${(params as { set: string }).set}`;
        order.push(label);
        if (label === stopAt && order.length > 2) {
          stopped = true;
          return { stoppedAfterMs: 99 };
        }
        return { ms: order.length, cpuMs: 0, pageFaults: 0, settleMs: 0 };
      },
      close: () => undefined,
    });
    const [small, large] = await interleavedRoundsOf(
      [contender('a'), contender('b', 'b2')],
      [{ set: '1' }, { set: '2' }],
      {
        runs: 3,
      },
    );
    // Warm-up a1 b1; round 1: a1 a2, b1 b2 (stopped); round 2: b is gone; round 3: a1 a2.
    expect(order.join(' ')).toBe('a1 b1 a1 a2 b1 b2 a1 a2 a1 a2');
    expect(small?.get('a')?.figures.map((figure) => figure.ms)).toEqual([3, 7, 9]);
    expect(large?.get('a')?.figures.map((figure) => figure.ms)).toEqual([4, 8, 10]);
    expect(small?.get('b')).toMatchObject({ figures: [{ ms: 5 }], stoppedWithOther: true });
    expect(large?.get('b')).toMatchObject({ figures: [], stoppedAfterMs: 99, stoppedInWarmup: false });
  });
});
