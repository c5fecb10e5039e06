import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RECORDED_BYTES } from './http/request-log.js';
import { MAX_SAMPLE_ITEMS, MAX_SAMPLE_STRING_LENGTH, sampleFromSchema } from './models/sample-from-schema.js';
import { type MockGateway, type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function start(options: MockGatewayOptions = {}): Promise<MockGateway> {
  gateway = await startMockGateway(options);
  return gateway;
}

const auth = { authorization: 'Bearer sk-local-test', 'content-type': 'application/json' };
const hello = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'claude-opus-4-6', stream: false, messages: [{ role: 'user', content: 'Hi' }], ...extra });
const origin = (mock: MockGateway) => mock.baseURL.replace(/\/v1$/, '');

describe('the mock answers only the paths the seed implies', () => {
  it('Should serve /v1/messages and /v1/v1/messages (the official SDK given .../v1), and 404 a bare /messages', async () => {
    const mock = await start();
    const status = async (path: string) =>
      (await fetch(`${origin(mock)}${path}`, { method: 'POST', headers: auth, body: hello() })).status;
    expect(await status('/v1/messages')).toBe(200);
    expect(await status('/v1/v1/messages')).toBe(200);
    expect(await status('/messages')).toBe(404);
    expect(await status('/v1/v1/v1/messages')).toBe(404);
  });

  it('Should serve /v1/credits and /v1/v1/credits, and 404 a bare /credits, saying what to use', async () => {
    const mock = await start();
    const get = (path: string) => fetch(`${origin(mock)}${path}`, { headers: auth });
    expect((await get('/v1/credits')).status).toBe(200);
    expect((await get('/v1/v1/credits')).status).toBe(200);
    const bare = await get('/credits');
    expect(bare.status).toBe(404);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toContain('/v1/credits');
  });
});

describe('threads on the mock', () => {
  it('Should answer an unknown thread with 404 thread_not_found, as the Anthropic API does', async () => {
    const mock = await start();
    const response = await fetch(`${mock.baseURL}/messages`, {
      method: 'POST',
      headers: auth,
      body: hello({ thread: { type: 'continue', previous_message_id: 'msg_unknown' } }),
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('thread_not_found');
  });
});

describe('requests[] is bounded', () => {
  it('Should keep the last maxRecordedRequests records, and all of them with Infinity', async () => {
    const mock = await start({ maxRecordedRequests: 3 });
    for (let index = 0; index < 7; index += 1) await fetch(`${mock.baseURL}/credits?n=${index}`, { headers: auth });
    expect(mock.requests.map((record) => record.path)).toEqual(['/v1/credits', '/v1/credits', '/v1/credits']);
    expect(mock.requests).toHaveLength(3);
    await mock.close();
    const all = await start({ maxRecordedRequests: Number.POSITIVE_INFINITY });
    for (let index = 0; index < 7; index += 1) await fetch(`${all.baseURL}/credits`, { headers: auth });
    expect(all.requests).toHaveLength(7);
  });

  it('Should drop the oldest bodies past 64 MiB by default (ten 8 MB bodies)', async () => {
    const mock = await start();
    const big = hello({ metadata: { padding: 'x'.repeat(8 * 1024 * 1024) } });
    for (let index = 0; index < 10; index += 1) {
      await fetch(`${mock.baseURL}/messages`, { method: 'POST', headers: auth, body: big });
    }
    const kept = mock.requests.reduce((sum, record) => sum + (record.bodyBytes ?? 0), 0);
    expect(kept).toBeLessThanOrEqual(DEFAULT_MAX_RECORDED_BYTES);
    expect(mock.requests.length).toBeGreaterThanOrEqual(6);
    expect(mock.requests.length).toBeLessThan(10);
  });
});

describe('what the schema-driven model generates is bounded', () => {
  it('Should answer a tool schema with minLength 2e8 at once, with a string of at most MAX_SAMPLE_STRING_LENGTH', async () => {
    const mock = await start();
    const tools = [
      {
        name: 'huge',
        description: 'asks for too much',
        input_schema: {
          type: 'object',
          properties: {
            text: { type: 'string', minLength: 2e8 },
            nested: {
              type: 'array',
              minItems: 1e9,
              items: { type: 'array', minItems: 1e9, items: { type: 'string', minLength: 1e6 } },
            },
          },
        },
      },
    ];
    const response = await fetch(`${mock.baseURL}/messages`, {
      method: 'POST',
      headers: auth,
      body: hello({ tools, max_tokens: 1_000_000 }),
    });
    expect(response.status).toBe(200);
    const message = (await response.json()) as {
      content: Array<{ type: string; input?: { text: string; nested: string[][] } }>;
    };
    const call = message.content.find((block) => block.type === 'tool_use');
    expect(call?.input?.text.length).toBe(MAX_SAMPLE_STRING_LENGTH);
    expect(JSON.stringify(call?.input).length).toBeLessThan(2 * 1024 * 1024);
  });

  it('Should cap array items at MAX_SAMPLE_ITEMS', () => {
    const value = sampleFromSchema({ type: 'array', minItems: 1e9, items: { type: 'integer' } }) as number[];
    expect(value).toHaveLength(MAX_SAMPLE_ITEMS);
  });
});
