/**
 * The contenders of scenario 2 (large tool input), each run in a process of its own by `contender-runner.ts`:
 * whole clients streaming one large tool_use, served through a `fetch` stand-in in 16 KiB chunks.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { ContenderTable } from './contender-process.js';
import { sseFetch } from './stream-fixture.js';

/** What a run streams: the stream's file, written by the scenario. */
export interface LargeToolInputParams {
  file: string;
}

const params = {
  model: 'claude-opus-4-6',
  max_tokens: 100,
  messages: [{ role: 'user' as const, content: 'store it' }],
};

function fetchOf(file: string): typeof globalThis.fetch {
  const buffer = readFileSync(file);
  return sseFetch(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), 16 * 1024);
}

/** Each process holds both sizes' streams: the scenario runs them one right after the other in each round. */
export const setupsKept = 2;

/** Scenario 2's contenders, in report order; the first is the reference. */
export const contenders: ContenderTable<LargeToolInputParams> = {
  'loopguard MessagesClient.stream': async ({ file }) => {
    const { MessagesClient } = await import('@loopguard/messages');
    const fetch = fetchOf(file);
    const client = new MessagesClient({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
    return () => client.stream(params).finalMessage();
  },
  'official SDK messages.stream': async ({ file }) => {
    const { default: Anthropic } = await import('@anthropic-ai/sdk');
    const fetch = fetchOf(file);
    const client = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch, maxRetries: 0 });
    return () => client.messages.stream(params).finalMessage();
  },
  'AI SDK streamText': async ({ file }) => {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    const { jsonSchema, streamText, tool } = await import('ai');
    const anthropic = createAnthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:1/v1', fetch: fetchOf(file) });
    return async () => {
      const result = streamText({
        model: anthropic('claude-opus-4-6'),
        prompt: 'store it',
        maxRetries: 0,
        tools: { store: tool({ description: 'store', inputSchema: jsonSchema({ type: 'object' }) }) },
      });
      await result.consumeStream();
      return result.toolCalls;
    };
  },
};
