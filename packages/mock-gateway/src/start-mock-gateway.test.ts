import { MessagesClient } from '@loopguard/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedModel } from './models/scripted-model.js';
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

async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: 'Bearer sk-local-test' },
): Promise<{ status: number; json: any; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, headers: response.headers, text };
}

const valid = { model: 'claude-opus-4-6', stream: false, messages: [{ role: 'user', content: 'Hello' }] };

describe('startMockGateway error codes over HTTP', () => {
  it('Should answer 401 invalid_api_key for a missing, malformed, unknown or disabled key', async () => {
    const g = await start({
      keys: [
        { key: 'sk-on', credits: 5 },
        { key: 'sk-off', credits: 5, disabled: true },
      ],
    });
    const url = `${g.baseURL}/messages`;
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer pk-nope' },
      { authorization: 'Bearer sk-unknown' },
      { authorization: 'Bearer sk-off' },
    ];
    for (const headers of attempts) {
      const response = await post(url, valid, headers);
      expect(response.status).toBe(401);
      expect(response.json).toEqual({
        error: { code: 'invalid_api_key', message: expect.any(String), type: 'authentication_error' },
      });
    }
    expect((await post(url, valid, { 'x-api-key': 'sk-on' })).status).toBe(200);
  });

  it("Should answer 403 ip_not_allowed outside the key's allowlist", async () => {
    const g = await start({
      keys: [
        { key: 'sk-a', ipAllowlist: ['10.9.9.9'] },
        { key: 'sk-b', ipAllowlist: ['127.0.0.1'] },
      ],
    });
    const denied = await post(`${g.baseURL}/messages`, valid, { authorization: 'Bearer sk-a' });
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('ip_not_allowed');
    expect((await post(`${g.baseURL}/messages`, valid, { authorization: 'Bearer sk-b' })).status).toBe(200);
  });

  it('Should answer 400 invalid_request naming the missing or malformed field', async () => {
    const g = await start();
    const url = `${g.baseURL}/messages`;
    expect((await post(url, { messages: valid.messages })).json.error).toMatchObject({
      code: 'invalid_request',
      message: "'model' is required.",
    });
    expect((await post(url, { model: 'claude-opus-4-6' })).json.error.message).toBe("'messages' is required.");
    expect((await post(url, '{"model":')).json.error.message).toMatch(/not valid JSON/);
    const orphan = await post(url, {
      ...valid,
      messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'hi' }] }],
    });
    expect(orphan.status).toBe(400);
    expect(orphan.json.error.message).toMatch(/toolu_x/);
  });

  it('Should answer 404 model_not_found for any other model, and 404 for unknown routes', async () => {
    const g = await start();
    const model = await post(`${g.baseURL}/messages`, { ...valid, model: 'gpt-4' });
    expect(model.status).toBe(404);
    expect(model.json.error).toMatchObject({ code: 'model_not_found', type: 'invalid_request_error' });
    const route = await post(`${g.baseURL}/nothing`, valid);
    expect(route.status).toBe(404);
    expect(route.json.error.code).toBe('not_found');
  });

  it('Should answer 429 rate_limit_exceeded with retry-after once the window is full', async () => {
    const g = await start({ keys: [{ key: 'sk-local-test', rateLimit: { requests: 2, windowMs: 60_000 } }] });
    const url = `${g.baseURL}/messages`;
    expect((await post(url, valid)).status).toBe(200);
    expect((await post(url, valid)).status).toBe(200);
    const limited = await post(url, valid);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'rate_limit_exceeded', type: 'rate_limit_error' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('Should answer 402 when the balance cannot cover the call and 413 for bodies over 32 MiB', async () => {
    const g = await start({ keys: [{ key: 'sk-local-test', credits: 0 }] });
    const poor = await post(`${g.baseURL}/messages`, valid);
    expect(poor.status).toBe(402);
    expect(poor.json.error).toMatchObject({ code: 'insufficient_credits', type: 'billing_error' });
    const big = await post(`${g.baseURL}/messages`, 'x'.repeat(33 * 1024 * 1024));
    expect(big.status).toBe(413);
    expect((await post(`${g.baseURL}/messages`, valid)).status).toBe(402);
  });

  it('Should charge the exact cost, report it rounded, and let a reply take the balance below zero until a 402', async () => {
    const g = await start({
      keys: [{ key: 'sk-local-test', credits: 0.01 }],
      model: scriptedModel([{ text: 'x'.repeat(2644) }, { text: 'y' }]),
    });
    const first = await post(`${g.baseURL}/messages`, { ...valid, max_tokens: 1000 });
    expect(first.status).toBe(200);
    const { input_tokens, output_tokens } = first.json.usage;
    const exact = (input_tokens * 500 + output_tokens * 2500) / 1_000_000;
    expect(first.json.credits_consumed).toBe(Math.round(exact * 100) / 100);
    expect(g.billed()).toBeCloseTo(exact, 12);
    const balance = await fetch(`${g.baseURL}/credits`, { headers: { authorization: 'Bearer sk-local-test' } });
    const { credits } = (await balance.json()) as { credits: number };
    expect(credits).toBeCloseTo(0.01 - exact, 12);
    expect(credits).toBeLessThan(0);
    const next = await post(`${g.baseURL}/messages`, valid);
    expect(next.status).toBe(402);
    expect(g.billed()).toBeCloseTo(exact, 12);
  });

  it('Should inject a 503 that refunds, then serve the next request normally', async () => {
    const g = await start({ faults: [{ nth: 1, fault: { type: 'status', status: 503 } }] });
    const failed = await post(`${g.baseURL}/messages`, valid);
    expect(failed.status).toBe(503);
    expect(failed.json.error).toMatchObject({ code: 'upstream_error', type: 'upstream_error' });
    expect(g.accounts.get('sk-local-test')?.credits).toBe(1000);
    const ok = await post(`${g.baseURL}/messages`, valid);
    expect(ok.status).toBe(200);
    expect(1000 - (g.accounts.get('sk-local-test')?.credits ?? 0)).toBeCloseTo(ok.json.credits_consumed, 2);
  });
});

describe('startMockGateway credits and spend limits', () => {
  it('Should charge the price table on the counted usage and round credits_consumed as the gateway does', async () => {
    const g = await start({ model: scriptedModel([{ text: 'x', usage: { input_tokens: 20, output_tokens: 661 } }]) });
    const response = await post(`${g.baseURL}/messages`, valid);
    expect(response.json.usage).toEqual({ input_tokens: 20, output_tokens: 661 });
    expect(response.json.credits_consumed).toBe(1.66);
    expect(g.accounts.get('sk-local-test')?.credits).toBeCloseTo(1000 - 1.6625, 10);
    const credits = await fetch(`${g.baseURL}/credits`, { headers: { authorization: 'Bearer sk-local-test' } });
    expect((await credits.json()).credits).toBeCloseTo(998.3375, 10);
  });

  it('Should refuse with spend_limit_exceeded once a rolling window is spent, and again after the window moves', async () => {
    let clock = 1_000_000;
    const usage = { input_tokens: 1000, output_tokens: 1000 }; // 0.5 + 2.5 = 3 credits
    const g = await start({
      now: () => clock,
      keys: [{ key: 'sk-local-test', credits: 100, spendLimits: { hourly: 5 } }],
      model: scriptedModel([
        { text: 'a', usage },
        { text: 'b', usage },
        { text: 'c', usage },
      ]),
    });
    const url = `${g.baseURL}/messages`;
    expect((await post(url, valid)).status).toBe(200);
    expect((await post(url, valid)).status).toBe(200);
    const limited = await post(url, valid);
    expect(limited.status).toBe(429);
    expect(limited.json.error).toMatchObject({ code: 'spend_limit_exceeded', type: 'billing_error' });
    clock += 3_600_001;
    expect((await post(url, valid)).status).toBe(200);
    expect(g.accounts.get('sk-local-test')?.spent).toBe(9);
  });
});

describe('startMockGateway streams', () => {
  it('Should stream by default when `stream` is omitted, in the full form with a tool input in several fragments', async () => {
    const g = await start({
      model: scriptedModel([
        {
          thinking: 'hm',
          text: 'Checking.',
          toolCalls: [{ name: 'get_current_weather', input: { location: 'Boston, MA' } }],
        },
      ]),
    });
    const response = await post(`${g.baseURL}/messages`, {
      model: 'claude-opus-4-6',
      messages: valid.messages,
      thinkingFlag: true,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const types = [...response.text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(types.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start']);
    expect(types).toContain('content_block_stop');
    expect(types.at(-1)).toBe('message_stop');
    expect(response.text.match(/input_json_delta/g)?.length).toBeGreaterThan(1);
    expect(response.text).toContain('signature_delta');
  });

  it('Should give the same final message to our client in the full and the short form', async () => {
    const reply = {
      thinking: 'Let me think.',
      text: 'The answer is 42, as everyone knows.',
      toolCalls: [{ name: 'lookup', input: { q: 'life' } }],
    };
    const finals = [];
    for (const streamForm of ['full', 'short'] as const) {
      const g = await start({ streamForm, model: scriptedModel([reply]) });
      const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: g.baseURL });
      finals.push(
        await client.stream({ messages: [{ role: 'user', content: 'q' }], thinkingFlag: true }).finalMessage(),
      );
      await g.close();
      gateway = undefined;
    }
    expect(finals[0]?.content).toEqual(finals[1]?.content);
    expect(finals[0]?.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(finals[1]?.usage).toEqual(finals[0]?.usage);
  });

  it('Should cut a tool_use at max_tokens and stop with max_tokens', async () => {
    const g = await start({
      model: scriptedModel([{ toolCalls: [{ name: 'write', input: { body: 'y'.repeat(400) } }] }]),
    });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: g.baseURL });
    const message = await client.stream({ messages: [{ role: 'user', content: 'q' }], max_tokens: 20 }).finalMessage();
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content[0]).toMatchObject({ type: 'tool_use', incomplete: true });
  });

  it('Should answer a request without `stream` as JSON when streamByDefault is false (Anthropic API behaviour)', async () => {
    const g = await start({ streamByDefault: false });
    const response = await post(`${g.baseURL}/messages`, { model: 'claude-opus-4-6', messages: valid.messages });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.json.type).toBe('message');
  });

  it('Should answer /v1/v1/messages too, as the official SDK builds it from a baseURL ending in /v1', async () => {
    const g = await start();
    const response = await post(`${g.baseURL}/v1/messages`, valid);
    expect(response.status).toBe(200);
    expect(response.json.type).toBe('message');
  });

  it('Should record requests with the key redacted', async () => {
    const g = await start();
    await post(`${g.baseURL}/messages`, valid);
    expect(g.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', status: 200, accountIndex: 0 });
    expect(JSON.stringify(g.requests)).not.toContain('sk-local-test');
  });

  it('Should reply deterministically for the same request', async () => {
    const g = await start();
    const body = {
      ...valid,
      tools: [
        {
          name: 'calc',
          description: 'math',
          input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] },
        },
      ],
    };
    const first = await post(`${g.baseURL}/messages`, body);
    const second = await post(`${g.baseURL}/messages`, body);
    expect(first.json.content).toEqual(second.json.content);
    expect(first.json.content[0]).toMatchObject({ type: 'tool_use', name: 'calc', input: { x: 1 } });
  });
});
