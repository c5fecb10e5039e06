/**
 * The growth row of scenario 2 (large tool input): how a contender's time grew from the small size to the
 * large one, read round by round; and `sizeLabel`, how the scenario names a size.
 * @module
 */
import type { Rounds } from './interleaved-rounds.js';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';

/** `1 round`, `3 rounds`. */
function rounds(count: number): string {
  return `${count} round${count === 1 ? '' : 's'}`;
}

/** A size in KiB as the scenario's rows name it: `1 MiB`, `256 KiB`. */
export function sizeLabel(kiB: number): string {
  return kiB >= 1024 ? `${kiB / 1024} MiB` : `${kiB} KiB`;
}

/**
 * The growth row: each round's run at the large size ÷ the same contender's run at the small size just before
 * it (two runs seconds apart in one process), median and range over the rounds. A run stopped at the large
 * size gives its round a lower bound (its time so far ÷ the small run before it); counted as that bound, the
 * median and the largest figure are then lower bounds too ("> …").
 */
export function growthRow(
  name: string,
  [small, large]: Array<Rounds | undefined>,
  sizesKiB: [number, number],
  limitMs: number,
): ReportRow {
  const factor = sizesKiB[1] / sizesKiB[0];
  const row = {
    scenario: `2. Large tool input, growth ×${factor} in size`,
    contender: name,
    unit: `time ratio (linear ≤ ${factor * 1.125})`,
    ratio: undefined,
  };
  const smallRuns = small?.figures.map((f) => f.ms) ?? [];
  const largeRuns = large?.figures.map((f) => f.ms) ?? [];
  const growths = largeRuns.map((ms, round) => ms / (smallRuns[round] as number));
  const stoppedSmall = smallRuns[largeRuns.length];
  const limit = `the ${limitMs / 1000} s limit the bench sets`;
  if (large?.stoppedAfterMs === undefined || stoppedSmall === undefined) {
    if (growths.length === 0)
      return {
        ...row,
        median: Number.NaN,
        min: Number.NaN,
        max: Number.NaN,
        note: `not measured: stopped at ${limit}`,
      };
    const sample = summarise(growths);
    const cut = small?.stoppedAfterMs !== undefined ? `, then stopped at ${sizeLabel(sizesKiB[0])} at ${limit}` : '';
    return {
      ...row,
      median: sample.median,
      min: sample.min,
      max: sample.max,
      note: `round by round, ${rounds(growths.length)}${cut}`,
    };
  }
  const sample = summarise([...growths, large.stoppedAfterMs / stoppedSmall]);
  return {
    ...row,
    median: sample.median,
    min: sample.min,
    max: sample.max,
    atLeast: 'median',
    note: `round by round, ${rounds(growths.length + 1)}; at least: a run at ${sizeLabel(sizesKiB[1])} was stopped at ${limit}`,
  };
}
