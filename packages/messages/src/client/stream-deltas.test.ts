import { afterEach, describe, expect, it } from 'vitest';
import { StreamError } from '../errors/errors.js';
import {
  fullStreamEvents,
  type HttpTestServer,
  sendSse,
  sseEvent,
  startHttpTestServer,
} from '../test-support/http-test-server.js';
import { MessagesClient } from './messages-client.js';
import type { Middleware } from './middleware.js';

const apiKey = 'sk-test-stream-deltas-0123';
const params = { messages: [{ role: 'user' as const, content: 'hi' }] };
let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(baseURL: string, maxRetries = 0) {
  return new MessagesClient({ apiKey, baseURL, retryBaseDelayMs: 1, maxRetries });
}

/** Deltas handed to the callbacks, in order. */
function recorder() {
  const deltas: string[] = [];
  return {
    deltas,
    handlers: {
      onText: (delta: string) => deltas.push(`text:${delta}`),
      onThinking: (delta: string) => deltas.push(`thinking:${delta}`),
    },
  };
}

describe('client.streamDeltas: a streamed request without a MessageStream', () => {
  it('Should hand text and thinking deltas on in order and resolve with the message client.stream() gives', async () => {
    server = await startHttpTestServer((_request, response) => sendSse(response, fullStreamEvents()));
    const { deltas, handlers } = recorder();
    const message = await client(server.baseURL).streamDeltas(params, handlers);
    expect(deltas).toEqual(['thinking:The user wants ', 'thinking:the weather.', 'text:Let me ', 'text:check.']);
    expect(message).toEqual(await client(server.baseURL).stream(params).finalMessage());
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).toMatchObject({ stream: true });
  });

  it('Should retry a stream cut before any delta was handed on, and not one cut after', async () => {
    const events = fullStreamEvents();
    const cutAfter = (count: number) => events.slice(0, count).map(sseEvent).join('');
    let calls = 0;
    server = await startHttpTestServer((_request, response) => {
      calls += 1;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // First: cut before any delta; then whole; the third server is used by the second client below.
      response.end(calls === 1 ? cutAfter(2) : calls === 2 ? events.map(sseEvent).join('') : cutAfter(5));
    });
    const { deltas, handlers } = recorder();
    await client(server.baseURL, 2).streamDeltas(params, handlers);
    expect(calls).toBe(2);
    expect(deltas).toHaveLength(4);
    const cut = await client(server.baseURL, 2)
      .streamDeltas(params, recorder().handlers)
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(StreamError);
    expect(calls).toBe(3);
  });

  it('Should run middleware with kind `stream` and reject with the typed abort error', async () => {
    const kinds: string[] = [];
    const middleware: Middleware = { beforeRequest: ({ kind }) => void kinds.push(kind) };
    server = await startHttpTestServer(() => undefined);
    const controller = new AbortController();
    const pending = client(server.baseURL)
      .use(middleware)
      .streamDeltas(params, {}, { signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ code: 'aborted' });
    expect(kinds).toEqual(['stream']);
  });
});
