/**
 * Scenario 1: decoding an Anthropic-format SSE stream from memory, in 16 KiB and in 7-byte chunks.
 * Reference: eventsource-parser with a JSON.parse of each event (the same work our decoder does before
 * accumulating; it keeps nothing). Two rows compare like with like: loopguard decoding and parsing every
 * event and keeping nothing (the reference's work), and loopguard's accumulator fed from eventsource-parser
 * (building the same message). Figures in MB/s, higher is better; each row notes the minor page faults of
 * a run, the memory it touched for the first time.
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import { createMessageAccumulator, createSseDecoder, MessagesClient, parseStreamEvent } from '@loopguard/messages';
import { createParser } from 'eventsource-parser';
import { type Sample, summarise, timeInterleaved } from './measure.js';
import type { ReportRow } from './report-table.js';
import { chunksOf, mixedStream, sseFetch } from './stream-fixture.js';

function loopguardDecoder(chunks: Uint8Array[]): number {
  const accumulator = createMessageAccumulator();
  const decoder = createSseDecoder({ onEvent: ({ event, data }) => accumulator.apply(parseStreamEvent(event, data)) });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return accumulator.finish().content.length;
}

/** Decodes and parses every event and keeps nothing: the reference's work. */
function loopguardParsed(chunks: Uint8Array[]): number {
  let events = 0;
  const decoder = createSseDecoder({
    onEvent: ({ event, data }) => {
      parseStreamEvent(event, data);
      events += 1;
    },
  });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return events;
}

function loopguardSseOnly(chunks: Uint8Array[]): number {
  let events = 0;
  const decoder = createSseDecoder({ onEvent: () => (events += 1) });
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return events;
}

/** eventsource-parser and JSON.parse feeding loopguard's accumulator: the same message built, another decoder. */
function eventsourceParserAccumulated(chunks: Uint8Array[]): number {
  const accumulator = createMessageAccumulator();
  const textDecoder = new TextDecoder();
  const parser = createParser({ onEvent: (event) => accumulator.apply(JSON.parse(event.data)) });
  for (const chunk of chunks) parser.feed(textDecoder.decode(chunk, { stream: true }));
  return accumulator.finish().content.length;
}

function eventsourceParser(chunks: Uint8Array[], parseJson: boolean): number {
  let events = 0;
  const textDecoder = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => {
      if (parseJson) JSON.parse(event.data);
      events += 1;
    },
  });
  for (const chunk of chunks) parser.feed(textDecoder.decode(chunk, { stream: true }));
  return events;
}

/** Runs the scenario at `megabytes`, `runs` times per contender. */
export async function sseDecodingScenario(
  megabytes: number,
  smallChunkMegabytes: number,
  runs: number,
): Promise<ReportRow[]> {
  const rows: ReportRow[] = [];
  for (const [label, chunkSize, size] of [
    ['16 KiB chunks', 16 * 1024, megabytes],
    ['7-byte chunks', 7, smallChunkMegabytes],
  ] as const) {
    const bytes = mixedStream(size * 1024 * 1024);
    const chunks = chunksOf(bytes, chunkSize);
    const mb = bytes.length / 1024 / 1024;
    const official = new Anthropic({
      apiKey: 'sk-bench',
      baseURL: 'http://127.0.0.1:1/v1',
      fetch: sseFetch(bytes, chunkSize),
      maxRetries: 0,
    });
    const ours = new MessagesClient({
      apiKey: 'sk-bench',
      baseURL: 'http://127.0.0.1:1/v1',
      fetch: sseFetch(bytes, chunkSize),
      maxRetries: 0,
    });
    const params = { model: 'claude-opus-4-6', max_tokens: 100, messages: [{ role: 'user' as const, content: 'go' }] };
    const contenders: Array<[string, () => unknown]> = [
      ['eventsource-parser + JSON.parse (reference)', () => eventsourceParser(chunks, true)],
      ['eventsource-parser, SSE only', () => eventsourceParser(chunks, false)],
      ['loopguard decoder, SSE only', () => loopguardSseOnly(chunks)],
      ["loopguard decoder + parse, keeps nothing (the reference's work)", () => loopguardParsed(chunks)],
      ['loopguard decoder + accumulator', () => loopguardDecoder(chunks)],
      ['eventsource-parser + JSON.parse + loopguard accumulator', () => eventsourceParserAccumulated(chunks)],
      ['loopguard MessagesClient.stream (whole client)', () => ours.stream(params).finalMessage()],
      ['official SDK messages.stream (whole client)', () => official.messages.stream(params).finalMessage()],
    ];
    const samples = await timeInterleaved(contenders, runs);
    const reference = samples.get(contenders[0]?.[0] as string) as Sample;
    for (const [name] of contenders) {
      const sample = samples.get(name) as Sample;
      const rates = summarise(sample.samples.map((ms) => mb / (ms / 1000)));
      rows.push({
        scenario: `1. SSE decoding, ${mb.toFixed(0)} MiB in ${label}`,
        contender: name,
        median: rates.median,
        min: rates.min,
        max: rates.max,
        unit: 'MB/s',
        ratio: reference.median / sample.median,
        note: `${Math.round(sample.pageFaults ?? 0).toLocaleString('en-US')} page faults`,
      });
    }
  }
  return rows;
}
