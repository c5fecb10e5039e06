import type { Message, ToolResultBlock } from '@loopguard/messages';
import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { StepTable } from '../turn/step-table.js';
import { TurnStep } from '../turn/turn-step.js';
import type { AgentEvent } from './agent-types.js';
import { EventLog } from './event-log.js';

type Read = () => AgentEvent | undefined;

function readAll(read: Read): AgentEvent[] {
  const events: AgentEvent[] = [];
  for (let event = read(); event !== undefined; event = read()) events.push(event);
  return events;
}

const table = new StepTable([]);

/** Turn `turn` as a run emits it: text, usage, two calls and their results in `order`, its step. */
function turnEvents(turn: number, order: [number, number], outcomes: ToolCallOutcome[]): AgentEvent[] {
  const calls: ToolCall[] = [0, 1].map((at) => ({ toolUseId: `t${turn}_${at}`, name: 'n', input: {}, turn }));
  const results: ToolResultBlock[] = calls.map((call) => ({
    type: 'tool_result',
    tool_use_id: call.toolUseId,
    content: 'r',
  }));
  const usage = { input_tokens: turn, output_tokens: 1 };
  const reply = { id: `m${turn}`, content: [], usage } as unknown as Message;
  const step = new TurnStep(turn, { params: { model: 'm', max_tokens: 1 }, table, count: 1 }, reply, turn / 10);
  step.setTools(calls, results, outcomes);
  const total = (turn * (turn + 1)) / 2;
  return [
    { type: 'turn_start', turn },
    { type: 'text', turn, delta: `text ${turn}` },
    {
      type: 'usage',
      turn,
      usage,
      credits: turn / 10,
      totalUsage: { input_tokens: total, output_tokens: turn },
      totalCredits: [1, 2, 3].slice(0, turn).reduce((sum, each) => sum + each / 10, 0),
    },
    ...calls.map((call): AgentEvent => ({ type: 'tool_call', turn, call })),
    ...order.map(
      (at): AgentEvent => ({
        type: 'tool_result',
        turn,
        call: calls[at] as ToolCall,
        result: results[at] as ToolResultBlock,
        outcome: outcomes[at] as ToolCallOutcome,
        durationMs: at + 0.5,
      }),
    ),
    { type: 'turn_end', turn, step },
  ];
}

/** Checks `read` against `events`: equal, in key order, sharing their objects. */
function expectSame(read: AgentEvent[], events: AgentEvent[]): void {
  expect(read).toStrictEqual(events);
  expect(read.map((event) => Object.keys(event))).toEqual(events.map((event) => Object.keys(event)));
  read.forEach((event, index) => {
    const original = events[index] as Record<string, unknown>;
    for (const key of ['step', 'call', 'result', 'usage'])
      if (key in original) expect((event as Record<string, unknown>)[key]).toBe(original[key]);
  });
}

describe('EventLog folding a turn into its step', () => {
  it('Should give back a folded turn to readers begun before it, at each event inside it, and after it', () => {
    const events = [
      ...turnEvents(1, [0, 1], ['ok', 'duplicate_id']),
      ...turnEvents(2, [0, 1], ['ok', 'ok']),
      ...turnEvents(3, [0, 1], ['error', 'ok']),
    ];
    const log = new EventLog();
    const readers: Array<{ read: Read; seen: AgentEvent[] }> = [];
    const refs: number[] = [];
    events.forEach((event) => {
      log.push(event);
      // A reader begun here reads what is logged so far; every reader reads on as events come.
      readers.push({ read: log.reader(), seen: [] });
      for (const reader of readers) reader.seen.push(...readAll(reader.read));
      if (event.type === 'turn_end') refs.push(log.references);
    });
    for (const reader of readers) expectSame(reader.seen, events);
    expectSame(readAll(log.reader()), events);
    // Each folded turn keeps its step and its text; the first its turn, its usage event (the first is kept
    // whole) and the outcome the kind byte cannot say too.
    expect(refs).toEqual([5, 7, 9]);
  });

  it('Should not fold a turn whose results came in another order than its calls, and give it back', () => {
    const events = [...turnEvents(1, [1, 0], ['ok', 'ok']), ...turnEvents(2, [0, 1], ['ok', 'ok'])];
    const log = new EventLog();
    const live = log.reader();
    const seen: AgentEvent[] = [];
    for (const event of events) {
      log.push(event);
      seen.push(...readAll(live));
    }
    expectSame(seen, events);
    expectSame(readAll(log.reader()), events);
    // The first turn as it was kept (turn, text, usage, two calls, the first result's, the second's call and
    // result, the step), the second folded (its step and text).
    expect(log.references).toBe(9 + 2);
  });

  it('Should give back what the events carried after the step’s calls, results, usage and credits were assigned', () => {
    const events = turnEvents(1, [0, 1], ['ok', 'ok']);
    const log = new EventLog();
    for (const event of events) log.push(event);
    const step = (events.at(-1) as Extract<AgentEvent, { type: 'turn_end' }>).step;
    const emitted = structuredClone(events);
    step.toolCalls = [];
    step.toolResults = [];
    step.usage = { input_tokens: 99, output_tokens: 99 };
    step.credits = 99;
    step.response = { ...step.response, usage: { input_tokens: 7, output_tokens: 7 } };
    const read = readAll(log.reader());
    expectSame(read.slice(0, -1), events.slice(0, -1));
    expect(structuredClone(read)).toEqual(emitted.slice(0, -1).concat(structuredClone(read.slice(-1))));
    expect(read.at(-1)).toStrictEqual(events.at(-1));
  });
});
