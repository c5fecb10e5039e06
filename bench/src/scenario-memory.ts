/**
 * Scenario 4: the memory of a long run. `runAgent` (keeping `result.steps`, its default) and the official
 * SDK's tool runner (`thread: false`: the whole transcript, like `runAgent`) each make N tool-calling turns
 * against the loop gateway; inside the last tool call the run's process collects garbage and reads the heap:
 * what the run holds then, beside the JSON size of its transcript. Each contender at each size is measured in
 * a fresh process (`memory-runner.ts`, the optimising compiler off: its code's metadata is not the run's),
 * `samples` times (the median is reported, with min–max); two processes run at a time, each with a gateway
 * of its own (memory does not depend on speed). A transcript of as many turns built by hand is the floor.
 * Reference: the official runner; lower is better. The last table is the heap each added turn costs over the
 * last doubling of turns ÷ over the one before: the fixed cost drops out, linear is ≈ 1, quadratic ≈ 2.
 * @module
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childNodeArgs } from './child-node-args.js';
import { summarise } from './measure.js';
import type { MemoryContender, MemoryFigures } from './memory-runner.js';
import type { ReportRow } from './report-table.js';
import { startLoopGateway } from './scenario-loop-overhead.js';

const CONTENDERS: Array<[MemoryContender, string]> = [
  ['official-runner', 'official SDK tool runner (thread: false, reference)'],
  ['runagent-streaming', 'loopguard runAgent (streaming, its default; keeps steps)'],
  ['runagent', 'loopguard runAgent (stream: false, as the official runner; keeps steps)'],
  ['transcript', 'the transcript alone (built by hand as a run builds one)'],
];
const LANES = 2;
const runner = fileURLToPath(new URL('./memory-runner.ts', import.meta.url));

function measureInChild(
  contender: MemoryContender,
  baseURL: string,
  turnsList: number[],
): Promise<Record<string, MemoryFigures>> {
  // No bytecode flushing: V8 would otherwise drop the bytecode of idle functions at some GCs and not others,
  // moving the heap by more than a short run holds. No optimising compilers (`--no-opt`; `--no-maglev` for the
  // Node versions that turn Maglev on): the metadata of the code they make (deoptimisation data, relocation
  // info, source positions) lives in old space and grows with how much they have compiled so far, not with
  // what the run holds — with TurboFan on, `runAgent`'s heap grew ~0.65 MB more from 1,000 to 2,000 turns than
  // the run's data, and less than linearly from 2,000 to 4,000 as the compiler settled.
  const args = [
    '--no-flush-bytecode',
    '--no-opt',
    '--no-maglev',
    ...childNodeArgs(runner, [contender, baseURL, ...turnsList.map(String)]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(output) as Record<string, MemoryFigures>)
        : reject(new Error(`bench: memory-runner ${contender} exited ${code}`)),
    );
  });
}

/**
 * Every contender's figures at every size, `samples` of each, each measured in a fresh process (a run leaves
 * caches behind that the next run in the same process would release, which would hide what it holds) — but
 * the hand-built transcript, which touches no cache, at every size in one process. `LANES` processes at a time,
 * each lane with a gateway of its own; the longest runs first, so the lanes end together, and the samples of
 * one size interleaved across contenders.
 */
async function measureAll(
  keys: MemoryContender[],
  turnsList: number[],
  samples: number,
): Promise<Map<string, MemoryFigures[]>> {
  const rounds = Array.from({ length: samples }, (_, round) => round);
  const jobs: Array<{ key: MemoryContender; sizes: number[] }> = [...turnsList]
    .sort((a, b) => b - a)
    .flatMap((turns) =>
      rounds.flatMap(() => keys.filter((key) => key !== 'transcript').map((key) => ({ key, sizes: [turns] }))),
    );
  if (keys.includes('transcript')) for (const _ of rounds) jobs.push({ key: 'transcript', sizes: turnsList });
  const figures = new Map<string, MemoryFigures[]>();
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      const { baseURL, child } = await startLoopGateway(['--no-log']);
      try {
        for (let job = jobs.shift(); job; job = jobs.shift()) {
          const measured = await measureInChild(job.key, baseURL, job.sizes);
          for (const turns of job.sizes) {
            const key = `${job.key} ${turns}`;
            figures.set(key, [...(figures.get(key) ?? []), measured[turns] as MemoryFigures]);
          }
        }
      } finally {
        child.kill('SIGTERM');
      }
    }),
  );
  return figures;
}

const megabytes = (bytes: number) => bytes / 1e6;

/**
 * Runs the scenario at each number of turns (e.g. 500, 1,000, 2,000), `samples` processes per contender and
 * size. `quick` leaves out `runAgent` with `stream: false` (its streaming default stays), to keep `--quick` short.
 */
export async function memoryScenario(turnsList: number[], samples: number, quick = false): Promise<ReportRow[]> {
  const contenders = quick ? CONTENDERS.filter(([key]) => key !== 'runagent') : CONTENDERS;
  const figures = await measureAll(
    contenders.map(([key]) => key),
    turnsList,
    samples,
  );
  // The median heap of each contender and size (its transcript's JSON is the same in every sample).
  const heap = (key: string, turns: number) =>
    summarise((figures.get(`${key} ${turns}`) as MemoryFigures[]).map((figure) => figure.heapBytes));
  const rows: ReportRow[] = [];
  for (const turns of turnsList) {
    const reference = heap(contenders[0]?.[0] as string, turns).median;
    for (const [key, name] of contenders) {
      const { median, min, max } = heap(key, turns);
      const jsonBytes = (figures.get(`${key} ${turns}`) as MemoryFigures[])[0]?.jsonBytes as number;
      rows.push({
        scenario: `4. Memory of a long run, ${turns.toLocaleString('en-US')} tool turns: heap held at the last tool call (after GC)`,
        contender: name,
        median: megabytes(median),
        min: megabytes(min),
        max: megabytes(max),
        unit: 'MB',
        ratio: reference / median,
        note: `${(median / turns / 1000).toFixed(1)} kB/turn, ${(median / jsonBytes).toFixed(1)}× the transcript's ${(jsonBytes / 1000).toFixed(0)} kB of JSON`,
      });
    }
  }
  const [first, half, last] = [...turnsList].sort((a, b) => a - b).slice(-3) as [number, number, number];
  for (const [key, name] of contenders) {
    // Heap added per turn over each doubling (medians): the run's fixed cost drops out; linear keeps it flat.
    const before = (heap(key, half).median - heap(key, first).median) / (half - first);
    const after = (heap(key, last).median - heap(key, half).median) / (last - half);
    rows.push({
      scenario: `4. Memory of a long run, heap added per turn from ${half.toLocaleString('en-US')} to ${last.toLocaleString('en-US')} turns ÷ from ${first.toLocaleString('en-US')} to ${half.toLocaleString('en-US')}`,
      contender: `${name}, ${(before / 1000).toFixed(2)} → ${(after / 1000).toFixed(2)} kB/turn`,
      median: after / before,
      min: after / before,
      max: after / before,
      unit: 'ratio (linear ≈ 1, quadratic ≈ 2)',
      ratio: undefined,
    });
  }
  return rows;
}
