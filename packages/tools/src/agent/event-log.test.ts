import { type Message, MessagesClient, type ToolResultBlock, type Usage } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ToolCall } from '../tools/define-tool.js';
import { defineTool } from '../tools/define-tool.js';
import { StepTable } from '../turn/step-table.js';
import { TurnStep } from '../turn/turn-step.js';
import type { AgentEvent } from './agent-types.js';
import { EventLog } from './event-log.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

function readAll(read: () => AgentEvent | undefined): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (let event = read(); event !== undefined; event = read()) events.push(event);
  return events;
}

/** Each event's keys, in order (what `toEqual` does not compare). */
const keyOrders = (events: AgentEvent[]) => events.map((event) => Object.keys(event));

function message(usage: Usage): Message {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-6',
    content: [],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage,
  } as Message;
}

/** Two turns as a run emits them, the second with cache usage, then a tool event of another turn and a done. */
function sampleEvents(): AgentEvent[] {
  const call: ToolCall = { toolUseId: 'toolu_1', name: 'record', input: { value: 1 }, turn: 1 };
  const result: ToolResultBlock = { type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' };
  const first = message({ input_tokens: 10, output_tokens: 2 });
  const second = message({ input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 5 });
  const step = (turn: number, reply: Message, credits: number) =>
    new TurnStep(turn, { params: { model: 'm', max_tokens: 1 }, table: new StepTable([]), count: 0 }, reply, credits);
  return [
    { type: 'turn_start', turn: 1 },
    { type: 'text', turn: 1, delta: 'Hel' },
    { type: 'thinking', turn: 1, delta: 'hm' },
    {
      type: 'usage',
      turn: 1,
      usage: first.usage,
      credits: 0.1,
      totalUsage: { input_tokens: 10, output_tokens: 2 },
      totalCredits: 0.1,
    },
    { type: 'tool_call', turn: 1, call },
    { type: 'tool_result', turn: 1, call, result, outcome: 'ok', durationMs: 1.25 },
    { type: 'turn_end', turn: 1, step: step(1, first, 0.1) },
    { type: 'turn_start', turn: 2 },
    {
      type: 'usage',
      turn: 2,
      usage: second.usage,
      credits: 0.2,
      totalUsage: { input_tokens: 22, output_tokens: 5, cache_read_input_tokens: 5 },
      totalCredits: 0.1 + 0.2,
    },
    // Totals that do not follow from the last ones (not what a run emits): kept as they were.
    {
      type: 'usage',
      turn: 2,
      usage: second.usage,
      credits: 0.2,
      totalUsage: { input_tokens: 1, output_tokens: 1 },
      totalCredits: 7,
    },
    { type: 'turn_end', turn: 2, step: step(2, second, 0.2) },
    { type: 'tool_result', turn: 5, call, result, outcome: 'refused', durationMs: 0 },
    { type: 'turn_end', turn: 3, step: { turn: 4 } as unknown as TurnStep },
    { type: 'done', result: {} as never },
  ];
}

/**
 * What the kind byte stands in for, and what it cannot: turns that follow on or jump, results of the last
 * call or of an earlier one (parallel calls), every outcome (named, a duplicated id, one no run gives).
 */
function toolEvents(): AgentEvent[] {
  const call = (id: string, turn: number): ToolCall => ({ toolUseId: id, name: 'record', input: { id }, turn });
  const result = (id: string): ToolResultBlock => ({ type: 'tool_result', tool_use_id: id, content: id });
  const [a, b, c] = [call('a', 3), call('b', 3), call('c', 9)];
  const outcomes = ['ok', 'error', 'invalid_input', 'unknown_tool', 'refused', 'timeout', 'aborted', 'duplicate_id'];
  return [
    { type: 'turn_start', turn: 3 },
    { type: 'tool_call', turn: 3, call: a },
    { type: 'tool_call', turn: 3, call: b },
    { type: 'tool_result', turn: 3, call: a, result: result('a'), outcome: 'ok', durationMs: 0.1 },
    { type: 'tool_result', turn: 3, call: b, result: result('b'), outcome: 'timeout', durationMs: 30_000.5 },
    ...outcomes.map(
      (outcome, index): AgentEvent => ({
        type: 'tool_result',
        turn: 3,
        call: b,
        result: result(outcome),
        outcome: outcome as never,
        durationMs: index / 3,
      }),
    ),
    { type: 'tool_result', turn: 3, call: b, result: result('x'), outcome: 'not_an_outcome' as never, durationMs: 1 },
    { type: 'turn_start', turn: 4 },
    { type: 'turn_start', turn: 9 },
    { type: 'tool_call', turn: 9, call: c },
    { type: 'tool_result', turn: 8, call: c, result: result('c'), outcome: 'aborted', durationMs: 2 },
    { type: 'turn_start', turn: 8 },
    { type: 'tool_result', turn: 8, call: a, result: result('a'), outcome: 'refused', durationMs: 0 },
  ];
}

describe('EventLog', () => {
  it('Should give back every event, equal field for field and in key order, sharing the objects the run holds', () => {
    const events = sampleEvents();
    const log = new EventLog();
    for (const event of events) log.push(event);
    const read = readAll(log.reader());
    expect(read).toEqual(events);
    expect(keyOrders(read)).toEqual(keyOrders(events));
    read.forEach((event, index) => {
      const original = events[index] as Record<string, unknown>;
      for (const key of ['step', 'call', 'result', 'usage'])
        if (key in original) expect((event as Record<string, unknown>)[key]).toBe(original[key]);
    });
    // Each reader makes its own totals: changing one read event changes no other reader's.
    (read[8] as { totalUsage: Usage }).totalUsage.input_tokens = 999;
    expect(readAll(log.reader())).toEqual(events);
  });

  it('Should give back turns that follow on or jump, results of the last call or an earlier one, and every outcome', () => {
    const events = toolEvents();
    const log = new EventLog();
    for (const event of events) log.push(event);
    for (const read of [readAll(log.reader()), readAll(log.reader())]) {
      expect(read).toStrictEqual(events);
      expect(keyOrders(read)).toEqual(keyOrders(events));
      read.forEach((event, index) => {
        const original = events[index] as Record<string, unknown>;
        for (const key of ['call', 'result', 'outcome'])
          if (key in original) expect((event as Record<string, unknown>)[key]).toBe(original[key]);
      });
    }
  });

  it('Should let a reader that caught up go on as more events are logged', () => {
    const events = sampleEvents();
    const log = new EventLog();
    const read = log.reader();
    const seen: AgentEvent[] = [];
    for (const event of events) {
      log.push(event);
      seen.push(...readAll(read));
      expect(read()).toBeUndefined();
    }
    expect(seen).toEqual(events);
    expect(log.length).toBe(events.length);
  });

  it('Should give a late iterator of a run the same events, in the same order, as one that iterated live', async () => {
    gateway = await startMockGateway({
      model: scriptedModel([
        {
          text: 'Both.',
          toolCalls: [
            { name: 'record', input: { value: 1 } },
            { name: 'record', input: { value: 2 } },
          ],
        },
        { toolCalls: [{ name: 'record', input: { value: 'not a number' } }] },
        { text: 'Done.' },
      ]),
    });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL });
    const record = defineTool({
      name: 'record',
      description: 'records a value',
      input: z.object({ value: z.number() }),
      execute: () => 'ok',
    });
    const run = runAgent({ client, prompt: 'go', tools: [record] });
    const live: AgentEvent[] = [];
    for await (const event of run) live.push(event);
    const late: AgentEvent[] = [];
    for await (const event of run) late.push(event);
    expect(live.map((event) => event.type)).toEqual(expect.arrayContaining(['text', 'tool_call', 'usage', 'done']));
    expect(late).toEqual(live);
    expect(keyOrders(late)).toEqual(keyOrders(live));
    const totals = late.filter((event) => event.type === 'usage').map((event) => event.totalCredits);
    const result = await run;
    expect(totals.at(-1)).toBe(result.credits);
  });
});
