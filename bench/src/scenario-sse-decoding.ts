/**
 * Scenario 1: decoding an Anthropic-format SSE stream from memory, in 16 KiB, 64 KiB, 1 KiB and 7-byte chunks.
 * Reference: eventsource-parser with a JSON.parse of each event (the same work our decoder does before
 * accumulating; it keeps nothing). Two rows compare like with like: loopguard decoding and parsing every
 * event and keeping nothing (the reference's work), and loopguard's accumulator fed from eventsource-parser
 * (building the same message). A whole client also reads its body's `ReadableStream` chunk by chunk, which the
 * decoders, fed from an array, never do: the row "ReadableStream reads only" is that floor, read through the same
 * `fetch` stand-in with nothing decoded (at 7-byte chunks it alone takes longer than the reference); and the
 * reference reading that same stand-in's body is what the whole clients are compared with like for like (their
 * rows give both ratios). Each contender runs in a process of its own, the rounds interleaved; the
 * stream is built once and read from a file by each. Figures in MB/s, higher is better; each row notes the
 * minor page faults of a run, the memory it touched for the first time.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startContenderProcesses } from './contender-process.js';
import { interleavedRounds } from './interleaved-rounds.js';
import { leftoverNote, pairedRatio, type Sample, summarise } from './measure.js';
import { noteOf, type ReportRow } from './report-table.js';
import { contenders, type SseDecodingParams, STREAMED_REFERENCE } from './sse-decoding-contenders.js';
import { mixedStream } from './stream-fixture.js';

/**
 * A whole client's ratio to the reference reading the same `ReadableStream` (`streamed` ÷ `row`): of the
 * medians, and round by round.
 */
function streamedRatio(streamed: Sample, row: Sample): string {
  const ratio = streamed.median / row.median;
  return `vs the reference reading the same stream: ${ratio.toFixed(2)}× (round by round ${pairedRatio(streamed.samples, row.samples).toFixed(2)}×)`;
}

/**
 * Runs the scenario at `megabytes` (16 KiB and 64 KiB chunks, a quarter of it in 1 KiB chunks) and
 * `smallChunkMegabytes` (7-byte chunks), `runs` times per contender.
 */
export async function sseDecodingScenario(
  megabytes: number,
  smallChunkMegabytes: number,
  runs: number,
): Promise<ReportRow[]> {
  const names = Object.keys(contenders);
  const directory = mkdtempSync(join(tmpdir(), 'loopguard-bench-sse-'));
  const processes = await startContenderProcesses('sse-decoding', names);
  try {
    const rows: ReportRow[] = [];
    for (const [label, chunkSize, size] of [
      ['16 KiB chunks', 16 * 1024, megabytes],
      ['64 KiB chunks', 64 * 1024, megabytes],
      ['1 KiB chunks', 1024, Math.max(1, Math.round(megabytes / 4))],
      ['7-byte chunks', 7, smallChunkMegabytes],
    ] as const) {
      const bytes = mixedStream(size * 1024 * 1024);
      const file = join(directory, `${chunkSize}.sse`);
      writeFileSync(file, bytes);
      const mb = bytes.length / 1024 / 1024;
      const params: SseDecodingParams = { file, chunkSize };
      const rounds = await interleavedRounds(processes, params, { runs });
      const referenceRuns = rounds.get(names[0] as string)?.figures.map((f) => f.ms) ?? [];
      const reference = summarise(referenceRuns).median;
      const streamed = summarise(rounds.get(STREAMED_REFERENCE)?.figures.map((f) => f.ms) ?? []);
      for (const [index, name] of names.entries()) {
        const figures = rounds.get(name)?.figures ?? [];
        const ms = summarise(figures.map((f) => f.ms));
        // The median over the rounds of the reference's run ÷ this row's run of the same round.
        const byRound = index === 0 ? '' : `; round by round: ${pairedRatio(referenceRuns, ms.samples).toFixed(2)}×`;
        const likeForLike = name.endsWith('(whole client)') ? `; ${streamedRatio(streamed, ms)}` : '';
        const rates = summarise(figures.map((f) => mb / (f.ms / 1000)));
        const faults = summarise(figures.map((f) => f.pageFaults)).median;
        rows.push({
          scenario: `1. SSE decoding, ${mb.toFixed(0)} MiB in ${label}`,
          contender: name,
          median: rates.median,
          min: rates.min,
          max: rates.max,
          unit: 'MB/s',
          ratio: reference / ms.median,
          note: noteOf(
            `${Math.round(faults).toLocaleString('en-US')} page faults${byRound}${likeForLike}`,
            leftoverNote(figures),
          ),
        });
      }
    }
    return rows;
  } finally {
    for (const contender of processes) contender.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
