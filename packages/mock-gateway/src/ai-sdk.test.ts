import { createAnthropic } from '@ai-sdk/anthropic';
import { streamFalseFetch } from '@loopguard/messages';
import { generateText } from 'ai';
import { afterEach, describe, expect, it } from 'vitest';
import { scriptedModel } from './models/scripted-model.js';
import { type MockGateway, startMockGateway } from './start-mock-gateway.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function messageBodies(g: MockGateway): Array<Record<string, unknown>> {
  return g.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as Record<string, unknown>);
}

describe('the AI SDK (generateText) against the mock gateway in its default mode (streaming unless told)', () => {
  it('Should fail without help: generateText sends no stream field and cannot read the SSE answer', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Hello there.' }]) });
    const anthropic = createAnthropic({ baseURL: gateway.baseURL, apiKey: 'sk-local-test' });
    await expect(generateText({ model: anthropic('claude-opus-4-6'), prompt: 'Hi', maxRetries: 0 })).rejects.toThrow();
    expect(messageBodies(gateway)[0]).not.toHaveProperty('stream');
  });

  it('Should work with fetch: streamFalseFetch(), which adds stream: false to a body without it', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Hello there.' }]) });
    const anthropic = createAnthropic({ baseURL: gateway.baseURL, apiKey: 'sk-local-test', fetch: streamFalseFetch() });
    const result = await generateText({ model: anthropic('claude-opus-4-6'), prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Hello there.');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(messageBodies(gateway)[0]).toMatchObject({ stream: false });
  });

  it('Should leave a body that sets stream, and other requests, as they are', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Streamed.' }]) });
    const fetchWithDefault = streamFalseFetch();
    const url = `${gateway.baseURL}/messages`;
    const headers = { 'content-type': 'application/json', 'x-api-key': 'sk-local-test' };
    const body = JSON.stringify({
      model: 'claude-opus-4-6',
      max_tokens: 64,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const response = await fetchWithDefault(url, { method: 'POST', headers, body });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(await response.text()).toContain('Streamed.');
    const credits = await fetchWithDefault(`${gateway.baseURL}/credits`, { headers });
    expect(credits.status).toBe(200);
    expect(messageBodies(gateway)[0]).toMatchObject({ stream: true });
  });
});
