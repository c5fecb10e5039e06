/**
 * The contenders of scenario 3 (loop overhead), each run in a process of its own by `contender-runner.ts`:
 * `turns` tool-calling turns against the loop gateway (`loop-gateway.ts`). A bare `fetch` loop doing the
 * same HTTP is the floor. Each loads only its own library.
 * @module
 */
import type { MessageParam } from '@loopguard/messages';
import type { ContenderTable } from './contender-process.js';

/** Where the gateway listens, and the tool turns a run makes (the model answers after that many). */
export interface LoopOverheadParams {
  baseURL: string;
  turns: number;
}

const KEY = 'sk-local-test';
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;

/** The floor: the same HTTP with nothing but fetch and JSON. */
async function bareFetchLoop(baseURL: string, turns: number): Promise<number> {
  const messages: MessageParam[] = [{ role: 'user', content: `turns: ${turns}` }];
  const tools = [{ name: 'record', description: 'records a value', input_schema: schema }];
  let requests = 0;
  for (;;) {
    const response = await fetch(`${baseURL}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-opus-4-6', max_tokens: 1024, stream: false, messages, tools }),
    });
    const message = (await response.json()) as { content: Array<{ type: string; id?: string }>; stop_reason: string };
    requests += 1;
    messages.push({ role: 'assistant', content: message.content as MessageParam['content'] });
    if (message.stop_reason !== 'tool_use') return requests;
    messages.push({
      role: 'user',
      content: message.content
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id as string, content: 'ok' })),
    });
  }
}

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
 * runner's default), together.
 */
export const contenders: ContenderTable<LoopOverheadParams> = {
  'bare fetch loop (floor, reference)':
    ({ baseURL, turns }) =>
    () =>
      bareFetchLoop(baseURL, turns),
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
