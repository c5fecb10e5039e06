import { afterEach, describe, expect, it } from 'vitest';
import { StreamError } from '../errors/errors.js';
import type { MessageStreamEvent } from '../protocol/types.js';
import { createMessageAccumulator } from '../stream/message-accumulator.js';
import { createSseDecoder } from '../stream/sse-decoder.js';
import { fullStreamEvents, type HttpTestServer, startHttpTestServer } from '../test-support/http-test-server.js';
import { MessagesClient } from './messages-client.js';

const apiKey = 'sk-test-stream-attempt-0123';
const params = { messages: [{ role: 'user' as const, content: 'hi' }] };
let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(baseURL: string) {
  return new MessagesClient({ apiKey, baseURL, retryBaseDelayMs: 1, maxRetries: 0 });
}

/**
 * Raw `data:` payloads crafted against the plain-delta fast path: escapes, non-ASCII, a lone surrogate
 * escape, key orders and extra fields it must leave to JSON.parse, a delta with no block start.
 */
function craftedPayloads(): string[] {
  const start = {
    type: 'message_start',
    message: { id: 'msg_c', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 1 } },
  };
  return [
    JSON.stringify(start),
    '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"plain, "}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ünïcödé ✓ 🚀 split across chunks, "}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a \\"quote\\", a \\\\ and \\n, "}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lone \\ud800 surrogate, "}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\u00e9\\ud83d\\ude80 escaped, "}}',
    '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"index first, "}}',
    '{"type":"content_block_delta","index":0,"delta":{"text":"text first, ","type":"text_delta"}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"extra field, ","x":1}}',
    '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"extra top, "},"y":true}',
    '{"type":"content_block_delta", "index":0, "delta":{"type":"text_delta", "text":"spaced."}}',
    '{"type":"content_block_stop","index":0}',
    '{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"no block start "}}',
    '{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"wéigh ✓"}}',
    '{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"sig"}}',
    '{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"t","name":"n","input":{}}}',
    '{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\": \\"b\\\\\\"c"}}',
    '{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\", \\"é\\": [1, 2]}"}}',
    '{"type":"content_block_stop","index":2}',
    '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}',
    '{"type":"message_stop"}',
  ];
}

const sse = (payloads: string[]) => payloads.map((data) => `event: e\ndata: ${data}\n\n`).join('');

/** Serves `body` one byte per write (a UTF-8 character split across chunks), yielding now and then. */
async function serveBytewise(body: string): Promise<HttpTestServer> {
  return startHttpTestServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const bytes = Buffer.from(body);
    for (let i = 0; i < bytes.length; i += 1) {
      response.write(bytes.subarray(i, i + 1));
      if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  });
}

/** The message and events the slow path gives: the decoder, JSON.parse of every event, the accumulator. */
function expected(body: string): { message: unknown; events: MessageStreamEvent[]; texts: string[] } {
  const events: MessageStreamEvent[] = [];
  const texts: string[] = [];
  const accumulator = createMessageAccumulator({ onText: (delta) => texts.push(delta) });
  const decoder = createSseDecoder({ onEvent: ({ data }) => events.push(JSON.parse(data)) });
  decoder.feed(body);
  decoder.end();
  for (const event of events) accumulator.apply(event);
  return { message: accumulator.finish(), events, texts };
}

describe('streamAttempt: deltas nobody watches as events', () => {
  it('Should build the same message from crafted deltas, split byte by byte, with and without event listeners', async () => {
    const body = sse(craftedPayloads());
    const want = expected(body);
    server = await serveBytewise(body);
    const quiet = await client(server.baseURL).stream(params).finalMessage();
    const watched = client(server.baseURL).stream(params);
    const events: unknown[] = [];
    const texts: string[] = [];
    watched.on('stream_event', (event) => events.push(event));
    watched.on('text', (delta) => texts.push(delta));
    const loud = await watched.finalMessage();
    const { request_id: _a, ...quietMessage } = quiet;
    const { request_id: _b, ...loudMessage } = loud;
    expect(quietMessage).toEqual(want.message);
    expect(loudMessage).toEqual(want.message);
    expect(events).toEqual(want.events);
    expect(texts).toEqual(want.texts);
    expect((quiet.content[0] as { text: string }).text).toContain('lone \ud800 surrogate');
  });

  it('Should hand a stream_event listener attached by a text listener the very delta that attached it', async () => {
    const events = fullStreamEvents();
    server = await startHttpTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sse(events.map((event) => JSON.stringify(event))));
    });
    const stream = client(server.baseURL).stream(params);
    const order: string[] = [];
    const seen: unknown[] = [];
    const onEvent = (event: MessageStreamEvent) => {
      seen.push(event);
      order.push(`event ${event.type}`);
    };
    stream.on('text', (delta) => {
      order.push(`text ${delta}`);
      if (delta === 'Let me ') stream.on('stream_event', onEvent);
    });
    stream.once('thinking', (delta) => order.push(`thinking ${delta}`));
    await stream.finalMessage();
    const from = events.findIndex((event) => (event.delta as { text?: string } | undefined)?.text === 'Let me ');
    expect(seen).toEqual(events.slice(from));
    expect(order.slice(0, 4)).toEqual([
      'thinking The user wants ',
      'text Let me ',
      'event content_block_delta',
      'text check.',
    ]);
  });

  it('Should stop handing events once the listener is removed, by off or removeAllListeners, and iterate them all', async () => {
    const events = fullStreamEvents();
    server = await startHttpTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sse(events.map((event) => JSON.stringify(event))));
    });
    const stream = client(server.baseURL).stream(params);
    const byOff: string[] = [];
    const byRemoveAll: string[] = [];
    const once: string[] = [];
    const off = (event: MessageStreamEvent) => {
      byOff.push(event.type);
      if (event.type === 'content_block_delta') stream.off('streamEvent', off);
    };
    stream.on('stream_event', off);
    stream.on('stream_event', (event) => {
      byRemoveAll.push(event.type);
      if (byRemoveAll.length === 9) stream.removeAllListeners('stream_event');
    });
    stream.once('stream_event', (event) => once.push(event.type));
    const iterated: string[] = [];
    for await (const event of stream) iterated.push(event.type);
    expect(byOff).toEqual(events.slice(0, 4).map((event) => event.type));
    expect(byRemoveAll).toEqual(events.slice(0, 9).map((event) => event.type));
    expect(once).toEqual(['message_start']);
    expect(iterated).toEqual(events.map((event) => event.type));
  });

  it('Should still retry a cut stream whose text and thinking listeners were all removed before any delta', async () => {
    const events = fullStreamEvents();
    server = await startHttpTestServer((_request, response, index) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const payloads = events.map((event) => JSON.stringify(event));
      response.end(sse(index % 2 === 0 ? payloads.slice(0, 10) : payloads));
    });
    const heard: string[] = [];
    const listen = (delta: string) => heard.push(delta);
    const retrying = new MessagesClient({ apiKey, baseURL: server.baseURL, retryBaseDelayMs: 1, maxRetries: 1 });
    // Each way of removing a listener comes last once: the stream must know no one listens any more.
    for (const lastRemoval of ['removeAllListeners', 'removeListener', 'off'] as const) {
      const stream = retrying.stream(params);
      stream.on('text', listen);
      stream.once('thinking', listen);
      if (lastRemoval === 'removeAllListeners') {
        stream.off('thinking', listen);
        stream.removeAllListeners('text');
      } else {
        stream.removeAllListeners('text');
        stream[lastRemoval]('thinking', listen);
      }
      expect((await stream.finalMessage()).content).toHaveLength(3);
    }
    expect(heard).toEqual([]);
    expect(server.requests).toHaveLength(6);
  });

  it('Should still refuse a malformed delta with a StreamError, listener or not', async () => {
    const payloads = craftedPayloads();
    payloads.splice(3, 0, '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ab"c"}}');
    server = await startHttpTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sse(payloads));
    });
    const quiet = client(server.baseURL).stream(params).finalMessage();
    await expect(quiet).rejects.toBeInstanceOf(StreamError);
    await expect(quiet).rejects.toMatchObject({ code: 'malformed_event' });
    const watched = client(server.baseURL).stream(params);
    watched.on('stream_event', () => undefined);
    await expect(watched.finalMessage()).rejects.toMatchObject({ code: 'malformed_event' });
  });
});
