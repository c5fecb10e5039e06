import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TimeoutError } from '../errors/errors.js';
import {
  type HttpTestServer,
  sendJson,
  sendSse,
  shortStreamEvents,
  startHttpTestServer,
  textReply,
} from '../test-support/http-test-server.js';
import type { AttemptOutcome } from './attempt-outcome.js';
import { MessagesClient } from './messages-client.js';
import type { Middleware } from './middleware.js';

const apiKey = 'sk-test-attempt-outcome';
const params = { messages: [{ role: 'user' as const, content: 'hi' }] };
const message = textReply();

let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A middleware that records every attempt outcome it is given. */
function recorder() {
  const retries: AttemptOutcome[] = [];
  const errors: Array<AttemptOutcome | undefined> = [];
  const middleware: Middleware = {
    onRetry: ({ attempt }) => {
      retries.push(attempt);
    },
    onError: ({ attempt }) => {
      errors.push(attempt);
    },
  };
  return { retries, errors, middleware };
}

function client(baseURL: string, extra: Partial<ConstructorParameters<typeof MessagesClient>[0]> = {}) {
  return new MessagesClient({ apiKey, baseURL, retryBaseDelayMs: 1, ...extra });
}

describe('time-to-headers and idle limits', () => {
  it('Should not start the idle limit before the headers: a server that works long before answering is waited for', async () => {
    server = await startHttpTestServer(async (_request, response) => {
      // Six idle limits of silence before the headers, then the whole stream at once.
      await sleep(300);
      sendSse(response, shortStreamEvents());
    });
    const final = await client(server.baseURL, { idleTimeoutMs: 50, maxRetries: 0 }).stream(params).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
  });

  it('Should fail an attempt whose headers do not come within headersTimeoutMs, and say it may have been sent', async () => {
    server = await startHttpTestServer(() => undefined);
    const { errors, middleware } = recorder();
    const error = await client(server.baseURL, { headersTimeoutMs: 50, maxRetries: 0 })
      .use(middleware)
      .create(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'headers_timeout' });
    expect(errors).toEqual([
      { number: 1, requestSent: true, status: undefined, errorCode: 'headers_timeout', completed: false },
    ]);
  });

  it('Should take headersTimeoutMs per call, validated by name', async () => {
    server = await startHttpTestServer(() => undefined);
    const error = await client(server.baseURL, { maxRetries: 0 })
      .create(params, { headersTimeoutMs: 30 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'headers_timeout' });
    expect(() => client(server?.baseURL ?? '', { headersTimeoutMs: 0 })).toThrow(/headersTimeoutMs/);
    await expect(client(server.baseURL).create(params, { headersTimeoutMs: -1 })).rejects.toThrow(
      /options\.headersTimeoutMs/,
    );
  });

  it('Should run the idle limit once a stream has begun, with the status in the outcome', async () => {
    server = await startHttpTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': waiting\n\n');
    });
    const { errors, middleware } = recorder();
    const error = await client(server.baseURL, { idleTimeoutMs: 50, maxRetries: 0 })
      .use(middleware)
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'idle_timeout' });
    expect(errors).toEqual([
      { number: 1, requestSent: true, status: 200, errorCode: 'idle_timeout', completed: false },
    ]);
  });
});

describe('the attempt outcome given to middleware', () => {
  it('Should give onRetry the status and code of each failed attempt', async () => {
    server = await startHttpTestServer((_request, response, index) => {
      if (index === 0)
        sendJson(response, 503, { error: { code: 'upstream_error', message: 'x', type: 'upstream_error' } });
      else if (index === 1)
        sendJson(response, 500, { error: { code: 'internal_error', message: 'x', type: 'api_error' } });
      else sendJson(response, 200, message);
    });
    const { retries, errors, middleware } = recorder();
    await client(server.baseURL).use(middleware).create(params);
    expect(retries).toEqual([
      { number: 1, requestSent: true, status: 503, errorCode: 'upstream_error', completed: false },
      { number: 2, requestSent: true, status: 500, errorCode: 'internal_error', completed: false },
    ]);
    expect(errors).toEqual([]);
  });

  it('Should say a request was not sent when the connection was refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { errors, middleware } = recorder();
    const error = await client(`http://127.0.0.1:${port}/v1`, { maxRetries: 0 })
      .use(middleware)
      .create(params)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ConnectionError' });
    expect(errors).toEqual([
      { number: 1, requestSent: false, status: undefined, errorCode: 'connection_error', completed: false },
    ]);
  });

  it('Should give no attempt when the call was aborted before any was made', async () => {
    server = await startHttpTestServer((_request, response) => sendJson(response, 200, message));
    const { errors, middleware } = recorder();
    const controller = new AbortController();
    controller.abort();
    await expect(
      client(server.baseURL).use(middleware).create(params, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortedError' });
    expect(errors).toEqual([undefined]);
    expect(server.requests).toHaveLength(0);
  });
});
