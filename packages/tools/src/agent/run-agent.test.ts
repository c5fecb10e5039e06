import { setTimeout as sleep } from 'node:timers/promises';
import { LoopguardError, type MessageParam, MessagesClient, type ToolUseBlock } from '@loopguard/messages';
import { type MockGateway, type MockGatewayOptions, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import { partialResultOf } from './agent-run.js';
import type { AgentEvent, AgentState, AgentStep } from './agent-types.js';
import { resumeAgent } from './resume-agent.js';
import { runAgent } from './run-agent.js';
import { toolCalled } from './stop-condition.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function setup(options: MockGatewayOptions) {
  gateway = await startMockGateway(options);
  const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
  return { gateway, client };
}

function sentMessages(index: number): MessageParam[] {
  return (gateway!.requests.filter((r) => r.path.endsWith('/messages'))[index]!.body as { messages: MessageParam[] })
    .messages;
}

function weatherTool(calls: string[]) {
  return defineTool({
    name: 'get_current_weather',
    description: 'Get the current weather in a given location',
    input: z.object({ location: z.string() }),
    execute: async ({ location }) => {
      calls.push(location);
      await sleep(location.startsWith('Boston') ? 30 : 5);
      return { location, temperatureC: location.startsWith('Boston') ? 3 : 18 };
    },
  });
}

/** Every tool_use in a transcript has exactly one tool_result in the next turn. */
function expectNoOrphans(messages: MessageParam[]): void {
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    const ids = message.content.filter((b): b is ToolUseBlock => b.type === 'tool_use').map((b) => b.id);
    if (ids.length === 0) return;
    const next = messages[index + 1];
    const answered =
      typeof next?.content === 'string'
        ? []
        : (next?.content ?? [])
            .filter((b) => b.type === 'tool_result')
            .map((b) => (b as { tool_use_id: string }).tool_use_id);
    expect(answered).toEqual(ids);
  });
}

describe('runAgent', () => {
  it('Should run a weather agent with two parallel tool calls, results in order, streaming its text', async () => {
    const { client } = await setup({
      model: scriptedModel([
        {
          text: 'Let me check both.',
          toolCalls: [
            { name: 'get_current_weather', input: { location: 'Boston, MA' } },
            { name: 'get_current_weather', input: { location: 'Miami, FL' } },
          ],
        },
        { text: 'Boston is 3°C and Miami is 18°C.' },
      ]),
    });
    const calls: string[] = [];
    const run = runAgent({ client, prompt: 'Weather in Boston and Miami?', tools: [weatherTool(calls)] });
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run;
    expect(result.stopReason).toBe('end_turn');
    expect(result.text).toBe('Boston is 3°C and Miami is 18°C.');
    expect(calls).toEqual(['Boston, MA', 'Miami, FL']);
    const results = result.steps[0]?.toolResults ?? [];
    expect(results.map((r) => JSON.parse(String(r.content)).location)).toEqual(['Boston, MA', 'Miami, FL']);
    // Miami (5 ms) finished before Boston (30 ms): they ran concurrently.
    const finished = events
      .filter((e) => e.type === 'tool_result')
      .map((e) => (e as { call: { input: { location: string } } }).call.input.location);
    expect(finished).toEqual(['Miami, FL', 'Boston, MA']);
    expect(events.map((e) => e.type).filter((t) => t !== 'text')).toEqual([
      'turn_start',
      'usage',
      'tool_call',
      'tool_call',
      'tool_result',
      'tool_result',
      'turn_end',
      'turn_start',
      'usage',
      'turn_end',
      'done',
    ]);
    expect(
      events
        .filter((e) => e.type === 'text')
        .map((e) => (e as { delta: string }).delta)
        .join(''),
    ).toContain('Let me check both.');
    expect(result.messages).toHaveLength(4);
    expectNoOrphans(result.messages);
    expect(result.usage.output_tokens).toBe(result.steps.reduce((sum, s) => sum + s.usage.output_tokens, 0));
    expect(result.credits).toBeGreaterThan(0);
    expect(sentMessages(1)).toEqual(result.messages.slice(0, 3));
  });

  it('Should send bad input back as an is_error result the model fixes on the next turn', async () => {
    const { client } = await setup({
      model: scriptedModel([
        { toolCalls: [{ name: 'get_current_weather', input: { location: 42 } }] },
        { toolCalls: [{ name: 'get_current_weather', input: { location: 'Paris' } }] },
        { text: 'Paris is mild.' },
      ]),
    });
    const calls: string[] = [];
    const result = await runAgent({ client, prompt: 'Paris?', tools: [weatherTool(calls)], stream: false });
    expect(result.stopReason).toBe('end_turn');
    expect(calls).toEqual(['Paris']);
    expect(result.steps[0]?.toolResults[0]).toMatchObject({
      is_error: true,
      content: expect.stringContaining('location'),
    });
    expect(result.steps[0]?.toolOutcomes).toEqual(['invalid_input']);
    expectNoOrphans(result.messages);
  });

  it('Should answer an unknown tool, a throwing tool and a timed-out tool with is_error and go on', async () => {
    const { client } = await setup({
      model: scriptedModel([
        {
          toolCalls: [
            { name: 'teleport', input: {} },
            { name: 'explode', input: {} },
            { name: 'stall', input: {} },
          ],
        },
        { text: 'done' },
      ]),
    });
    const tools = [
      defineTool({
        name: 'explode',
        description: 'throws',
        input: z.object({}),
        execute: () => {
          throw new TypeError('kaboom');
        },
      }),
      defineTool({
        name: 'stall',
        description: 'hangs',
        input: z.object({}),
        timeoutMs: 30,
        execute: (_input, { signal }) => new Promise((resolve) => signal.addEventListener('abort', resolve)),
      }),
    ];
    const result = await runAgent({ client, prompt: 'go', tools });
    expect(result.steps[0]?.toolOutcomes).toEqual(['unknown_tool', 'error', 'timeout']);
    expect(result.steps[0]?.toolResults.every((r) => r.is_error)).toBe(true);
    expect(result.stopReason).toBe('end_turn');
    expectNoOrphans(result.messages);
  });

  it('Should stop at maxTurns and on a stop condition', async () => {
    const loopForever = () => ({ toolCalls: [{ name: 'get_current_weather', input: { location: 'Oslo' } }] });
    const { client } = await setup({ model: scriptedModel(Array.from({ length: 10 }, () => loopForever)) });
    const calls: string[] = [];
    const capped = await runAgent({ client, prompt: 'loop', tools: [weatherTool(calls)], maxTurns: 3 });
    expect(capped.stopReason).toBe('max_turns');
    expect(capped.steps).toHaveLength(3);
    expectNoOrphans(capped.messages);
    const stopped = await runAgent({
      client,
      prompt: 'loop',
      tools: [weatherTool(calls)],
      stopWhen: toolCalled('get_current_weather'),
    });
    expect(stopped.stopReason).toBe('stop_condition');
    expect(stopped.steps).toHaveLength(1);
  });

  it('Should abort mid-stream with the transcript intact and no tool run', async () => {
    const { client } = await setup({
      eventDelayMs: 20,
      model: scriptedModel([
        {
          text: 'A long answer that streams slowly, word by word, to be cut.',
          toolCalls: [{ name: 'get_current_weather', input: { location: 'Rome' } }],
        },
      ]),
    });
    const calls: string[] = [];
    const run = runAgent({ client, prompt: 'Rome?', tools: [weatherTool(calls)] });
    for await (const event of run) if (event.type === 'text') run.abort();
    const result = await run;
    expect(result.stopReason).toBe('aborted');
    expect(calls).toEqual([]);
    expect(result.messages).toEqual([{ role: 'user', content: 'Rome?' }]);
  });

  it('Should pass an abort to a running tool and still answer its tool_use', async () => {
    const { client } = await setup({ model: scriptedModel([{ toolCalls: [{ name: 'long_job', input: {} }] }]) });
    let sawAbort = false;
    const controller = new AbortController();
    const tool = defineTool({
      name: 'long_job',
      description: 'runs long',
      input: z.object({}),
      execute: (_input, { signal }) =>
        new Promise((_resolve, reject) => {
          setTimeout(() => controller.abort(), 20);
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('stopped'));
          });
        }),
    });
    const result = await runAgent({ client, prompt: 'go', tools: [tool], signal: controller.signal });
    expect(sawAbort).toBe(true);
    expect(result.stopReason).toBe('aborted');
    expect(result.steps[0]?.toolOutcomes).toEqual(['aborted']);
    expectNoOrphans(result.messages);
  });

  it('Should return a validated structured output, after asking again for an invalid one', async () => {
    const { client } = await setup({
      model: scriptedModel([
        { text: 'Here is my answer in prose.' },
        { toolCalls: [{ name: 'final_answer', input: { city: 'Oslo', temperatureC: 'cold' } }] },
        { toolCalls: [{ name: 'final_answer', input: { city: 'Oslo', temperatureC: -3 } }] },
      ]),
    });
    const result = await runAgent({
      client,
      prompt: 'Weather in Oslo as JSON',
      output: z.object({ city: z.string(), temperatureC: z.number() }),
    });
    expect(result.stopReason).toBe('end_turn');
    expect(result.output).toEqual({ city: 'Oslo', temperatureC: -3 });
    const requests =
      gateway?.requests.map((r) => r.body as { tool_choice?: unknown; tools: Array<{ name: string }> }) ?? [];
    expect(requests[0]?.tool_choice).toBeUndefined();
    expect(requests[1]?.tool_choice).toEqual({ type: 'tool', name: 'final_answer' });
    expect(requests[2]?.tool_choice).toEqual({ type: 'tool', name: 'final_answer' });
    expect(result.steps[1]?.toolResults[0]).toMatchObject({
      is_error: true,
      content: expect.stringContaining('temperatureC'),
    });
    expectNoOrphans(result.messages);
  });

  it('Should send thinking blocks back verbatim, signature included', async () => {
    const { client } = await setup({
      model: scriptedModel([
        {
          thinking: 'I should look up the weather.',
          toolCalls: [{ name: 'get_current_weather', input: { location: 'Lima' } }],
        },
        { text: 'Lima is warm.' },
      ]),
    });
    const run = runAgent({ client, prompt: 'Lima?', tools: [weatherTool([])], thinking: true });
    const thinking: string[] = [];
    for await (const event of run) if (event.type === 'thinking') thinking.push(event.delta);
    const result = await run;
    const firstRequest = gateway?.requests[0]?.body as { thinkingFlag?: boolean };
    expect(firstRequest.thinkingFlag).toBe(true);
    const assistant = sentMessages(1)[1];
    const block = (assistant!.content as Array<{ type: string; thinking?: string; signature?: string }>)[0];
    expect(block).toEqual({
      type: 'thinking',
      thinking: 'I should look up the weather.',
      signature:
        result.steps[0]?.response.content[0] &&
        (result.steps[0].response.content[0] as { signature: string }).signature,
    });
    expect(block?.signature).toMatch(/^sig_/);
    expect(thinking.join('')).toBe('I should look up the weather.');
  });

  it('Should end with budget_exceeded, not throw, on a 402 from the gateway and on a budget stop from middleware', async () => {
    const { client } = await setup({ keys: [{ key: 'sk-local-test', credits: 0 }] });
    const broke = await runAgent({ client, prompt: 'hi' });
    expect(broke.stopReason).toBe('budget_exceeded');
    expect(broke.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(gateway?.requests).toHaveLength(1);

    await gateway?.close();
    const second = await setup({
      model: scriptedModel([{ toolCalls: [{ name: 'get_current_weather', input: { location: 'Oslo' } }] }]),
    });
    let requests = 0;
    second.client.use({
      beforeRequest: () => {
        requests += 1;
        if (requests > 1)
          throw new LoopguardError('cap reached', { code: 'budget_exceeded', stopReason: 'budget_exceeded' });
        return undefined;
      },
    });
    const capped = await runAgent({ client: second.client, prompt: 'Oslo?', tools: [weatherTool([])] });
    expect(capped.stopReason).toBe('budget_exceeded');
    expect(capped.steps).toHaveLength(1);
    expectNoOrphans(capped.messages);
    expect(capped.messages).toHaveLength(3);
  });

  it('Should reject with the typed error and a partial result for other errors', async () => {
    const { client } = await setup({ model: scriptedModel([{ text: 'x' }]) });
    const run = runAgent({ client, prompt: 'hi', model: 'gpt-4' });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('NotFoundError');
    expect(partialResultOf(error)?.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(partialResultOf(error)?.stopReason).toBe('error');
  });

  it('Should stop with max_tokens in the middle of a tool_use and run no half-formed call', async () => {
    const { client } = await setup({
      model: scriptedModel([
        { text: 'Writing.', toolCalls: [{ name: 'get_current_weather', input: { location: 'x'.repeat(500) } }] },
      ]),
    });
    const calls: string[] = [];
    const result = await runAgent({ client, prompt: 'go', tools: [weatherTool(calls)], maxTokens: 20 });
    expect(result.stopReason).toBe('max_tokens');
    expect(calls).toEqual([]);
    expect(result.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Writing.' }] });
  });

  it('Should never run a tool twice when a stream is cut and retried', async () => {
    const { client } = await setup({
      faults: [
        { nth: 1, fault: { type: 'cut', afterEvents: 0 } },
        { nth: 2, fault: { type: 'status', status: 503 } },
      ],
      model: scriptedModel([
        { toolCalls: [{ name: 'get_current_weather', input: { location: 'Oslo' } }] },
        { text: 'ok' },
      ]),
    });
    const calls: string[] = [];
    const result = await runAgent({ client, prompt: 'Oslo?', tools: [weatherTool(calls)] });
    expect(result.stopReason).toBe('end_turn');
    expect(calls).toEqual(['Oslo']);
    expect(gateway?.requests.length).toBe(4);
  });

  it('Should request a turn again when its stream is cut after text was shown, and still run each tool once', async () => {
    const { client } = await setup({
      faults: [{ nth: 1, fault: { type: 'cut', afterEvents: 5 } }],
      model: scriptedModel([
        {
          text: 'Let me check the weather for you.',
          toolCalls: [{ name: 'get_current_weather', input: { location: 'Oslo' } }],
        },
        { text: 'ok' },
      ]),
    });
    const calls: string[] = [];
    const run = runAgent({ client, prompt: 'Oslo?', tools: [weatherTool(calls)] });
    const types: string[] = [];
    for await (const event of run) types.push(event.type);
    const result = await run;
    expect(result.stopReason).toBe('end_turn');
    expect(types.indexOf('turn_retry')).toBeGreaterThan(types.indexOf('text'));
    expect(types.filter((t) => t === 'turn_retry')).toHaveLength(1);
    expect(calls).toEqual(['Oslo']);
    await gateway?.close();
    const second = await setup({
      faults: [{ nth: 1, fault: { type: 'cut', afterEvents: 5 } }],
      model: scriptedModel([
        {
          text: 'Let me check the weather for you.',
          toolCalls: [{ name: 'get_current_weather', input: { location: 'Oslo' } }],
        },
      ]),
    });
    const noRetry = await runAgent({
      client: second.client,
      prompt: 'Oslo?',
      tools: [weatherTool(calls)],
      turnRetries: 0,
    }).then(
      (r) => r.stopReason,
      (e: unknown) => (e as Error).name,
    );
    expect(noRetry).toBe('StreamError');
    expect(calls).toEqual(['Oslo']);
  });

  it('Should wait for approval, serialise its state, and resume in a fresh runner', async () => {
    const { client } = await setup({
      model: scriptedModel([
        {
          toolCalls: [
            { name: 'delete_file', input: { path: '/tmp/a' } },
            { name: 'get_current_weather', input: { location: 'Oslo' } },
          ],
        },
        { text: 'Deleted and checked.' },
      ]),
    });
    const deleted: string[] = [];
    const makeTools = () => [
      defineTool({
        name: 'delete_file',
        description: 'deletes',
        input: z.object({ path: z.string() }),
        needsApproval: true,
        execute: ({ path }) => {
          deleted.push(path);
          return 'deleted';
        },
      }),
      weatherTool([]),
    ];
    const first = await runAgent({ client, prompt: 'Delete /tmp/a and check Oslo', tools: makeTools() });
    expect(first.stopReason).toBe('awaiting_approval');
    expect(deleted).toEqual([]);
    expectNoOrphans(first.messages);
    const saved = JSON.stringify(first.state);
    const pendingId = first.state.pendingApproval?.toolUses[0]?.id as string;

    const freshClient = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway?.baseURL });
    const resumed = await resumeAgent(JSON.parse(saved), {
      client: freshClient,
      tools: makeTools(),
      approvals: { [pendingId]: true },
    });
    expect(resumed.stopReason).toBe('end_turn');
    expect(deleted).toEqual(['/tmp/a']);
    expect(resumed.text).toBe('Deleted and checked.');
    expect(resumed.runId).toBe(first.runId);
    expect(resumed.state.turn).toBe(2);
    expectNoOrphans(resumed.messages);
  });

  it('Should return a refusal as an is_error result when approve says no', async () => {
    const { client } = await setup({
      model: scriptedModel([
        { toolCalls: [{ name: 'delete_file', input: { path: '/' } }] },
        { text: 'ok, not deleting' },
      ]),
    });
    const tool = defineTool({
      name: 'delete_file',
      description: 'deletes',
      input: z.object({ path: z.string() }),
      needsApproval: (input) => input.path === '/',
      execute: () => 'deleted',
    });
    const result = await runAgent({ client, prompt: 'rm /', tools: [tool], approve: () => false });
    expect(result.steps[0]?.toolOutcomes).toEqual(['refused']);
    expect(result.steps[0]?.toolResults[0]).toMatchObject({
      is_error: true,
      content: expect.stringContaining('refused'),
    });
  });
});

describe('runAgent steps over a long run', () => {
  it('Should let each step tell what its request carried, built from the transcript rather than a copy per step', async () => {
    const turns = 40;
    const replies = Array.from({ length: turns - 1 }, (_, i) => ({
      toolCalls: [{ name: 'echo_step', input: { n: i } }],
    }));
    const g = await startMockGateway({ model: scriptedModel([...replies, { text: 'Done.' }]) });
    try {
      const echo = defineTool({
        name: 'echo_step',
        description: 'Echoes n',
        input: z.object({ n: z.number() }),
        execute: async ({ n }) => `step ${n}`,
      });
      const client = new MessagesClient({ baseURL: g.baseURL, apiKey: 'sk-local-test' });
      const result = await runAgent({ client, prompt: 'Go', tools: [echo], maxTurns: turns, stream: false });
      expect(result.steps).toHaveLength(turns);
      const sent = g.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as { messages: unknown[] });
      expect(sent).toHaveLength(turns);
      for (const [index, step] of result.steps.entries()) {
        expect(step.request.messages).toEqual(sent[index]?.messages);
        expect(step.request.messages).toHaveLength(2 * index + 1);
      }
      // Not held per step: each read builds a new view over the same transcript entries.
      const last = result.steps[turns - 1] as AgentStep;
      const owner = Object.hasOwn(last, 'request') ? last : Object.getPrototypeOf(last);
      expect(Object.getOwnPropertyDescriptor(owner, 'request')?.get).toBeTypeOf('function');
      // A step serialises with what its request carried.
      expect(JSON.parse(JSON.stringify(last)).request.messages).toHaveLength(2 * (turns - 1) + 1);
      expect(last.request.messages).not.toBe(last.request.messages);
      expect(last.request.messages[0]).toBe(result.steps[0]?.request.messages[0]);
    } finally {
      await g.close();
    }
  });
});

describe('runAgent onCheckpoint', () => {
  it('Should hand the state over before tools run and after each turn, and resume from a tools_started state by running the calls without asking again', async () => {
    const g = await startMockGateway({
      model: scriptedModel([
        { toolCalls: [{ name: 'count', input: { n: 1 } }] },
        { toolCalls: [{ name: 'count', input: { n: 2 } }] },
        { text: 'Counted.' },
        { text: 'Counted after resuming.' },
      ]),
    });
    try {
      const executed: number[] = [];
      const count = defineTool({
        name: 'count',
        description: 'Counts',
        input: z.object({ n: z.number() }),
        execute: async ({ n }, context) => {
          executed.push(n);
          return `counted ${n} (${context.toolUseId})`;
        },
      });
      const client = new MessagesClient({ baseURL: g.baseURL, apiKey: 'sk-local-test' });
      const points: Array<{ point: string; pending: number; messages: number }> = [];
      const saved: AgentState[] = [];
      const result = await runAgent({
        client,
        prompt: 'Count',
        tools: [count],
        onCheckpoint: (state, point) => {
          points.push({ point, pending: state.pendingApproval?.toolUses.length ?? 0, messages: state.messages.length });
          saved.push(state);
        },
      });
      expect(result.stopReason).toBe('end_turn');
      expect(points).toEqual([
        { point: 'tools_started', pending: 1, messages: 1 },
        { point: 'turn_ended', pending: 0, messages: 3 },
        { point: 'tools_started', pending: 1, messages: 3 },
        { point: 'turn_ended', pending: 0, messages: 5 },
      ]);
      // As after a crash while turn 2's tool ran: resuming runs that call again (same tool_use id), then goes on.
      const requestsBefore = g.requests.length;
      const resumed = await resumeAgent(saved[2] as AgentState, { client, tools: [count] });
      expect(resumed.stopReason).toBe('end_turn');
      expect(resumed.text).toBe('Counted after resuming.');
      expect(executed).toEqual([1, 2, 2]);
      expect(g.requests.length - requestsBefore).toBe(1);
      expect(JSON.stringify(resumed.messages)).toContain(saved[2]?.pendingApproval?.toolUses[0]?.id);
    } finally {
      await g.close();
    }
  });
});
