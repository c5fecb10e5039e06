import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  type APIError,
  AuthenticationError,
  ConfigurationError,
  ContextWindowError,
  InsufficientCreditsError,
  InternalServerError,
  InvalidRequestError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  SpendLimitError,
  StreamError,
  TimeoutError,
  UpstreamError,
} from '../errors/errors.js';
import {
  fullStreamEvents,
  type HttpTestServer,
  sendJson,
  sendSse,
  shortStreamEvents,
  sseEvent,
  startHttpTestServer,
} from '../test-support/http-test-server.js';
import { MessagesClient } from './messages-client.js';

const apiKey = 'sk-test-secret-key-0123456789';
const message = {
  role: 'assistant',
  type: 'message',
  id: 'msg_bbb',
  model: 'claude-opus-4-6',
  stop_reason: 'end_turn',
  content: [{ type: 'text', text: 'Quantum computing uses qubits...' }],
  usage: { input_tokens: 20, output_tokens: 661 },
  credits_consumed: 1.66,
};
const params = { messages: [{ role: 'user' as const, content: 'Explain quantum computing' }] };

let server: HttpTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(baseURL: string, extra: Partial<ConstructorParameters<typeof MessagesClient>[0]> = {}) {
  return new MessagesClient({ apiKey, baseURL, retryBaseDelayMs: 1, ...extra });
}

function gatewayError(code: string, type: string, message = `${code} happened`) {
  return { error: { code, message, type } };
}

describe('MessagesClient construction', () => {
  it('Should refuse a key that does not start with sk- without echoing it', () => {
    const badKey = 'pk-live-abcdef123456';
    let caught: unknown;
    try {
      new MessagesClient({ apiKey: badKey, baseURL: 'http://127.0.0.1:1/v1' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toMatch(/apiKey/);
    expect((caught as Error).message).not.toContain(badKey);
  });

  it('Should refuse a missing key, a key with whitespace and a bad maxRetries, naming the field', () => {
    const saved = process.env.LOOPGUARD_API_KEY;
    delete process.env.LOOPGUARD_API_KEY;
    try {
      expect(() => new MessagesClient({ baseURL: 'http://x/v1' })).toThrow(/apiKey/);
    } finally {
      if (saved !== undefined) process.env.LOOPGUARD_API_KEY = saved;
    }
    expect(() => new MessagesClient({ apiKey: 'sk-abc def', baseURL: 'http://x/v1' })).toThrow(/whitespace/);
    expect(() => new MessagesClient({ apiKey, baseURL: 'http://x/v1', maxRetries: -1 })).toThrow(/maxRetries/);
  });

  it('Should read the key and base URL from the environment', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, message));
    process.env.LOOPGUARD_API_KEY = apiKey;
    process.env.LOOPGUARD_BASE_URL = server.baseURL;
    try {
      await new MessagesClient().create(params);
    } finally {
      delete process.env.LOOPGUARD_API_KEY;
      delete process.env.LOOPGUARD_BASE_URL;
    }
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
  });
});

describe('MessagesClient.create', () => {
  it('Should send stream:false explicitly with the default model and keep credits_consumed and the request id', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, message, { 'x-request-id': 'req_42' }));
    const result = await client(server.baseURL).create({ ...params, temperature: 0.2, metadata: { user_id: 'u1' } });
    expect(result.credits_consumed).toBe(1.66);
    expect(result.request_id).toBe('req_42');
    const sent = server.requests[0];
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.json).toMatchObject({
      model: 'claude-opus-4-6',
      stream: false,
      temperature: 0.2,
      metadata: { user_id: 'u1' },
    });
  });

  it('Should pass multimodal image blocks through untouched', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, message));
    const content = [
      { type: 'text' as const, text: 'What is in this image?' },
      { type: 'image' as const, source: { type: 'url' as const, url: 'https://example.com/photo.jpg' } },
      { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ];
    await client(server.baseURL).create({ messages: [{ role: 'user', content }] });
    expect((server.requests[0]!.json as { messages: Array<{ content: unknown }> }).messages[0]?.content).toEqual(
      content,
    );
  });

  const table = [
    {
      status: 400,
      code: 'invalid_request',
      type: 'invalid_request_error',
      error: InvalidRequestError,
      retryable: false,
    },
    {
      status: 401,
      code: 'invalid_api_key',
      type: 'authentication_error',
      error: AuthenticationError,
      retryable: false,
    },
    {
      status: 402,
      code: 'insufficient_credits',
      type: 'billing_error',
      error: InsufficientCreditsError,
      retryable: false,
    },
    { status: 403, code: 'ip_not_allowed', type: 'permission_error', error: PermissionDeniedError, retryable: false },
    { status: 404, code: 'model_not_found', type: 'invalid_request_error', error: NotFoundError, retryable: false },
    { status: 404, code: 'task_not_found', type: 'invalid_request_error', error: NotFoundError, retryable: false },
    { status: 429, code: 'rate_limit_exceeded', type: 'rate_limit_error', error: RateLimitError, retryable: true },
    { status: 429, code: 'spend_limit_exceeded', type: 'billing_error', error: SpendLimitError, retryable: false },
    { status: 500, code: 'internal_error', type: 'api_error', error: InternalServerError, retryable: true },
    { status: 503, code: 'upstream_error', type: 'upstream_error', error: UpstreamError, retryable: true },
  ];

  for (const row of table) {
    it(`Should turn ${row.status} ${row.code} into ${row.error.name} and ${row.retryable ? 'retry it' : 'never retry it'}`, async () => {
      server = await startHttpTestServer((_req, res) =>
        sendJson(res, row.status, gatewayError(row.code, row.type), { 'x-request-id': 'req_err' }),
      );
      const error = await client(server.baseURL, { maxRetries: 2 })
        .create(params)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(row.error);
      expect(error).toMatchObject({
        status: row.status,
        code: row.code,
        type: row.type,
        requestId: 'req_err',
        retryable: row.retryable,
      });
      expect(server.requests).toHaveLength(row.retryable ? 3 : 1);
    });
  }

  it('Should give insufficient credits and spend limits the budget_exceeded stop reason', async () => {
    server = await startHttpTestServer((_req, res) =>
      sendJson(res, 402, gatewayError('insufficient_credits', 'billing_error')),
    );
    const error = (await client(server.baseURL)
      .create(params)
      .catch((e: unknown) => e)) as APIError;
    expect(error.stopReason).toBe('budget_exceeded');
  });

  it("Should read Anthropic's error body and an HTML page from a proxy", async () => {
    server = await startHttpTestServer((_req, res, index) => {
      if (index === 0)
        sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too big' } });
      else {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><head><title>502</title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>');
      }
    });
    const c = client(server.baseURL, { maxRetries: 0 });
    const anthropic = await c.create(params).catch((e: unknown) => e);
    expect(anthropic).toBeInstanceOf(InvalidRequestError);
    expect((anthropic as Error).message).toContain('max_tokens: too big');
    const html = await c.create(params).catch((e: unknown) => e);
    expect(html).toBeInstanceOf(InternalServerError);
    expect((html as Error).message).toMatch(/Bad Gateway nginx/);
    expect((html as Error).message).not.toContain('<h1>');
  });

  it('Should retry a 500 then succeed', async () => {
    server = await startHttpTestServer((_req, res, index) =>
      index < 2 ? sendJson(res, 500, gatewayError('internal_error', 'api_error')) : sendJson(res, 200, message),
    );
    const result = await client(server.baseURL).create(params);
    expect(result.id).toBe('msg_bbb');
    expect(server.requests).toHaveLength(3);
  });

  it('Should wait as long as retry-after-ms asks before retrying a 429', async () => {
    const times: number[] = [];
    server = await startHttpTestServer((_req, res, index) => {
      times.push(performance.now());
      if (index === 0)
        sendJson(res, 429, gatewayError('rate_limit_exceeded', 'rate_limit_error'), { 'retry-after-ms': '300' });
      else sendJson(res, 200, message);
    });
    await client(server.baseURL).create(params);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('Should retry a connection reset before headers', async () => {
    server = await startHttpTestServer((req, res, index) => {
      if (index === 0) res.socket?.destroy();
      else sendJson(res, 200, message);
      void req;
    });
    const result = await client(server.baseURL).create(params);
    expect(result.id).toBe('msg_bbb');
    expect(server.requests).toHaveLength(2);
  });

  it('Should raise InvalidResponseError for a 200 that is not a message', async () => {
    server = await startHttpTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await expect(client(server.baseURL).create(params)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('Should refuse locally an input larger than the context window', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, message));
    const huge = 'x'.repeat(900_000);
    await expect(client(server.baseURL).create({ messages: [{ role: 'user', content: huge }] })).rejects.toBeInstanceOf(
      ContextWindowError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('Should check a thread continue against the context window from its threadContext, and allow it no new message', async () => {
    server = await startHttpTestServer((_req, res) => sendJson(res, 200, message));
    const continued = { type: 'continue' as const, previous_message_id: 'msg_1' };
    const huge = [{ role: 'user' as const, content: 'x'.repeat(900_000) }];
    const refused = client(server.baseURL).create(
      { messages: [{ role: 'user', content: 'go on' }], thread: continued },
      { threadContext: { messages: huge } },
    );
    await expect(refused).rejects.toBeInstanceOf(ContextWindowError);
    expect(server.requests).toHaveLength(0);
    const empty = await client(server.baseURL).create(
      { messages: [], thread: continued },
      { threadContext: { messages: [{ role: 'user', content: 'hi' }] } },
    );
    expect(empty.id).toBe(message.id);
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).toMatchObject({ messages: [], thread: continued });
    await expect(
      client(server.baseURL).create({ messages: [] }, { threadContext: { messages: [] } }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    await expect(client(server.baseURL).create(params, { threadContext: { messages: 'no' as never } })).rejects.toThrow(
      /options\.threadContext\.messages/,
    );
  });

  it('Should stop retrying at once when aborted', async () => {
    server = await startHttpTestServer((_req, res) =>
      sendJson(res, 429, gatewayError('rate_limit_exceeded', 'rate_limit_error'), { 'retry-after': '30' }),
    );
    const controller = new AbortController();
    const pending = client(server.baseURL, { maxRetries: 5 }).create(params, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('MessagesClient.stream', () => {
  it('Should send stream:true and build the final message of the gateway short form', async () => {
    server = await startHttpTestServer((_req, res) => sendSse(res, shortStreamEvents(), { 'request-id': 'req_s' }));
    const stream = client(server.baseURL).stream(params);
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const final = await stream.finalMessage();
    expect((server.requests[0]!.json as { stream: boolean }).stream).toBe(true);
    expect(texts).toEqual(['Quantum', ' computing']);
    expect(final.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(final.usage).toEqual({ input_tokens: 12, output_tokens: 86 });
    expect(final.request_id).toBe('req_s');
  });

  it('Should give text listeners the block’s text so far, also when they attach mid-block, and reset it per block', async () => {
    const events = [
      {
        type: 'message_start',
        message: {
          id: 'msg_s',
          type: 'message',
          role: 'assistant',
          model: 'claude-opus-4-6',
          content: [],
          stop_reason: null,
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...['One', ' two', ' three'].map((text) => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      })),
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      ...['Four', ' five'].map((text) => ({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'text_delta', text },
      })),
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } },
      { type: 'message_stop' },
    ];
    server = await startHttpTestServer((_req, res) => sendSse(res, events));
    const stream = client(server.baseURL).stream(params);
    const early: string[] = [];
    const late: string[] = [];
    const lateListener = (_delta: string, snapshot: string) => late.push(snapshot);
    stream.on('streamEvent', (event) => {
      const delta = (event as { delta?: { text?: string } }).delta;
      // Attach after the first delta of block 0 was emitted; detach for block 1's first delta, then re-attach.
      if (delta?.text === 'One') stream.on('text', lateListener);
      if (event.type === 'content_block_start' && (event as { index: number }).index === 1)
        stream.off('text', lateListener);
      if (delta?.text === 'Four') stream.on('text', lateListener);
    });
    stream.on('text', (_delta, snapshot) => early.push(snapshot));
    await stream.finalMessage();
    expect(early).toEqual(['One', 'One two', 'One two three', 'Four', 'Four five']);
    expect(late).toEqual(['One two', 'One two three', 'Four five']);
  });

  it('Should iterate a full Anthropic stream with thinking and a tool_use, emitting tool_use once whole', async () => {
    server = await startHttpTestServer((_req, res) => sendSse(res, fullStreamEvents()));
    const stream = client(server.baseURL).stream({ ...params, thinkingFlag: true });
    const thinking: string[] = [];
    const tools: unknown[] = [];
    const viaOldName: unknown[] = [];
    const dropped: unknown[] = [];
    const drop = (block: unknown) => dropped.push(block);
    stream.on('thinking', (delta) => thinking.push(delta));
    stream.on('tool_use', (block) => tools.push(block));
    // The earlier camelCase name is the same listener list: it hears the event, and off() by either name removes.
    stream.on('toolUse', (block) => viaOldName.push(block));
    stream.on('tool_use', drop);
    stream.off('toolUse', drop);
    expect(stream.listenerCount('tool_use')).toBe(2);
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const final = await stream.finalMessage();
    expect(types).toEqual(fullStreamEvents().map((e) => e.type));
    expect(thinking.join('')).toBe('The user wants the weather.');
    expect(tools).toEqual([
      { type: 'tool_use', id: 'toolu_1', name: 'get_current_weather', input: { location: 'Boston, MA' } },
    ]);
    expect(viaOldName).toEqual(tools);
    expect(dropped).toEqual([]);
    expect(final.stop_reason).toBe('tool_use');
    expect((server.requests[0]!.json as { thinkingFlag: boolean }).thinkingFlag).toBe(true);
  });

  it('Should decode a stream delivered one byte per write with CRLF line ends', async () => {
    server = await startHttpTestServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const bytes = Buffer.from(fullStreamEvents().map(sseEvent).join('').replaceAll('\n', '\r\n'));
      for (let i = 0; i < bytes.length; i += 1) {
        res.write(bytes.subarray(i, i + 1));
        if (i % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
    const final = await client(server.baseURL).stream(params).finalMessage();
    expect(final.content).toHaveLength(3);
  });

  it('Should retry a stream cut before any event was handed on, and fail with StreamError when cut after', async () => {
    const cut = fullStreamEvents().slice(0, 5).map(sseEvent).join('');
    server = await startHttpTestServer((_req, res, index) => {
      if (index === 0) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(cut);
      } else sendSse(res, fullStreamEvents());
    });
    const final = await client(server.baseURL).stream(params).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(server.requests).toHaveLength(2);

    await server.close();
    server = await startHttpTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(cut);
    });
    const watched = client(server.baseURL).stream(params);
    watched.on('thinking', () => undefined);
    await expect(watched.finalMessage()).rejects.toBeInstanceOf(StreamError);
    expect(server.requests).toHaveLength(1);
  });

  it('Should time out a stream that goes idle and retry it', async () => {
    server = await startHttpTestServer((_req, res, index) => {
      if (index === 0) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': waiting\n\n');
      } else sendSse(res, shortStreamEvents());
    });
    const final = await client(server.baseURL, { idleTimeoutMs: 150 }).stream(params).finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(server.requests).toHaveLength(2);
  });

  it('Should keep a slow stream alive past the idle timeout while its chunks keep coming', async () => {
    server = await startHttpTestServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Eight keep-alive comments 50 ms apart: 400 ms in all, no gap near the 150 ms idle timeout.
      for (let i = 0; i < 8; i += 1) {
        res.write(': tick\n\n');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      res.end(shortStreamEvents().map(sseEvent).join(''));
    });
    const started = Date.now();
    const final = await client(server.baseURL, { idleTimeoutMs: 150, maxRetries: 0 }).stream(params).finalMessage();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(final.content).toEqual([{ type: 'text', text: 'Quantum computing' }]);
    expect(server.requests).toHaveLength(1);
  });

  it('Should fail with TimeoutError when every attempt goes idle', async () => {
    server = await startHttpTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': waiting\n\n');
    });
    const error = await client(server.baseURL, { idleTimeoutMs: 100, maxRetries: 1 })
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'idle_timeout' });
  });

  it('Should end with AbortedError when aborted mid-stream', async () => {
    server = await startHttpTestServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(fullStreamEvents().slice(0, 4).map(sseEvent).join(''));
    });
    const stream = client(server.baseURL).stream(params);
    stream.on('thinking', () => stream.abort());
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });

  it('Should leave no abort listener behind on a signal shared by many calls', async () => {
    server = await startHttpTestServer((_req, res, index) =>
      index % 2 === 0 ? sendSse(res, shortStreamEvents()) : sendJson(res, 200, message),
    );
    const controller = new AbortController();
    const c = client(server.baseURL);
    for (let i = 0; i < 12; i += 1) {
      await c.stream(params, { signal: controller.signal }).finalMessage();
      await c.create(params, { signal: controller.signal });
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('Should raise a typed StreamError for an error event in the middle of a stream', async () => {
    server = await startHttpTestServer((_req, res) =>
      sendSse(res, [
        ...shortStreamEvents().slice(0, 2),
        { type: 'error', error: { type: 'invalid_request_error', message: 'bad things' } },
      ]),
    );
    const stream = client(server.baseURL).stream(params);
    stream.on('text', () => undefined);
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as Error).message).toContain('bad things');
  });
});

describe('MessagesClient.getCredits and middleware', () => {
  it('Should read the balance from credits, balance or data.credits', async () => {
    const bodies = [{ credits: 12.5 }, { balance: '7' }, { data: { credits: 3 } }];
    server = await startHttpTestServer((_req, res, index) => sendJson(res, 200, bodies[index]));
    const c = client(server.baseURL);
    expect((await c.getCredits()).credits).toBe(12.5);
    expect((await c.getCredits()).credits).toBe(7);
    expect(await c.getCredits()).toEqual({ credits: 3, raw: { data: { credits: 3 } } });
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/v1/credits' });
  });

  it('Should let middleware change params, refuse a request, and see responses and errors', async () => {
    server = await startHttpTestServer((_req, res, index) =>
      index === 0
        ? sendJson(res, 200, message)
        : sendJson(res, 400, gatewayError('invalid_request', 'invalid_request_error')),
    );
    const seen: string[] = [];
    const c = client(server.baseURL).use({
      beforeRequest: (context) => {
        expect(Object.isFrozen(context)).toBe(true);
        if (context.params.system === 'refuse') throw new Error('refused by policy');
        return { ...context.params, max_tokens: 77 };
      },
      afterResponse: (context) => {
        seen.push(`ok:${context.message.id}`);
      },
      onError: (context) => {
        seen.push(`error:${(context.error as Error).name}`);
      },
    });
    await c.create(params);
    await expect(c.create(params)).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(c.create({ ...params, system: 'refuse' })).rejects.toThrow('refused by policy');
    expect((server.requests[0]!.json as { max_tokens: number }).max_tokens).toBe(77);
    expect(server.requests).toHaveLength(2);
    expect(seen).toEqual(['ok:msg_bbb', 'error:InvalidRequestError', 'error:Error']);
  });

  it('Should log one line per attempt with status and request id, and never the key', async () => {
    server = await startHttpTestServer((_req, res, index) => {
      if (index === 0)
        sendJson(res, 500, { error: { code: 'internal_error', message: `bad key ${apiKey}`, type: 'api_error' } });
      else sendJson(res, 200, message, { 'x-request-id': 'req_log' });
    });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const logger = pino({ level: 'debug' }, sink);
    const c = client(server.baseURL, { logger, logContent: true });
    await c.create(params);
    const failing = client(server.baseURL, { logger, maxRetries: 0 });
    server.requests.length = 0;
    const error = await failing.create(params).catch((e: unknown) => e);
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requestLines.map((l) => [l.status, l.attempt])).toEqual([
      [500, 1],
      [200, 2],
      [500, 1],
    ]);
    expect(requestLines[1].requestId).toBe('req_log');
    const everything = lines.join('\n') + String((error as Error).message);
    expect(everything).not.toContain(apiKey);
    expect((error as Error).message).toContain('[redacted]');
  });
});
