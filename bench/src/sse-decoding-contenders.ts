/**
 * The contenders of scenario 1 (SSE decoding), each run in a process of its own by `contender-runner.ts`:
 * decoders fed the same bytes from memory, and whole clients served them through a `fetch` stand-in.
 * Each loads only its own library.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ContenderTable } from './contender-process.js';
import { chunksOf, sseFetch } from './stream-fixture.js';

/** What a run decodes: the stream's file (written by the scenario) and the chunk size it is fed in. */
export interface SseDecodingParams {
  file: string;
  chunkSize: number;
}

const params = { model: 'claude-opus-4-6', max_tokens: 100, messages: [{ role: 'user' as const, content: 'go' }] };

function readBytes(file: string): Uint8Array {
  const buffer = readFileSync(file);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

type CreateParser = typeof import('eventsource-parser')['createParser'];

/**
 * A new eventsource-parser (made by `createParser`, loaded by the contender that uses it) fed UTF-8 chunks,
 * decoded across chunk ends, handing each event's data to `onEvent`.
 */
function eventsourceFeeder(
  createParser: CreateParser,
  onEvent: (data: string) => void,
): { feed: (chunk: Uint8Array) => void; events: () => number } {
  let events = 0;
  const textDecoder = new TextDecoder();
  const parser = createParser({
    onEvent: (event) => {
      onEvent(event.data);
      events += 1;
    },
  });
  return { feed: (chunk) => parser.feed(textDecoder.decode(chunk, { stream: true })), events: () => events };
}

async function eventsourceParser(
  { file, chunkSize }: SseDecodingParams,
  onEvent: (data: string) => void,
): Promise<() => number> {
  const { createParser } = await import('eventsource-parser');
  const chunks = chunksOf(readBytes(file), chunkSize);
  return () => {
    const feeder = eventsourceFeeder(createParser, onEvent);
    for (const chunk of chunks) feeder.feed(chunk);
    return feeder.events();
  };
}

async function loopguardDecoder(
  { file, chunkSize }: SseDecodingParams,
  onEvent: (event: string | undefined, data: string) => void,
): Promise<() => number> {
  const { createSseDecoder } = await import('@loopguard/messages');
  const chunks = chunksOf(readBytes(file), chunkSize);
  return () => {
    let events = 0;
    const decoder = createSseDecoder({
      onEvent: ({ event, data }) => {
        onEvent(event, data);
        events += 1;
      },
    });
    for (const chunk of chunks) decoder.feed(chunk);
    decoder.end();
    return events;
  };
}

/**
 * The row of the reference reading its bytes from the same `fetch` stand-in's body as the whole clients do:
 * what they are compared with, like for like, beside the reference fed from an array.
 */
export const STREAMED_REFERENCE =
  'eventsource-parser + JSON.parse, reading the same ReadableStream (the reference as a client)';

/** Scenario 1's contenders, in report order; the first is the reference. */
export const contenders: ContenderTable<SseDecodingParams> = {
  'eventsource-parser + JSON.parse (reference)': (p) => eventsourceParser(p, (data) => JSON.parse(data)),
  'eventsource-parser, SSE only': (p) => eventsourceParser(p, () => {}),
  'loopguard decoder, SSE only': (p) => loopguardDecoder(p, () => {}),
  "loopguard decoder + parse, keeps nothing (the reference's work)": async (p) => {
    const { parseStreamEvent } = await import('@loopguard/messages');
    return loopguardDecoder(p, (event, data) => parseStreamEvent(event, data));
  },
  'loopguard decoder + accumulator': async ({ file, chunkSize }) => {
    const { createMessageAccumulator, createSseDecoder, parseStreamEvent } = await import('@loopguard/messages');
    const chunks = chunksOf(readBytes(file), chunkSize);
    return () => {
      const accumulator = createMessageAccumulator();
      const decoder = createSseDecoder({
        onEvent: ({ event, data }) => accumulator.apply(parseStreamEvent(event, data)),
      });
      for (const chunk of chunks) decoder.feed(chunk);
      decoder.end();
      return accumulator.finish().content.length;
    };
  },
  'eventsource-parser + JSON.parse + loopguard accumulator': async ({ file, chunkSize }) => {
    const { createParser } = await import('eventsource-parser');
    const { createMessageAccumulator } = await import('@loopguard/messages');
    const chunks = chunksOf(readBytes(file), chunkSize);
    return () => {
      const accumulator = createMessageAccumulator();
      const feeder = eventsourceFeeder(createParser, (data) => accumulator.apply(JSON.parse(data)));
      for (const chunk of chunks) feeder.feed(chunk);
      return accumulator.finish().content.length;
    };
  },
  // Not a client: the floor under every whole client below — the body's `ReadableStream` read chunk by chunk
  // through the same `fetch` stand-in, nothing decoded. The decoders above are fed from an array and never pay it.
  "ReadableStream reads only, nothing decoded (the whole clients' floor)": async ({ file, chunkSize }) => {
    const fetch = sseFetch(readBytes(file), chunkSize);
    return async () => {
      const response = await fetch('http://127.0.0.1:1/v1/messages');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let bytes = 0;
      for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
      return bytes;
    };
  },
  // The reference as a whole client would run it: the same `fetch` stand-in's body read chunk by chunk and fed
  // to eventsource-parser, each event parsed, nothing kept. The whole clients' rows also give their ratio to it.
  [STREAMED_REFERENCE]: async ({ file, chunkSize }) => {
    const { createParser } = await import('eventsource-parser');
    const fetch = sseFetch(readBytes(file), chunkSize);
    return async () => {
      const feeder = eventsourceFeeder(createParser, (data) => JSON.parse(data));
      const response = await fetch('http://127.0.0.1:1/v1/messages');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) feeder.feed(read.value);
      return feeder.events();
    };
  },
  'loopguard MessagesClient.stream (whole client)': async ({ file, chunkSize }) => {
    const { MessagesClient } = await import('@loopguard/messages');
    const fetch = sseFetch(readBytes(file), chunkSize);
    const client = new MessagesClient({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
    return () => client.stream(params).finalMessage();
  },
  'official SDK messages.stream (whole client)': async ({ file, chunkSize }) => {
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    const fetch = sseFetch(readBytes(file), chunkSize);
    const client = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
    return () => client.messages.stream(params).finalMessage();
  },
};
