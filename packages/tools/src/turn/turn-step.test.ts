import type { Message, MessageParam, ToolResultBlock } from '@loopguard/messages';
import { describe, expect, it } from 'vitest';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';
import { type SentParams, StepTable } from './step-table.js';
import { TurnStep } from './turn-step.js';

const KEYS = ['turn', 'response', 'toolCalls', 'toolResults', 'toolOutcomes', 'usage', 'credits', 'durationMs'];

function reply(turn: number): Message {
  return {
    id: `msg_${turn}`,
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-6',
    content: [],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: turn, output_tokens: 1 },
  } as Message;
}

/** Turn `turn`'s parts as a run makes them: none, one or several calls (by the turn), each with its outcome. */
function partsOf(turn: number): { calls: ToolCall[]; results: ToolResultBlock[]; outcomes: ToolCallOutcome[] } {
  const count = turn % 7 === 0 ? 0 : turn % 5 === 0 ? 3 : 1;
  const ids = Array.from({ length: count }, (_, index) => `toolu_${turn}_${index}`);
  return {
    calls: ids.map((id) => ({ toolUseId: id, name: 'record', input: { id }, turn })),
    results: ids.map((id) => ({ type: 'tool_result', tool_use_id: id, content: id })),
    outcomes: ids.map((_, index) => (index === 1 ? 'error' : turn % 11 === 0 ? 'duplicate_id' : 'ok')),
  };
}

/** What a step's fields were when they were plain ones, for the parts of `partsOf(turn)`. */
function plainStep(turn: number, credits: number, durationMs: number) {
  const { calls, results, outcomes } = partsOf(turn);
  const response = reply(turn);
  return {
    turn,
    response,
    toolCalls: calls,
    toolResults: results,
    toolOutcomes: outcomes,
    usage: response.usage,
    credits,
    durationMs,
  };
}

/** The params turn `turn` sends besides its messages: runs of equal ones (some new objects), and changes. */
function paramsOf(turn: number): SentParams {
  const tools = [{ name: 'record', description: 'records', input_schema: { type: 'object' as const } }];
  const base = { model: 'claude-opus-4-6', max_tokens: 1024, tools };
  if (turn % 300 === 0) return { ...base, tool_choice: { type: 'tool', name: 'record' } };
  return turn % 100 === 0 ? { ...BASE } : BASE;
}
const BASE: SentParams = { model: 'claude-opus-4-6', max_tokens: 1024 };

/** A run of `turns` steps over one transcript, built as `recordTurn` and `runTurnTools` build them. */
function buildSteps(turns: number): { steps: TurnStep[]; built: Array<ReturnType<typeof plainStep>> } {
  const transcript: MessageParam[] = [{ role: 'user', content: 'go' }];
  const table = new StepTable(transcript);
  const steps: TurnStep[] = [];
  const built: Array<ReturnType<typeof plainStep>> = [];
  for (let turn = 1; turn <= turns; turn += 1) {
    const expected = plainStep(turn, turn / 3, turn * 1.5 + 0.25);
    const sent = { params: paramsOf(turn), table, count: transcript.length };
    const step = new TurnStep(turn, sent, expected.response, turn / 3);
    transcript.push({ role: 'assistant', content: [] }, { role: 'user', content: expected.toolResults });
    step.setTools(expected.toolCalls, expected.toolResults, expected.toolOutcomes);
    step.durationMs = expected.durationMs;
    steps.push(step);
    built.push(expected);
  }
  return { steps, built };
}

describe('TurnStep', () => {
  it('Should read back, after 2,000 turns, every step as it was built: fields, keys in order, spread, JSON', () => {
    const { steps, built } = buildSteps(2000);
    steps.forEach((step, index) => {
      const expected = built[index] as ReturnType<typeof plainStep>;
      expect(Object.keys(step)).toEqual(KEYS);
      expect({ ...step }).toStrictEqual(expected);
      expect(step.toolCalls).toStrictEqual(expected.toolCalls);
      step.toolCalls.forEach((call, at) => {
        expect(call).toBe(expected.toolCalls[at]);
      });
      expect(step.toolResults).toBe(step.toolResults);
      // The params sent besides the messages, one object for each run of equal ones.
      const { messages, ...params } = step.request;
      expect(params).toStrictEqual(paramsOf(index + 1));
      if (params.tool_choice === undefined) expect(params.tools).toBeUndefined();
      expect(messages).toHaveLength(2 * index + 1);
      if (index > 40 && index % 250 !== 0 && index !== steps.length - 1) return;
      // JSON (what a step's request carried, whole: only on some steps) as a step with plain fields gave it.
      const { turn, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs } = expected;
      const request = step.request;
      expect(request.messages).toHaveLength(2 * index + 1);
      const plain = { turn, request, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs };
      expect(JSON.stringify(step)).toBe(JSON.stringify(plain));
    });
  });

  it('Should build toolCalls and toolOutcomes as a new array on each read, and keep what is assigned to any field', () => {
    const { steps } = buildSteps(10);
    const step = steps[4] as TurnStep;
    expect(step.toolCalls).toHaveLength(3);
    expect(step.toolCalls).not.toBe(step.toolCalls);
    const read = step.toolOutcomes;
    read.push('refused');
    expect(step.toolOutcomes).toEqual(['ok', 'error', 'ok']);
    const calls = (steps[0] as TurnStep).toolCalls;
    step.toolCalls = calls;
    step.toolOutcomes = [];
    calls.push(...(steps[1] as TurnStep).toolCalls);
    expect(step.toolCalls).toHaveLength(1);
    expect(step.toolCalls[0]).toBe((steps[0] as TurnStep).toolCalls[0]);
    expect(step.toolOutcomes).toEqual([]);
    step.turn = 42;
    expect([step.turn, steps[3]?.turn, steps[5]?.turn]).toEqual([42, 4, 6]);
    step.credits = 0.125;
    step.durationMs += 1;
    expect([step.credits, step.durationMs]).toEqual([0.125, 5 * 1.5 + 0.25 + 1]);
    expect([steps[3]?.credits, steps[5]?.durationMs]).toEqual([4 / 3, 6 * 1.5 + 0.25]);
    expect(Object.keys(step)).toEqual(KEYS);
  });

  it('Should keep outcomes through new calls, and the usage it had through a new response', () => {
    const { steps } = buildSteps(7);
    const [one, , , , three] = steps as TurnStep[];
    const step = one as TurnStep;
    // One ok per call is not kept: it follows from the calls, and still does with more calls.
    expect(step.toolOutcomes).toEqual(['ok']);
    step.toolCalls = (three as TurnStep).toolCalls;
    expect(step.toolOutcomes).toEqual(['ok']);
    step.toolOutcomes = ['ok', 'ok', 'ok'];
    step.toolCalls = [];
    expect(step.toolOutcomes).toEqual(['ok', 'ok', 'ok']);
    step.toolOutcomes = [];
    step.toolCalls = (three as TurnStep).toolCalls.slice(0, 1);
    expect([step.toolCalls.length, step.toolOutcomes]).toEqual([1, []]);
    (three as TurnStep).toolOutcomes = ['ok', 'ok', 'ok'];
    expect((three as TurnStep).toolOutcomes).toEqual(['ok', 'ok', 'ok']);
    // The usage is the response's until assigned; a new response leaves the step's usage as it was.
    const usage = step.usage;
    expect(usage).toBe(step.response.usage);
    const response = { ...step.response, usage: { input_tokens: 9, output_tokens: 9 } };
    step.response = response;
    expect(step.response).toBe(response);
    expect(step.usage).toBe(usage);
    step.usage = response.usage;
    expect(step.usage).toBe(response.usage);
    const other = steps[5] as TurnStep;
    other.usage = usage;
    other.response = response;
    expect([other.usage, other.response]).toEqual([usage, response]);
    expect((steps[6] as TurnStep).usage).toBe((steps[6] as TurnStep).response.usage);
    for (const each of steps) expect(Object.keys(each)).toEqual(KEYS);
  });

  it('Should clone to a plain object with the same keys, and share one pair of accessor functions among steps', () => {
    const { steps } = buildSteps(3);
    const [first, second] = steps as [TurnStep, TurnStep];
    const clone = structuredClone(first);
    expect(Object.keys(clone)).toEqual(KEYS);
    expect(clone).toEqual({ ...first });
    expect(Object.getOwnPropertyDescriptor(first, 'toolResults')).toMatchObject({ writable: true, enumerable: true });
    for (const key of KEYS.filter((key) => key !== 'toolResults')) {
      const [a, b] = [first, second].map((step) => Object.getOwnPropertyDescriptor(step, key));
      expect(a?.enumerable).toBe(true);
      expect(a?.get).toBeTypeOf('function');
      expect(a?.get).toBe(b?.get);
      expect(a?.set).toBe(b?.set);
    }
  });
});
