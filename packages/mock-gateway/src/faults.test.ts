import { MessagesClient, StreamError, TimeoutError } from '@loopguard/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultPicker } from './faults.js';
import { scriptedModel } from './scripted-model.js';
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

  it('Should cut a stream after N events without charging for it', async () => {
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
    expect(gateway?.accounts.get('sk-local-test')?.spent).toBe(0);
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
});
