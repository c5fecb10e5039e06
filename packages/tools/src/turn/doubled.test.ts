import { describe, expect, it } from 'vitest';
import { doubled } from './doubled.js';

describe('doubled', () => {
  it('Should give an array of the same kind, twice as long, the values first and zeros after', () => {
    const numbers = doubled(Float64Array.from([1.5, -2, 3]));
    expect(numbers).toBeInstanceOf(Float64Array);
    expect([...numbers]).toEqual([1.5, -2, 3, 0, 0, 0]);
    const kinds = doubled(Uint8Array.from([7, 255]));
    expect(kinds).toBeInstanceOf(Uint8Array);
    expect([...kinds]).toEqual([7, 255, 0, 0]);
  });

  it('Should grow an empty array to one element', () => {
    expect(doubled(new Uint8Array(0))).toHaveLength(1);
  });
});
