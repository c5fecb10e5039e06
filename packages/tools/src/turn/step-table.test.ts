import { describe, expect, it } from 'vitest';
import { type SentParams, StepTable } from './step-table.js';

describe('StepTable', () => {
  it('Should keep one params object for each run of rows that sent equal params, found again by row', () => {
    const table = new StepTable([]);
    const a: SentParams = { model: 'm', max_tokens: 1 };
    const b: SentParams = { model: 'm', max_tokens: 1, tool_choice: { type: 'any' } };
    const sent = [a, { ...a }, a, b, { ...b }, a, { model: 'm', max_tokens: 2 }, a];
    const rows = sent.map((params, row) => table.add({ turn: row + 1, params, count: 1, credits: 0 }));
    expect(rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows.map((row) => table.params(row))).toEqual(sent);
    const kept = rows.map((row) => table.params(row));
    expect(kept.slice(0, 3).every((params) => params === a)).toBe(true);
    expect(kept[4]).toBe(b);
    expect(kept[5]).toBe(a);
    expect(kept[6]).toBe(sent[6]);
    expect(kept[7]).toBe(a);
  });

  it('Should keep every row’s credits and duration exactly, across growth, each set on its own', () => {
    const table = new StepTable([]);
    const credits = (row: number) => (row % 3 === 0 ? row : row / 7);
    const duration = (row: number) => (row % 5 === 0 ? Number.NaN : Math.PI * row);
    for (let row = 0; row < 2049; row += 1) {
      expect(table.add({ turn: 1, params: { model: 'm', max_tokens: 1 }, count: 1, credits: credits(row) })).toBe(row);
      expect(table.durationMs(row)).toBe(0);
      table.setDurationMs(row, duration(row));
    }
    table.setCredits(17, -0);
    for (let row = 0; row < 2049; row += 1) {
      expect(table.credits(row)).toBe(row === 17 ? -0 : credits(row));
      expect(table.durationMs(row)).toBe(duration(row));
    }
  });

  it('Should give back each row’s turn and count, following on or not, and a turn assigned after', () => {
    const table = new StepTable([]);
    const turns = [1, 2, 3, 7, 8, 8, 2, 3, 4];
    const counts = [1, 3, 5, 6, 8, 10, 10, 12, 14];
    turns.forEach((turn, row) => {
      table.add({ turn, params: { model: 'm', max_tokens: 1 }, count: counts[row] as number, credits: 0 });
    });
    expect(turns.map((_, row) => table.turn(row))).toEqual(turns);
    expect(counts.map((_, row) => table.count(row))).toEqual(counts);
    table.extrasOf(3).turn = 99;
    table.extrasOf(8).turn = undefined as never;
    expect(table.extras(3)).toBe(table.extrasOf(3));
    expect(table.extras(4)).toBeUndefined();
    expect(turns.map((_, row) => table.turn(row))).toEqual([1, 2, 3, 99, 8, 8, 2, 3, undefined]);
  });
});
