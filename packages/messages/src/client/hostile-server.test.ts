import type { ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopguardError } from '../errors/errors.js';
import {
  type HttpTestServer,
  type RecordedRequest,
  sendJson,
  sendSse,
  shortStreamEvents,
  startHttpTestServer,
  textReply,
} from '../test-support/http-test-server.js';
import { MessagesClient } from './messages-client.js';
import type { Middleware } from './middleware.js';

const apiKey = 'sk-hostile-echo-0123456789abcdef';

let servers: HttpTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** The key as the server received it, from whichever header carried it. */
function keyOf(request: RecordedRequest): string {
  const authorization = String(request.headers.authorization ?? '');
  return authorization.replace(/^Bearer /, '') || String(request.headers['x-api-key'] ?? '');
}

/** Everything a caller can see of a run: log lines, hook contexts, errors whole (fields, cause chain, inspect). */
class Seen {
  readonly chunks: string[] = [];
  readonly logger = pino(
    { level: 'debug' },
    new Writable({
      write: (chunk, _encoding, callback) => {
        this.chunks.push(String(chunk));
        callback();
      },
    }),
  );
  readonly middleware: Middleware = {
    onRetry: (context) => this.add(context),
    onError: (context) => this.add(context),
    afterResponse: (context) => this.add(context),
  };

  add(value: unknown): void {
    this.chunks.push(inspect(value, { depth: 8, showHidden: true, getters: true }));
    let error: unknown = value;
    for (let depth = 0; typeof error === 'object' && error !== null && depth < 10; depth += 1) {
      const { code, type, requestId, message, stack } = error as Record<string, unknown>;
      this.chunks.push(JSON.stringify({ code, type, requestId, message, stack }));
      error = (error as { cause?: unknown }).cause ?? (error as { error?: unknown }).error;
    }
  }

  leaks(): number {
    return this.chunks.filter((chunk) => chunk.includes(apiKey)).length;
  }
}

async function capture(seen: Seen, call: () => Promise<unknown>): Promise<unknown> {
  try {
    seen.add(await call());
    return undefined;
  } catch (error) {
    seen.add(error);
    return error;
  }
}

function client(baseURL: string, seen: Seen, extra: Partial<ConstructorParameters<typeof MessagesClient>[0]> = {}) {
  return new MessagesClient({
    apiKey,
    baseURL,
    retryBaseDelayMs: 1,
    maxRetries: 1,
    logger: seen.logger,
    logContent: true,
    ...extra,
  }).use(seen.middleware);
}

/** An error answer with the key in every field the server controls. */
function echoError(status: number) {
  return (request: RecordedRequest, response: ServerResponse) => {
    const key = keyOf(request);
    sendJson(
      response,
      status,
      { error: { code: `code_${key}`, type: `type_${key}`, message: `bad key ${key}` } },
      { 'x-request-id': `req_${key}`, 'request-id': `req_${key}`, 'retry-after-ms': '1' },
    );
  };
}

describe('a hostile server echoing the key', () => {
  it.each([400, 401, 429, 500, 503, 418])(
    'Should keep the key out of a %i error: code, type, requestId, message, logs, onRetry and onError',
    async (status) => {
      const seen = new Seen();
      const server = await startHttpTestServer(echoError(status));
      servers.push(server);
      const error = await capture(seen, () =>
        client(server.baseURL, seen).create({ messages: [{ role: 'user', content: 'hi' }] }),
      );
      expect(isLoopguardError(error)).toBe(true);
      expect((error as { status: number }).status).toBe(status);
      expect((error as { code: string }).code).toContain('[redacted]');
      expect((error as { requestId: string }).requestId).toBe('req_[redacted]');
      // The key really went out and really came back: the check above could fail.
      expect(server.requests.length).toBeGreaterThan(0);
      expect(seen.chunks.length).toBeGreaterThan(2);
      expect(seen.leaks()).toBe(0);
    },
  );

  it('Should keep the key out of a StreamError from an SSE `error` event, retried and final', async () => {
    const seen = new Seen();
    const server = await startHttpTestServer((request, response) => {
      const key = keyOf(request);
      response.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_${key}` });
      const error = { type: 'overloaded_error', code: `code_${key}`, message: `echo ${key}` };
      response.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error })}\n\n`);
    });
    servers.push(server);
    const error = await capture(seen, () =>
      client(server.baseURL, seen)
        .stream({ messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage(),
    );
    expect((error as Error).name).toBe('StreamError');
    expect((error as Error).message).toContain('[redacted]');
    expect(server.requests).toHaveLength(2);
    expect(seen.leaks()).toBe(0);
  });

  it('Should keep the key out of the request id of a good answer and of the log lines about it', async () => {
    const seen = new Seen();
    const server = await startHttpTestServer((request, response) =>
      sendSse(response, shortStreamEvents(), { 'x-request-id': `req_${keyOf(request)}` }),
    );
    servers.push(server);
    const message = await client(server.baseURL, seen)
      .stream({ messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    seen.add(message);
    expect(message.request_id).toBe('req_[redacted]');
    expect(seen.chunks.some((chunk) => chunk.includes('req_[redacted]'))).toBe(true);
    expect(seen.leaks()).toBe(0);
  });
});

/** A raw TCP server answering every request with bytes no HTTP parser accepts, the key among them. */
async function startMalformedServer(): Promise<{ baseURL: string; close: () => Promise<void> }> {
  const server = createNetServer((socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += String(chunk);
      const key = /authorization: Bearer (\S+)/i.exec(head)?.[1];
      if (key === undefined || !head.includes('\r\n\r\n')) return;
      socket.end(`HTTP/1.1 200 OK\r\nx-request-id: req_${key}\r\nbroken line ${key}\r\n\r\n{}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a server answering bytes no parser accepts, the key among them', () => {
  it.each([
    ['the default transport', {}],
    ['the global fetch', { fetch: globalThis.fetch }],
  ])(
    'Should keep the key out of the connection error through %s (the parser quotes what it refused)',
    async (_, extra) => {
      const seen = new Seen();
      const server = await startMalformedServer();
      try {
        const error = await capture(seen, () =>
          client(server.baseURL, seen, extra).create({ messages: [{ role: 'user', content: 'hi' }] }),
        );
        expect((error as Error).name).toBe('ConnectionError');
        expect(seen.chunks.length).toBeGreaterThan(2);
        expect(seen.leaks()).toBe(0);
      } finally {
        await server.close();
      }
    },
  );
});

describe('redirects', () => {
  it('Should never send the key to another origin (x-api-key, 307), and refuse with a RedirectError', async () => {
    const seen = new Seen();
    const elsewhere = await startHttpTestServer((_request, response) => sendJson(response, 200, {}));
    const server = await startHttpTestServer((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.baseURL}/messages` });
      response.end();
    });
    servers.push(server, elsewhere);
    const error = await capture(seen, () =>
      client(server.baseURL, seen, { authHeader: 'x-api-key' }).create({ messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect((error as Error).name).toBe('RedirectError');
    expect((error as { code: string }).code).toBe('redirect_refused');
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect(elsewhere.requests).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it.each([0, 1, 100_000])(
    'Should follow a 307 within the base URL origin (with %i bytes of body), sending the same method and body',
    async (size) => {
      const seen = new Seen();
      const server = await startHttpTestServer((request, response) => {
        if (request.url === '/v1/messages') {
          // The redirect's own body is dropped unread: its stream is cancelled while bytes may still arrive.
          response.writeHead(307, { location: '/v2/messages', 'content-type': 'text/html' });
          response.end('x'.repeat(size));
          return;
        }
        sendJson(response, 200, textReply({ id: 'm', content: [{ type: 'text', text: 'moved' }] }));
      });
      servers.push(server);
      const message = await client(server.baseURL, seen).create({ messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content).toEqual([{ type: 'text', text: 'moved' }]);
      expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
        'POST /v1/messages',
        'POST /v2/messages',
      ]);
      expect(server.requests[1]?.json).toEqual(server.requests[0]?.json);
    },
  );

  it('Should refuse a 302 (it would turn the POST into a GET) even within the origin', async () => {
    const seen = new Seen();
    const server = await startHttpTestServer((_request, response) => {
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    });
    servers.push(server);
    const error = await capture(seen, () =>
      client(server.baseURL, seen).create({ messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect((error as Error).name).toBe('RedirectError');
    expect(server.requests).toHaveLength(1);
  });
});
