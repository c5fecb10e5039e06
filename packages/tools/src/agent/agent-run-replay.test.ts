import { LoopguardError, MessagesClient } from '@loopguard/messages';
import { type MockGateway, type MockGatewayOptions, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { asEmitted, keyOrder, type Loose } from '../test-support/emitted-events.js';
import { defineTool } from '../tools/define-tool.js';
import type { AgentOptions } from './agent-options.js';
import type { AgentRun } from './agent-run.js';
import type { AgentEvent } from './agent-types.js';
import { EventLog } from './event-log.js';
import { resumeAgent } from './resume-agent.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await gateway?.close();
  gateway = undefined;
});

async function clientFor(options: Partial<MockGatewayOptions>): Promise<MessagesClient> {
  gateway = await startMockGateway(options as MockGatewayOptions);
  return new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
}

async function collect(iterable: AsyncIterable<AgentEvent>): Promise<{ events: AgentEvent[]; error?: unknown }> {
  const events: AgentEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
  } catch (error) {
    return { events, error };
  }
  return { events };
}

/**
 * Runs `start` and reads its events four ways — live from the start, begun after the `from`th event was
 * emitted, begun after the run ended, and a second late one — and checks each against the events the run
 * emitted: the same in order, equal field for field and in key order, sharing the objects the run shares,
 * and with the values they had when emitted.
 */
async function expectReplays(start: () => AgentRun, from: number): Promise<AgentEvent[]> {
  const emitted: AgentEvent[] = [];
  const asWhenEmitted: Loose[] = [];
  const push = EventLog.prototype.push;
  let mid: Promise<{ events: AgentEvent[]; error?: unknown }> | undefined;
  let run: AgentRun | undefined;
  vi.spyOn(EventLog.prototype, 'push').mockImplementation(function (this: EventLog<unknown>, event) {
    emitted.push(event);
    asWhenEmitted.push(asEmitted(event));
    push.call(this, event);
    if (emitted.length === from && run) mid = collect(run);
  });
  run = start();
  const live = collect(run);
  const settled = await run.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const reads = [await live, await (mid ?? collect(run)), await collect(run), await collect(run)];
  expect(emitted.length).toBeGreaterThan(from);
  for (const read of reads) {
    expect(read.error).toBe(settled?.error);
    expect(read.events).toHaveLength(emitted.length);
    expect(read.events).toStrictEqual(emitted);
    expect(keyOrder(read.events)).toEqual(keyOrder(emitted));
    expect(read.events.map(asEmitted)).toStrictEqual(asWhenEmitted);
    expect(keyOrder(read.events)).toEqual(keyOrder(asWhenEmitted));
    read.events.forEach((event, index) => {
      const original = emitted[index] as Loose;
      for (const key of ['step', 'call', 'result', 'outcome', 'usage', 'repairs', 'error'])
        if (key in original) expect((event as Loose)[key]).toBe(original[key]);
    });
  }
  return emitted;
}

const record = (values: number[]) =>
  defineTool({
    name: 'record',
    description: 'records a value',
    input: z.object({ value: z.number() }),
    execute: async ({ value }) => {
      values.push(value);
      await new Promise((resolve) => setImmediate(resolve));
      return `recorded ${value}`;
    },
  });

/** A middleware that gives the nth reply cache counts in a key order of its own (usage totals gain keys). */
const cacheUsage = {
  afterResponse: ({ message }: { message: { usage: Loose } }) => {
    cacheReplies += 1;
    if (cacheReplies === 2) message.usage.cache_read_input_tokens = 7;
    if (cacheReplies === 3)
      Object.assign(message.usage, { cache_creation_input_tokens: 3, cache_read_input_tokens: 1 });
  },
};
let cacheReplies = 0;

describe('AgentRun: a late iterator gets the events a live one got', () => {
  it('Should replay a streamed run with thinking, parallel calls, a refused call and usage totals gaining keys', async () => {
    cacheReplies = 0;
    const client = await clientFor({
      model: scriptedModel([
        {
          thinking: 'Three values.',
          text: 'Recording.',
          toolCalls: [1, 2, 3].map((value) => ({ name: 'record', input: { value } })),
        },
        {
          text: 'One more.',
          toolCalls: [
            { name: 'record', input: { value: 'x' } },
            { name: 'missing', input: {} },
          ],
        },
        { thinking: 'Done now.', text: 'All recorded.' },
      ]),
    });
    client.use(cacheUsage as never);
    const values: number[] = [];
    const emitted = await expectReplays(
      () => runAgent({ client, prompt: 'go', tools: [record(values)], thinking: true }),
      7,
    );
    const types = new Set(emitted.map((event) => event.type));
    for (const type of ['turn_start', 'thinking', 'text', 'tool_call', 'tool_result', 'usage', 'turn_end', 'done'])
      expect(types).toContain(type);
    const totals = emitted.flatMap((event) => (event.type === 'usage' ? [Object.keys(event.totalUsage)] : []));
    expect(totals.at(-1)).toEqual([
      'input_tokens',
      'output_tokens',
      'cache_read_input_tokens',
      'cache_creation_input_tokens',
    ]);
  });

  it('Should replay a final-answer run, not streamed, with an invalid answer first', async () => {
    const client = await clientFor({
      model: scriptedModel([
        { text: 'In words.' },
        { toolCalls: [{ name: 'final_answer', input: { city: 3 } }] },
        { toolCalls: [{ name: 'final_answer', input: { city: 'Oslo' } }] },
      ]),
    });
    const output = z.object({ city: z.string() });
    await expectReplays(() => runAgent({ client, prompt: 'where?', output, stream: false }), 4);
  });

  it('Should replay a turn retried after its stream was cut, and a budget stop', async () => {
    const client = await clientFor({
      model: scriptedModel([
        {
          text: 'A first answer long enough to be cut part way.',
          toolCalls: [{ name: 'record', input: { value: 1 } }],
        },
        { text: 'never sent' },
      ]),
      faults: [{ nth: 1, fault: { type: 'cut', afterEvents: 5 } }],
    });
    let requests = 0;
    client.use({
      beforeRequest: () => {
        requests += 1;
        if (requests > 1) throw new LoopguardError('cap reached', { code: 'budget_exceeded' });
        return undefined;
      },
    });
    const emitted = await expectReplays(() => runAgent({ client, prompt: 'go', tools: [record([])] }), 3);
    expect(emitted.map((event) => event.type)).toContain('turn_retry');
    expect((emitted.at(-1) as Extract<AgentEvent, { type: 'done' }>).result.stopReason).toBe('budget_exceeded');
  });

  it('Should replay a run that rejects, up to its error', async () => {
    const client = await clientFor({
      model: scriptedModel([{ text: 'Calling.', toolCalls: [{ name: 'record', input: { value: 1 } }] }]),
    });
    let requests = 0;
    client.use({
      beforeRequest: () => {
        requests += 1;
        if (requests > 1) throw new Error('a middleware failed');
        return undefined;
      },
    });
    const emitted = await expectReplays(() => runAgent({ client, prompt: 'hi', tools: [record([])] }), 2);
    expect(emitted.map((event) => event.type)).not.toContain('done');
    expect(emitted.map((event) => event.type)).toContain('turn_end');
  });

  it('Should replay a resumed run, whose first events are the tool events of a turn it did not start', async () => {
    const client = await clientFor({
      model: scriptedModel([
        {
          toolCalls: [
            { name: 'pay', input: { value: 5 } },
            { name: 'pay', input: { value: 6 } },
          ],
        },
        { text: 'Paid.' },
      ]),
    });
    const pay = defineTool({
      name: 'pay',
      description: 'pays',
      input: z.object({ value: z.number() }),
      needsApproval: true,
      execute: () => 'paid',
    });
    const options: AgentOptions = { client, prompt: 'pay', tools: [pay] };
    const first = await runAgent(options);
    expect(first.stopReason).toBe('awaiting_approval');
    const state = JSON.parse(JSON.stringify(first.state));
    const ids = (state.pendingApproval.toolUses as Array<{ id: string }>).map((use) => use.id);
    const approvals = { [ids[0] as string]: true, [ids[1] as string]: false };
    const emitted = await expectReplays(() => resumeAgent(state, { client, tools: [pay], approvals }), 2);
    expect(emitted[0]?.type).toBe('tool_call');
  });
});
