import { inspect } from 'node:util';
import { createBudget } from '@loopguard/budget';
import {
  APIError,
  ConfigurationError,
  ContextWindowError,
  InternalServerError,
  InvalidRequestError,
  InvalidResponseError,
  type Message,
  MessagesClient,
  NotFoundError,
  StreamError,
} from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { defineTool, runAgent, ToolDefinitionError, ToolRegistry } from '@loopguard/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { attackRows } from '../src/attack-rows.js';
import type { Row } from '../src/bad-input-row.js';
import { type RawHttpServer, sse, sseBody, startRawHttpServer } from '../src/raw-http-server.js';
import { errorFields } from '../src/secret-capture.js';

let gateway: MockGateway;
let raw: RawHttpServer;
beforeAll(async () => {
  gateway = await startMockGateway({ model: scriptedModel(Array.from({ length: 50 }, () => ({ text: 'ok' }))) });
  raw = await startRawHttpServer();
});
afterAll(async () => {
  await gateway.close();
  await raw.close();
});

const key = 'sk-bad-input-test';
const user = (content: unknown) => ({ messages: [{ role: 'user', content }] }) as never;
const mock = () => new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, maxRetries: 0 });
const rawClient = (extra: Record<string, unknown> = {}) =>
  new MessagesClient({ apiKey: key, baseURL: raw.baseURL, maxRetries: 0, ...extra });
const noop = () => 'ok';
const start = {
  type: 'message_start',
  message: { id: 'm', model: 'claude-opus-4-6', usage: { input_tokens: 3, output_tokens: 1 } },
};
const delta = (text: string) => ({ type: 'content_block_delta', delta: { type: 'text_delta', text } });
const end = [
  { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 2 } },
  { type: 'message_stop' },
];
const body = (blocks: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'm',
  type: 'message',
  role: 'assistant',
  model: 'claude-opus-4-6',
  content: blocks,
  stop_reason: 'end_turn',
  usage: { input_tokens: 1, output_tokens: 1 },
  ...extra,
});
const json = (status: number, value: unknown) => (response: import('node:http').ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(typeof value === 'string' ? value : JSON.stringify(value));
};
const streamOf = (text: string) => (response: import('node:http').ServerResponse) => sseBody(response, text);
const viaStream = async (answer: RawHttpServer['answer']) => {
  raw.answer = answer;
  return rawClient().stream(user('hi')).finalMessage();
};
const viaCreate = async (answer: RawHttpServer['answer'], extra: Record<string, unknown> = {}) => {
  raw.answer = answer;
  return rawClient(extra).create(user('hi'));
};

const rows: Row[] = [
  // Keys
  {
    area: 'key',
    name: 'empty',
    run: () => new MessagesClient({ apiKey: '', baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'key',
    name: 'no sk- prefix',
    run: () => new MessagesClient({ apiKey: 'pk-abc123', baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'key',
    name: 'leading whitespace',
    run: () => new MessagesClient({ apiKey: ' sk-abc123', baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'key',
    name: 'inner whitespace',
    run: () => new MessagesClient({ apiKey: 'sk-abc 123', baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'key',
    name: 'trailing newline',
    run: () => new MessagesClient({ apiKey: 'sk-abc123\n', baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'key',
    name: 'not a string',
    run: () => new MessagesClient({ apiKey: 42 as never, baseURL: 'http://127.0.0.1:1/v1' }),
    expected: ConfigurationError,
  },
  // Client options
  {
    area: 'options',
    name: 'negative maxRetries',
    run: () => new MessagesClient({ apiKey: key, maxRetries: -1 }),
    expected: ConfigurationError,
  },
  {
    area: 'options',
    name: 'baseURL not a URL',
    run: () => new MessagesClient({ apiKey: key, baseURL: 'not a url' }),
    expected: ConfigurationError,
  },
  {
    area: 'options',
    name: 'baseURL not http',
    run: () => new MessagesClient({ apiKey: key, baseURL: 'ftp://example.com/v1' }),
    expected: ConfigurationError,
  },
  {
    area: 'options',
    name: 'zero timeoutMs',
    run: () => new MessagesClient({ apiKey: key, timeoutMs: 0 }),
    expected: ConfigurationError,
  },
  // Tool definitions
  {
    area: 'tool',
    name: 'non-object root',
    run: () => defineTool({ name: 't', description: 'd', input: z.string() as never, execute: noop }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'array root',
    run: () => defineTool({ name: 't', description: 'd', input: z.array(z.string()) as never, execute: noop }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'name with a space',
    run: () => defineTool({ name: 'bad name', description: 'd', input: z.object({}), execute: noop }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'name of 65 characters',
    run: () => defineTool({ name: 'n'.repeat(65), description: 'd', input: z.object({}), execute: noop }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'empty description',
    run: () => defineTool({ name: 't', description: '', input: z.object({}), execute: noop }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'no execute',
    run: () => defineTool({ name: 't', description: 'd', input: z.object({}), execute: undefined as never }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'negative timeout',
    run: () => defineTool({ name: 't', description: 'd', input: z.object({}), execute: noop, timeoutMs: -5 }),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'duplicate name in a registry',
    run: () =>
      new ToolRegistry([
        defineTool({ name: 't', description: 'd', input: z.object({}), execute: noop }),
        defineTool({ name: 't', description: 'd', input: z.object({}), execute: noop }),
      ]),
    expected: ToolDefinitionError,
  },
  {
    area: 'tool',
    name: 'recursive schema (accepted, with $ref)',
    run: () => {
      const Node: z.ZodType<{ name: string; children: unknown[] }> = z.lazy(() =>
        z.object({ name: z.string(), children: z.array(Node) }),
      );
      return defineTool({ name: 'tree', description: 'a tree', input: z.object({ root: Node }), execute: noop });
    },
    expected: (tool) => expect(JSON.stringify((tool as { inputSchema: unknown }).inputSchema)).toContain('$ref'),
  },
  // Request params
  { area: 'params', name: 'no messages', run: () => mock().create({ messages: [] }), expected: ConfigurationError },
  {
    area: 'params',
    name: 'messages not an array',
    run: () => mock().create({ messages: 'hi' as never }),
    expected: ConfigurationError,
  },
  { area: 'params', name: 'empty string content', run: () => mock().create(user('')), expected: InvalidRequestError },
  { area: 'params', name: 'empty content array', run: () => mock().create(user([])), expected: InvalidRequestError },
  {
    area: 'params',
    name: 'tool_result with no matching tool_use',
    run: () => mock().create(user([{ type: 'tool_result', tool_use_id: 'toolu_none', content: 'x' }])),
    expected: InvalidRequestError,
  },
  {
    area: 'params',
    name: 'tool_use with no tool_result',
    run: () =>
      mock().create({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'x', input: {} }] },
          { role: 'user', content: 'b' },
        ],
      }),
    expected: InvalidRequestError,
  },
  {
    area: 'params',
    name: 'unknown role',
    run: () => mock().create({ messages: [{ role: 'system' as never, content: 'x' }] }),
    expected: InvalidRequestError,
  },
  {
    area: 'params',
    name: 'unknown model',
    run: () => mock().create({ messages: [{ role: 'user', content: 'hi' }], model: 'gpt-4o' }),
    expected: NotFoundError,
  },
  {
    area: 'params',
    name: 'input past the context window',
    run: () => mock().create(user('x'.repeat(1_000_000))),
    expected: ContextWindowError,
  },
  {
    area: 'params',
    name: 'runAgent without prompt or messages',
    run: () => runAgent({ client: mock() }),
    expected: ConfigurationError,
  },
  {
    area: 'params',
    name: 'runAgent maxTurns 0',
    run: () => runAgent({ client: mock(), prompt: 'x', maxTurns: 0 }),
    expected: ConfigurationError,
  },
  {
    area: 'params',
    name: 'budget with a negative limit',
    run: () => createBudget({ limit: { usd: -1 } }),
    expected: ConfigurationError,
  },
  // Responses
  {
    area: 'response',
    name: 'non-JSON 200',
    run: () => viaCreate(json(200, '<html>maintenance</html>')),
    expected: InvalidResponseError,
  },
  {
    area: 'response',
    name: 'JSON of the wrong shape',
    run: () => viaCreate(json(200, { hello: 'world' })),
    expected: InvalidResponseError,
  },
  {
    area: 'response',
    name: 'an unknown content block (kept)',
    run: () => viaCreate(json(200, body([{ type: 'hologram', payload: 1 }]))),
    expected: (message) => expect((message as Message).content).toEqual([{ type: 'hologram', payload: 1 }]),
  },
  {
    area: 'response',
    name: 'an unknown stop reason (kept)',
    run: () => viaCreate(json(200, body([{ type: 'text', text: 'x' }], { stop_reason: 'solar_flare' }))),
    expected: (message) => expect((message as Message).stop_reason).toBe('solar_flare'),
  },
  {
    area: 'response',
    name: 'a huge response',
    run: () => viaCreate(json(200, body([{ type: 'text', text: 'x'.repeat(10_000) }])), { maxResponseBytes: 4096 }),
    expected: InvalidResponseError,
    code: 'response_too_large',
  },
  {
    area: 'response',
    name: '500 with an HTML page',
    run: () =>
      viaCreate((r) => {
        r.writeHead(500, { 'content-type': 'text/html' });
        r.end('<h1>Oops</h1>');
      }),
    expected: InternalServerError,
  },
  {
    area: 'response',
    name: 'a status outside the table',
    run: () => viaCreate(json(418, { error: { code: 'teapot', message: 'short and stout', type: 'odd_error' } })),
    expected: APIError,
  },
  // SSE
  {
    area: 'sse',
    name: 'an event without data (ignored)',
    run: () => viaStream(streamOf(`event: ping\n\n${[start, delta('hi'), ...end].map((e) => sse(e)).join('')}`)),
    expected: (message) => expect((message as Message).content).toEqual([{ type: 'text', text: 'hi' }]),
  },
  {
    area: 'sse',
    name: 'data without an event line',
    run: () => viaStream(streamOf([start, delta('hi'), ...end].map((e) => `data: ${JSON.stringify(e)}\n\n`).join(''))),
    expected: (message) => expect((message as Message).content).toEqual([{ type: 'text', text: 'hi' }]),
  },
  {
    area: 'sse',
    name: 'events out of order (a delta before message_start)',
    run: () => viaStream(streamOf([delta('early '), start, delta('late'), ...end].map((e) => sse(e)).join(''))),
    expected: (message) => expect((message as Message).content).toEqual([{ type: 'text', text: 'early late' }]),
  },
  {
    area: 'sse',
    name: 'event: error mid-stream',
    run: () =>
      viaStream(
        streamOf(
          [start, delta('a'), { type: 'error', error: { type: 'overloaded_error', message: 'busy' } }]
            .map((e) => sse(e))
            .join(''),
        ),
      ),
    expected: StreamError,
  },
  {
    area: 'sse',
    name: 'a stream that ends without message_stop',
    run: () => viaStream(streamOf([start, delta('a')].map((e) => sse(e)).join(''))),
    expected: StreamError,
  },
  {
    area: 'sse',
    name: 'data that is not JSON',
    run: () => viaStream(streamOf(`${sse(start)}event: content_block_delta\ndata: {oops\n\n`)),
    expected: StreamError,
  },
  {
    area: 'sse',
    name: 'a tool_use with invalid JSON input',
    run: () =>
      viaStream(
        streamOf(
          [
            start,
            {
              type: 'content_block_start',
              index: 0,
              content_block: { type: 'tool_use', id: 't', name: 'x', input: {} },
            },
            { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a": tru' } },
            { type: 'content_block_stop', index: 0 },
            { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
            { type: 'message_stop' },
          ]
            .map((e) => sse(e))
            .join(''),
        ),
      ),
    expected: StreamError,
  },
  {
    area: 'sse',
    name: 'a JSON message where a stream was asked for (accepted)',
    run: () => viaStream(json(200, body([{ type: 'text', text: 'whole' }]))),
    expected: (message) => expect((message as Message).content).toEqual([{ type: 'text', text: 'whole' }]),
  },
  ...attackRows({ gateway: () => gateway, raw: () => raw, key }),
];

describe('reliability: bad input gets a clear, typed error', () => {
  it('Should have at least 70 rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(70);
  });

  it.each(rows)('$area: $name', async ({ run, expected, code, check }) => {
    let value: unknown;
    let error: unknown;
    try {
      value = await run();
    } catch (caught) {
      error = caught;
    }
    if (expected.prototype instanceof Error) {
      expect(error).toBeInstanceOf(expected);
      expect((error as Error).message.length).toBeGreaterThan(10);
      if (code !== undefined) expect((error as { code?: string }).code).toBe(code);
      // The key nowhere in the error, however it is looked at: fields, cause chain, inspect.
      expect(JSON.stringify(errorFields(error))).not.toContain(key);
      expect(inspect(error, { depth: 6, showHidden: true, getters: true })).not.toContain(key);
    } else {
      expect(error).toBeUndefined();
      (expected as (value: unknown) => void)(value);
    }
    await check?.(error ?? value);
  });
});
