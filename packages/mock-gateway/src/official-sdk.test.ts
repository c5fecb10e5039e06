import Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaDrivenModel } from './models/schema-driven-model.js';
import { scriptedModel } from './models/scripted-model.js';
import { type MockGateway, startMockGateway } from './start-mock-gateway.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('the official @anthropic-ai/sdk against the mock gateway', () => {
  it('Should run messages.create (with stream:false, since the gateway streams by default) from the baseURL the seed gives', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Quantum computing uses qubits.' }]) });
    const client = new Anthropic({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 100,
      stream: false,
      messages: [{ role: 'user', content: 'Explain' }],
    });
    expect(message.content).toEqual([{ type: 'text', text: 'Quantum computing uses qubits.' }]);
    expect((message as unknown as { credits_consumed: number }).credits_consumed).toBeGreaterThan(0);
    expect(gateway.requests[0]?.path).toBe('/v1/v1/messages');
  });

  it('Should stream a tool call through messages.stream with authToken (Bearer)', async () => {
    gateway = await startMockGateway({
      model: scriptedModel([
        { text: 'Looking.', toolCalls: [{ name: 'get_current_weather', input: { location: 'Boston, MA' } }] },
      ]),
    });
    const client = new Anthropic({ authToken: 'sk-local-test', apiKey: null, baseURL: gateway.baseURL, maxRetries: 0 });
    const stream = client.messages.stream({
      model: 'claude-opus-4-6',
      max_tokens: 200,
      messages: [{ role: 'user', content: 'What is the weather in Boston today?' }],
      tools: [
        {
          name: 'get_current_weather',
          description: 'Weather',
          input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
        },
      ],
    });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe('Looking.');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'get_current_weather',
      input: { location: 'Boston, MA' },
    });
  });

  it("Should run the SDK's tool runner to the end against the schema-driven model", async () => {
    gateway = await startMockGateway({ model: schemaDrivenModel() });
    const client = new Anthropic({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, maxRetries: 0 });
    const calls: unknown[] = [];
    const weather = betaTool({
      name: 'get_current_weather',
      description: 'Get the current weather in a given location',
      inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      run: async (input) => {
        calls.push(input);
        return '22°C and sunny';
      },
    });
    const runner = client.beta.messages.toolRunner({
      model: 'claude-opus-4-6',
      max_tokens: 500,
      messages: [{ role: 'user', content: 'What is the weather in Boston?' }],
      tools: [weather],
    });
    const final = await runner;
    expect(calls).toEqual([{ location: 'location sample' }]);
    expect(final.stop_reason).toBe('end_turn');
    expect(JSON.stringify(final.content)).toContain('22°C and sunny');
  });
});
