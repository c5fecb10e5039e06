/**
 * Scenario 2: one tool_use whose input is 1 MiB and then 4 MiB of JSON, in 8-byte `input_json_delta`s:
 * milliseconds to the final message, lower is better; and the growth from 1 to 4 MiB (linear is ≤ 4.5).
 * Reference: loopguard. Each contender runs in a process of its own (a warm-up at the small size), the
 * rounds interleaved; in each round a contender runs at the small size and right after at the large one, and
 * the growth is the median over the rounds of the two runs' ratio. A run still going at the time limit the
 * bench sets is stopped (its process killed): its row and growth then give the bound that was measured
 * ("> …"), and it is not run again.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContenderProcesses } from './contender-process.js';
import { growthRow, sizeLabel } from './growth-row.js';
import { interleavedRoundsOf, type Rounds } from './interleaved-rounds.js';
import { contenders } from './large-tool-input-contenders.js';
import { leftoverNote, summarise } from './measure.js';
import { noteOf, type ReportRow } from './report-table.js';
import { largeToolInputStream } from './stream-fixture.js';

/** A contender's figure at one size: the median of its runs, a lower bound when a stopped run decides it. */
interface SizeFigure {
  median: number;
  min: number;
  max: number;
  medianAtLeast: boolean;
  /** Whether a run was stopped (the max is then a lower bound). */
  stopped: boolean;
  note?: string;
}

function sizeFigure(rounds: Rounds | undefined, limitMs: number, runs: number): SizeFigure | undefined {
  if (!rounds || (rounds.figures.length === 0 && rounds.stoppedAfterMs === undefined)) return undefined;
  const finished = rounds.figures.map((f) => f.ms);
  const leftover = leftoverNote(rounds.figures);
  if (rounds.stoppedAfterMs === undefined) {
    const cut = rounds.stoppedWithOther
      ? `${finished.length} of ${runs} runs: stopped at the ${limitMs / 1000} s limit at the other size`
      : '';
    const note = noteOf(cut, leftover);
    return { ...summarise(finished), medianAtLeast: false, stopped: false, ...(note ? { note } : {}) };
  }
  // A stopped run lasted at least as long as it ran, longer than every finished one: sort it last.
  const sample = summarise([...finished, rounds.stoppedAfterMs]);
  const medianAtLeast = finished.length + 1 <= 2;
  const stopped = rounds.stoppedInWarmup ? 'its warm-up run' : `run ${finished.length + 1}`;
  const note = noteOf(
    `${finished.length} of ${runs} runs finished; ${stopped} stopped at the ${limitMs / 1000} s limit the bench sets`,
    leftover,
  );
  return { median: sample.median, min: sample.min, max: sample.max, medianAtLeast, stopped: true, note };
}

/** Runs the scenario at the two sizes (in KiB), `runs` times each, stopping a run after `limitMs`. */
export async function largeToolInputScenario(
  sizesKiB: [number, number],
  runs: number,
  limitMs: number,
): Promise<ReportRow[]> {
  const names = Object.keys(contenders);
  const directory = mkdtempSync(join(tmpdir(), 'loopguard-bench-tool-input-'));
  const processes = await startContenderProcesses('large-tool-input', names);
  try {
    const rows: ReportRow[] = [];
    const files = sizesKiB.map((sizeKiB) => {
      const file = join(directory, `${sizeKiB}.sse`);
      writeFileSync(file, largeToolInputStream(sizeKiB * 1024, 8));
      return file;
    });
    // Each contender runs at the small size and then at the large one in each of its turns (after a warm-up at
    // the small size): the growth is then read round by round, from two runs seconds apart in one process.
    const bySize = await interleavedRoundsOf(
      processes,
      files.map((file) => ({ file })),
      { runs, limitMs },
    );
    for (const [index, sizeKiB] of sizesKiB.entries()) {
      const rounds = bySize[index] as Map<string, Rounds>;
      const reference = sizeFigure(rounds.get(names[0] as string), limitMs, runs);
      for (const name of names) {
        const figure = sizeFigure(rounds.get(name), limitMs, runs);
        const scenario = `2. Large tool input, ${sizeLabel(sizeKiB)} in 8-byte deltas`;
        rows.push(
          figure
            ? {
                scenario,
                contender: name,
                median: figure.median,
                min: figure.min,
                max: figure.max,
                unit: 'ms',
                ratio: reference ? reference.median / figure.median : undefined,
                ...(figure.stopped ? { atLeast: figure.medianAtLeast ? ('median' as const) : ('max' as const) } : {}),
                ...(figure.note ? { note: figure.note } : {}),
              }
            : {
                scenario,
                contender: name,
                median: Number.NaN,
                min: Number.NaN,
                max: Number.NaN,
                unit: 'ms',
                ratio: undefined,
                note: `not run: stopped at the ${limitMs / 1000} s limit at the other size`,
              },
        );
      }
    }
    for (const name of names)
      rows.push(growthRow(name, [bySize[0]?.get(name), bySize[1]?.get(name)], sizesKiB, limitMs));
    return rows;
  } finally {
    for (const contender of processes) contender.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
