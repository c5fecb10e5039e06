/**
 * The contenders of scenario 3 (loop overhead), each run in a process of its own by `contender-runner.ts`:
 * `turns` tool-calling turns against the loop gateway (`loop-gateway.ts`). A bare `fetch` loop doing the
 * same HTTP is the floor; the same loop through `node:http` (loopguard's transport) is a second one.
 * Each loads only its own library.
 * @module
 */
import { bareFetchLoop, bareHttpLoop, bareStreamedLoop } from './bare-fetch-loops.js';
import type { ContenderTable } from './contender-process.js';

/** Where the gateway listens, and the tool turns a run makes (the model answers after that many). */
export interface LoopOverheadParams {
  baseURL: string;
  turns: number;
}

const KEY = 'sk-local-test';
/** The floor of streaming contenders (see `references`). */
const STREAMED_FLOOR = 'bare fetch loop, streamed (floor of streaming)';
/** The JSON floor on loopguard's own transport (see `references`). */
const HTTP_FLOOR = "bare node:http loop (floor on loopguard's transport)";
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;

async function loopguardAgent(
  { baseURL, turns }: LoopOverheadParams,
  options: { stream?: boolean; threads?: boolean },
): Promise<() => Promise<unknown>> {
  const { MessagesClient } = await import('@loopguard/messages');
  const { defineTool, runAgent } = await import('@loopguard/tools');
  const { z } = await import('zod');
  const record = defineTool({
    name: 'record',
    description: 'records a value',
    input: z.object({ value: z.number() }),
    execute: () => 'ok',
  });
  const client = new MessagesClient({ apiKey: KEY, baseURL, maxRetries: 0 });
  return () =>
    runAgent({
      client,
      prompt: `turns: ${turns}`,
      tools: [record],
      maxTurns: turns + 1,
      maxTokens: 1024,
      ...options,
    }).result();
}

async function officialRunner(
  { baseURL, turns }: LoopOverheadParams,
  thread: boolean,
): Promise<() => Promise<unknown>> {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const { betaTool } = await import('@anthropic-ai/sdk/helpers/beta/json-schema');
  const client = new Anthropic({ apiKey: KEY, baseURL, maxRetries: 0 });
  return async () =>
    client.beta.messages.toolRunner({
      model: 'claude-opus-4-6',
      max_tokens: 1024,
      max_iterations: turns + 1,
      messages: [{ role: 'user', content: `turns: ${turns}` }],
      tools: [betaTool({ name: 'record', description: 'records a value', inputSchema: schema, run: () => 'ok' })],
      ...(thread ? {} : { thread: false as const }),
    });
}

/**
 * Scenario 3's contenders, in report order; the first (the floor) is the reference. Like with like: first
 * every contender sending the whole transcript each turn, then the two on server-side threads (the official
 * runner's default), together. The streamed floor does the wire work of a streamed turn (bare-fetch-loops.ts).
 */
export const contenders: ContenderTable<LoopOverheadParams> = {
  'bare fetch loop (floor, reference)':
    ({ baseURL, turns }) =>
    () =>
      bareFetchLoop(baseURL, turns),
  [STREAMED_FLOOR]:
    ({ baseURL, turns }) =>
    () =>
      bareStreamedLoop(baseURL, turns),
  [HTTP_FLOOR]:
    ({ baseURL, turns }) =>
    () =>
      bareHttpLoop(baseURL, turns),
  'loopguard runAgent (stream: false)': (p) => loopguardAgent(p, { stream: false }),
  'loopguard runAgent (streaming)': (p) => loopguardAgent(p, {}),
  'official SDK tool runner (thread: false)': (p) => officialRunner(p, false),
  'AI SDK generateText with tools': async ({ baseURL, turns }) => {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    const { generateText, jsonSchema, stepCountIs, tool } = await import('ai');
    const anthropic = createAnthropic({ apiKey: KEY, baseURL });
    return () =>
      generateText({
        model: anthropic('claude-opus-4-6'),
        prompt: `turns: ${turns}`,
        maxRetries: 0,
        stopWhen: stepCountIs(turns + 1),
        tools: {
          record: tool({
            description: 'records a value',
            inputSchema: jsonSchema<{ value: number }>(schema),
            execute: async () => 'ok',
          }),
        },
      });
  },
  'loopguard runAgent (threads, stream: false)': (p) => loopguardAgent(p, { stream: false, threads: true }),
  'official SDK tool runner (threads, its default)': (p) => officialRunner(p, true),
};

/**
 * Contenders read against another reference than the first: a streamed turn's answer is an SSE body (events
 * in several chunks), which the JSON floor never reads, so the streaming row is also read against the
 * streamed floor; `runAgent` sends through `node:http`, not `fetch`, so the `stream: false` row is also
 * read against the floor on that transport. Each row says so.
 */
export const references: Readonly<Record<string, string>> = {
  'loopguard runAgent (streaming)': STREAMED_FLOOR,
  'loopguard runAgent (stream: false)': HTTP_FLOOR,
};
