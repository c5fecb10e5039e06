/**
 * Scenario 3: N tool-calling turns against the mock gateway on loopback (in its own process), no delay:
 * ms and CPU ms per turn for a bare `fetch` loop doing the same HTTP (the floor), `runAgent`, the official
 * SDK's tool runner and the AI SDK's `generateText` with tools. Reference: the floor; lower is better.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createAnthropic } from '@ai-sdk/anthropic';
import Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import { type MessageParam, MessagesClient } from '@loopguard/messages';
import { defineTool, runAgent } from '@loopguard/tools';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { summarise } from './measure.js';
import type { ReportRow } from './report-table.js';

const KEY = 'sk-local-test';
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;

/** Starts the loop gateway in its own process; resolves with its base URL. */
export async function startLoopGateway(): Promise<{ baseURL: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./loop-gateway.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@loopguard/source', '--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`loop gateway exited ${code}`)));
  });
  return { baseURL, child };
}

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

/** Runs the scenario: `turns` tool turns, `runs` times per contender (interleaved). */
export async function loopOverheadScenario(turns: number, runs: number): Promise<ReportRow[]> {
  const { baseURL, child } = await startLoopGateway();
  try {
    const record = defineTool({
      name: 'record',
      description: 'records a value',
      input: z.object({ value: z.number() }),
      execute: () => 'ok',
    });
    const ours = new MessagesClient({ apiKey: KEY, baseURL, maxRetries: 0 });
    const agent = (options: { stream?: boolean; threads?: boolean }) =>
      runAgent({
        client: ours,
        prompt: `turns: ${turns}`,
        tools: [record],
        maxTurns: turns + 1,
        maxTokens: 1024,
        ...options,
      }).result();
    const official = new Anthropic({ apiKey: KEY, baseURL, maxRetries: 0 });
    const anthropic = createAnthropic({ apiKey: KEY, baseURL });
    const officialRunner = (thread: boolean) => async () =>
      official.beta.messages.toolRunner({
        model: 'claude-opus-4-6',
        max_tokens: 1024,
        max_iterations: turns + 1,
        messages: [{ role: 'user', content: `turns: ${turns}` }],
        tools: [betaTool({ name: 'record', description: 'records a value', inputSchema: schema, run: () => 'ok' })],
        ...(thread ? {} : { thread: false as const }),
      });
    // Like with like: first every contender sending the whole transcript each turn, then the two on
    // server-side threads (the official runner's default), together.
    const contenders: Array<[string, () => Promise<unknown>]> = [
      ['bare fetch loop (floor, reference)', () => bareFetchLoop(baseURL, turns)],
      ['loopguard runAgent (stream: false)', () => agent({ stream: false })],
      ['loopguard runAgent (streaming)', () => agent({})],
      ['official SDK tool runner (thread: false)', officialRunner(false)],
      [
        'AI SDK generateText with tools',
        () =>
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
          }),
      ],
      ['loopguard runAgent (threads, stream: false)', () => agent({ stream: false, threads: true })],
      ['official SDK tool runner (threads, its default)', officialRunner(true)],
    ];
    const wall = new Map<string, number[]>();
    const cpu = new Map<string, number[]>();
    for (const [, work] of contenders) await work(); // warm-up
    for (let run = 0; run < runs; run += 1) {
      for (const [name, work] of contenders) {
        globalThis.gc?.();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        await work();
        const elapsed = performance.now() - started;
        const used = process.cpuUsage(cpuBefore);
        wall.set(name, [...(wall.get(name) ?? []), elapsed / (turns + 1)]);
        cpu.set(name, [...(cpu.get(name) ?? []), (used.user + used.system) / 1000 / (turns + 1)]);
      }
    }
    const rows: ReportRow[] = [];
    const floorWall = summarise(wall.get(contenders[0]?.[0] as string) ?? []).median;
    const floorCpu = summarise(cpu.get(contenders[0]?.[0] as string) ?? []).median;
    for (const [name] of contenders) {
      const w = summarise(wall.get(name) ?? []);
      rows.push({
        scenario: `3. Loop overhead, ${turns} tool turns: wall time per turn`,
        contender: name,
        median: w.median,
        min: w.min,
        max: w.max,
        unit: 'ms/turn',
        ratio: floorWall / w.median,
      });
    }
    for (const [name] of contenders) {
      const c = summarise(cpu.get(name) ?? []);
      rows.push({
        scenario: `3. Loop overhead, ${turns} tool turns: client CPU per turn`,
        contender: name,
        median: c.median,
        min: c.min,
        max: c.max,
        unit: 'CPU ms/turn',
        ratio: floorCpu / c.median,
      });
    }
    return rows;
  } finally {
    child.kill('SIGTERM');
  }
}
