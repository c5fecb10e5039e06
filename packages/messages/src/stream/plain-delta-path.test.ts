import { afterEach, describe, expect, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';
import type { MessageStreamEvent } from '../protocol/types.js';
import { type HttpTestServer, startHttpTestServer } from '../test-support/http-test-server.js';
import { createMessageAccumulator } from './message-accumulator.js';
import type { MessageStream } from './message-stream.js';
import { readSseMessage } from './read-sse-message.js';
import { createSseDecoder } from './sse-decoder.js';

const apiKey = 'sk-test-plain-delta-path-0123';
const params = { messages: [{ role: 'user' as const, content: 'hi' }] };
let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Payload = Record<string, unknown>;
const delta = (index: number, body: Payload): Payload => ({ type: 'content_block_delta', index, delta: body });
const text = (index: number, value: string) => delta(index, { type: 'text_delta', text: value });
const thinking = (index: number, value: string) => delta(index, { type: 'thinking_delta', thinking: value });
const json = (index: number, value: string) => delta(index, { type: 'input_json_delta', partial_json: value });

/**
 * Many blocks of every kind, each delta's text unique: thinking and text blocks in turn, a tool_use whose
 * input is in escaped fragments, deltas for indexes never started (a thinking one, then a text one), a
 * thinking delta into a text block, escapes and non-ASCII, and a ping and a signature between deltas.
 */
function payloads(): string[] {
  const events: Payload[] = [
    {
      type: 'message_start',
      message: { id: 'msg_p', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 3 } },
    },
  ];
  let index = 0;
  for (let block = 0; block < 10; block += 1, index += 2) {
    events.push({
      type: 'content_block_start',
      index,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    for (let n = 0; n < 3; n += 1) events.push(thinking(index, `think ${block}.${n} "é" \\ `));
    events.push({ type: 'ping' }, delta(index, { type: 'signature_delta', signature: `sig${block}` }));
    events.push({ type: 'content_block_stop', index });
    events.push({ type: 'content_block_start', index: index + 1, content_block: { type: 'text', text: 'pre ' } });
    for (let n = 0; n < 4; n += 1) events.push(text(index + 1, `text ${block}.${n} ✓🚀\n `));
    if (block === 2) events.push(thinking(index + 1, 'thinking inside a text block '), text(index + 1, 'after it '));
    events.push({ type: 'content_block_stop', index: index + 1 });
  }
  events.push({
    type: 'content_block_start',
    index,
    content_block: { type: 'tool_use', id: 't', name: 'n', input: {} },
  });
  for (const part of ['{"a": "b\\"', 'c", "é": [1', ', 2]}']) events.push(json(index, part));
  events.push({ type: 'content_block_stop', index });
  events.push(thinking(index + 1, 'never started '), thinking(index + 1, 'still thinking '));
  events.push(text(index + 2, 'text never started '), text(index + 2, 'and more'));
  events.push({
    type: 'message_delta',
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 9 },
  });
  events.push({ type: 'message_stop' });
  return events.map((event) => JSON.stringify(event));
}

/** True for the deltas the plain-delta path reads (every text, thinking and tool-input delta here). */
const isPlain = (event: MessageStreamEvent) =>
  event.type === 'content_block_delta' &&
  ['text_delta', 'thinking_delta', 'input_json_delta'].includes((event.delta as { type: string }).type);

const sse = (data: string[]) => data.map((payload) => `event: e\ndata: ${payload}\n\n`).join('');

/** The slow path, on its own: every event `JSON.parse`d and applied; the text of each block after each text delta. */
function reference(body: string) {
  const events: MessageStreamEvent[] = [];
  createSseDecoder({ onEvent: ({ data }) => events.push(JSON.parse(data)) }).feed(body);
  const snapshots: string[] = [];
  const accumulator = createMessageAccumulator({ onText: (_delta, blockText) => snapshots.push(blockText()) });
  for (const event of events) accumulator.apply(event);
  return { events, message: accumulator.finish(), snapshots };
}

function client(baseURL: string) {
  return new MessagesClient({ apiKey, baseURL, retryBaseDelayMs: 1, maxRetries: 0 });
}

async function serve(body: string): Promise<HttpTestServer> {
  return startHttpTestServer(async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const bytes = Buffer.from(body);
    for (let at = 0; at < bytes.length; at += 97) {
      response.write(bytes.subarray(at, at + 97));
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  });
}

/**
 * Listens to `stream` the way a changing set of listeners would: each callback records what it got and then
 * makes the next listener change of a fixed cycle (on, once, off, the camelCase aliases, removeAllListeners,
 * an iterator begun mid-stream). Returns everything observed, in order.
 */
function observe(stream: MessageStream): { trace: string[]; ticks: number; iterated: Promise<MessageStreamEvent[]> } {
  const trace: string[] = [];
  let tick = 0;
  let iterated: Promise<MessageStreamEvent[]> = Promise.resolve([]);
  let begun = false;
  const onEvent = (event: MessageStreamEvent) => {
    trace.push(`stream_event ${JSON.stringify(event)}`);
    step();
  };
  const onText = (value: string, snapshot: string) => {
    trace.push(`text ${value} | ${snapshot}`);
    step();
  };
  const onToolUse = (block: unknown) => trace.push(`tool_use ${JSON.stringify(block)}`);
  const ops: Array<() => unknown> = [
    () => stream.on('stream_event', onEvent),
    () => stream.on('text', onText),
    () => stream.off('stream_event', onEvent),
    () => stream.once('streamEvent', onEvent),
    () => stream.removeAllListeners('text'),
    () => stream.addListener('streamEvent', onEvent),
    () => stream.once('text', onText),
    () => stream.removeListener('streamEvent', onEvent),
    () => stream.on('toolUse', onToolUse),
    () => stream.on('text', onText),
    () => stream.on('streamEvent', onEvent),
    () => stream.removeAllListeners('streamEvent'),
    () => stream.off('text', onText),
    () => {
      if (!begun && tick > 20) {
        begun = true;
        const iterator = stream[Symbol.asyncIterator]();
        iterated = (async () => {
          const seen: MessageStreamEvent[] = [];
          for (let item = await iterator.next(); !item.done; item = await iterator.next()) seen.push(item.value);
          return seen;
        })();
      }
    },
  ];
  const step = () => (ops[tick++ % ops.length] as () => unknown)();
  // The clock: thinking deltas always call back (text and stream_event ones only while listened to).
  stream.on('thinking', (value) => {
    trace.push(`thinking ${value}`);
    step();
  });
  return {
    trace,
    get ticks() {
      return tick;
    },
    get iterated() {
      return iterated;
    },
  };
}

describe('MessageStream: the plain-delta path and its listeners', () => {
  it('Should remove the listeners of stream_event and tool_use by their camelCase aliases in removeAllListeners', async () => {
    const body = sse(payloads());
    server = await serve(body);
    const stream = client(server.baseURL).stream(params);
    const heard: string[] = [];
    stream.on('stream_event', (event) => heard.push(event.type));
    stream.on('toolUse', () => heard.push('tool_use'));
    stream.removeAllListeners('streamEvent');
    stream.removeAllListeners('toolUse');
    expect(stream.listenerCount('stream_event')).toBe(0);
    expect(stream.listenerCount('tool_use')).toBe(0);
    await stream.finalMessage();
    expect(heard).toEqual([]);
  });

  it('Should give listeners that come and go mid-stream what they get when every delta is an event', async () => {
    const body = sse(payloads());
    const want = reference(body);
    server = await serve(body);
    const fast = client(server.baseURL).stream(params);
    const slow = client(server.baseURL).stream(params);
    // An iterator from the start: every delta of `slow` is made into an event (the path with no shortcut).
    const everything = (async () => {
      const seen: MessageStreamEvent[] = [];
      for await (const event of slow) seen.push(event);
      return seen;
    })();
    const fastSeen = observe(fast);
    const slowSeen = observe(slow);
    const [fastMessage, slowMessage] = await Promise.all([fast.finalMessage(), slow.finalMessage()]);
    const { request_id: _a, ...fastRest } = fastMessage;
    const { request_id: _b, ...slowRest } = slowMessage;
    expect(fastRest).toEqual(want.message);
    expect(slowRest).toEqual(want.message);
    expect(await everything).toEqual(want.events);
    expect(fastSeen.trace).toEqual(slowSeen.trace);
    expect(await fastSeen.iterated).toEqual(await slowSeen.iterated);
    // The schedule did what it is for: events and text handed on, and not, in every stretch.
    const kinds = new Set(fastSeen.trace.map((line) => line.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['stream_event', 'text', 'thinking', 'tool_use']);
    expect(fastSeen.ticks).toBeGreaterThan(3 * 14);
    expect((await fastSeen.iterated).length).toBeGreaterThan(0);
    expect(fastSeen.trace.filter((line) => line.startsWith('stream_event')).length).toBeLessThan(want.events.length);
    // A text listener's snapshot is its block's text so far, however late it was attached.
    for (const line of fastSeen.trace.filter((entry) => entry.startsWith('text '))) {
      const [value, snapshot] = line.slice(5).split(' | ') as [string, string];
      expect(want.snapshots).toContain(snapshot);
      expect(snapshot.endsWith(value)).toBe(true);
    }
  });

  it('Should read the same message and events from a body cut in two at every byte, listened to or not', async () => {
    const body = Buffer.from(sse(payloads().slice(0, 12).concat(payloads().slice(-2))));
    const want = reference(body.toString());
    for (let cut = 0; cut <= body.length; cut += 1) {
      for (const listening of [false, true, 'alternating'] as const) {
        const response = new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new Uint8Array(body.subarray(0, cut)));
              controller.enqueue(new Uint8Array(body.subarray(cut)));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
        const events: MessageStreamEvent[] = [];
        let asked = 0;
        const message = await readSseMessage(response, {
          requestId: undefined,
          maxResponseBytes: 1 << 20,
          onEvent: (event) => events.push(event),
          wantsEvents: () => (listening === 'alternating' ? asked++ % 2 === 0 : listening),
        });
        expect(message).toEqual(want.message);
        let plain = 0;
        const handed = want.events.filter((event) =>
          isPlain(event) ? (listening === 'alternating' ? plain++ % 2 === 0 : listening) : true,
        );
        expect(events).toEqual(handed);
      }
    }
  });
});
