import { MessagesClient, StreamError, TimeoutError } from '@loopguard/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { creditsFor } from './account/pricing.js';
import { createFaultPicker } from './faults/create-fault-picker.js';
import { countInputTokens, countOutputTokens } from './messages/count-tokens.js';
import { scriptedModel } from './models/scripted-model.js';
import { type MockGateway, type MockGatewayOptions, startMockGateway } from './start-mock-gateway.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const params = { messages: [{ role: 'user' as const, content: 'hi' }] };

async function clientFor(
  options: MockGatewayOptions,
  clientOptions: Partial<ConstructorParameters<typeof MessagesClient>[0]> = {},
) {
  gateway = await startMockGateway(options);
  return new MessagesClient({
    apiKey: 'sk-local-test',
    baseURL: gateway.baseURL,
    retryBaseDelayMs: 1,
    ...clientOptions,
  });
}

describe('fault injection', () => {
  it('Should pick the same requests for the same seed, and roughly the asked share', () => {
    const rules = [{ probability: 0.2, fault: { type: 'reset' as const } }];
    const first = createFaultPicker({ rules, seed: 3 });
    const second = createFaultPicker({ rules, seed: 3 });
    const a = Array.from({ length: 1000 }, (_, i) => first(i + 1, true) !== undefined);
    const b = Array.from({ length: 1000 }, (_, i) => second(i + 1, true) !== undefined);
    expect(a).toEqual(b);
    const share = a.filter(Boolean).length / 1000;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });

  it('Should reset the connection before headers, and the client retries it', async () => {
    const client = await clientFor({
      faults: [{ nth: 1, fault: { type: 'reset' } }],
      model: scriptedModel([{ text: 'after reset' }]),
    });
    const message = await client.create(params);
    expect(message.content).toEqual([{ type: 'text', text: 'after reset' }]);
    expect(gateway?.requests).toHaveLength(2);
  });

  it('Should cut a stream after N events and charge it in full, as the gateway bills the work it did', async () => {
    const client = await clientFor(
      {
        faults: [{ nth: 1, fault: { type: 'cut', afterEvents: 3 } }],
        model: scriptedModel([{ text: 'a fairly long text to stream' }]),
      },
      { maxRetries: 0 },
    );
    const stream = client.stream(params);
    stream.on('text', () => undefined);
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(StreamError);
    const input = countInputTokens({ ...params, max_tokens: 4096 });
    const output = countOutputTokens('a fairly long text to stream'.length);
    expect(gateway?.accounts.get('sk-local-test')?.spent).toBe(creditsFor(input, output));
    expect(gateway?.billed()).toBe(creditsFor(input, output));
  });

  it('Should stall past the idle timeout, then serve the retry', async () => {
    const client = await clientFor(
      {
        faults: [{ nth: 1, fault: { type: 'stall', ms: 400, afterEvents: 0 } }],
        model: scriptedModel([{ text: 'ok' }]),
      },
      { idleTimeoutMs: 100, maxRetries: 0 },
    );
    await expect(client.stream(params).finalMessage()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('Should send a malformed SSE line, a StreamError for the client', async () => {
    const client = await clientFor(
      { faults: [{ nth: 1, fault: { type: 'malformed', afterEvents: 2 } }], model: scriptedModel([{ text: 'x' }]) },
      { maxRetries: 0 },
    );
    const stream = client.stream(params);
    stream.on('streamEvent', () => undefined);
    const error = await stream.finalMessage().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamError);
    expect((error as StreamError).code).toBe('malformed_event');
  });

  it('Should answer an injected 429 with retry-after', async () => {
    const client = await clientFor({
      faults: [{ nth: 1, fault: { type: 'status', status: 429, retryAfterSeconds: 0 } }],
      model: scriptedModel([{ text: 'ok' }]),
    });
    await client.create(params);
    expect(gateway?.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('Should stall a stream before its headers and bill it even though the client gave up', async () => {
    const client = await clientFor(
      {
        faults: [{ nth: 1, fault: { type: 'stall', ms: 400, beforeHeaders: true } }],
        model: scriptedModel([{ text: 'ok' }]),
      },
      { headersTimeoutMs: 50, idleTimeoutMs: 10_000, maxRetries: 0 },
    );
    const error = await client
      .stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'headers_timeout' });
    expect(gateway?.billed()).toBeGreaterThan(0);
  });

  it('Should reset the connection after billing the reply with reset { billed: true }', async () => {
    const client = await clientFor(
      { faults: [{ nth: 1, fault: { type: 'reset', billed: true } }], model: scriptedModel([{ text: 'lost' }]) },
      { maxRetries: 0 },
    );
    await expect(client.create(params)).rejects.toMatchObject({ name: 'ConnectionError' });
    expect(gateway?.billed()).toBeGreaterThan(0);
    expect(gateway?.requests[0]?.status).toBeUndefined();
  });

  it('Should not bill a plain reset, answered before the model ran', async () => {
    const client = await clientFor({ faults: [{ nth: 1, fault: { type: 'reset' } }] }, { maxRetries: 0 });
    await expect(client.create(params)).rejects.toMatchObject({ name: 'ConnectionError' });
    expect(gateway?.billed()).toBe(0);
  });
});

describe('the stand-in tokenizer and model id', () => {
  it('Should count one token per character with charactersPerToken: 1, and report credits_consumed rounded', async () => {
    const text = '量子计算'.repeat(100);
    const client = await clientFor({ charactersPerToken: 1, model: scriptedModel([{ text: 'abc' }]) });
    const message = await client.create({ messages: [{ role: 'user', content: text }] });
    const json = JSON.stringify({ system: null, messages: [{ role: 'user', content: text }], tools: null });
    expect(message.usage).toEqual({ input_tokens: json.length, output_tokens: 3 });
    expect(message.credits_consumed).toBe(Math.round(creditsFor(json.length, 3) * 100) / 100);
    expect(gateway?.billed()).toBe(creditsFor(json.length, 3));
  });

  it('Should name another model in its responses with responseModel', async () => {
    const client = await clientFor({ responseModel: 'claude-opus-4-6-20260101' });
    const message = await client.create(params);
    expect(message.model).toBe('claude-opus-4-6-20260101');
  });
});
