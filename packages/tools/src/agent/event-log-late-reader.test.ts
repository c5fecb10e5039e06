/**
 * A reader begun after the run ended (a "late" reader) gets the events the run emitted even after user code
 * changed a step: `step.turn` assigned, the step's response given another usage, the transcript's results
 * array (which the step shares) reordered and an item replaced. Each test: a three-turn run against the mock
 * gateway (turn 1: text and two tool calls, turn 2: text and one call, turn 3: text), every emitted event
 * recorded by a spy on `EventLog.prototype.push` (with copies of its usage objects as they were), then one
 * change to a step after the run, then `for await (const event of run)`. (A usage object changed in place is
 * documented to change a late reader's totals: docs/agent-loop.md.)
 */
import { MessagesClient, type ToolResultBlock } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { asEmitted, type Loose } from '../test-support/emitted-events.js';
import { defineTool } from '../tools/define-tool.js';
import type { AgentRun } from './agent-run.js';
import type { AgentEvent } from './agent-types.js';
import { EventLog } from './event-log.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await gateway?.close();
  gateway = undefined;
});

type TurnEnd = Extract<AgentEvent, { type: 'turn_end' }>;

async function finishedRun(): Promise<{ run: AgentRun; emitted: AgentEvent[]; asWhenEmitted: Loose[] }> {
  gateway = await startMockGateway({
    model: scriptedModel([
      {
        text: 'Recording.',
        toolCalls: [
          { name: 'record', input: { value: 1 }, id: 'toolu_a' },
          { name: 'record', input: { value: 2 }, id: 'toolu_b' },
        ],
      },
      { text: 'Once more.', toolCalls: [{ name: 'record', input: { value: 3 }, id: 'toolu_c' }] },
      { text: 'Done.' },
    ]),
  });
  const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
  const record = defineTool({
    name: 'record',
    description: 'records a value',
    input: z.object({ value: z.number() }),
    execute: ({ value }) => `recorded ${value}`,
  });
  const emitted: AgentEvent[] = [];
  const asWhenEmitted: Loose[] = [];
  const push = EventLog.prototype.push;
  vi.spyOn(EventLog.prototype, 'push').mockImplementation(function (this: EventLog<unknown>, event) {
    emitted.push(event);
    asWhenEmitted.push(asEmitted(event));
    push.call(this, event);
  });
  const run = runAgent({ client, prompt: 'go', tools: [record], toolConcurrency: 1 });
  await run;
  return { run, emitted, asWhenEmitted };
}

async function lateRead(run: AgentRun): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

const firstTurnEnd = (events: AgentEvent[]) => events.find((event) => event.type === 'turn_end') as TurnEnd;
/** The second turn's end (the first turn's usage event is kept whole: the log has no totals before it). */
const secondTurnEnd = (events: AgentEvent[]) => events.filter((event) => event.type === 'turn_end')[1] as TurnEnd;

it('Should give a late reader the turn_end turn emitted after the step’s turn was assigned', async () => {
  const { run, emitted, asWhenEmitted } = await finishedRun();
  const end = firstTurnEnd(emitted);
  expect(end.turn).toBe(1);
  end.step.turn = 7; // AgentStep.turn is writable (docs/agent-loop.md: "a turn assigned later is kept as given")
  const read = await lateRead(run);
  // The log keeps the turn_end's own turn: read off the step, it came back as { turn: 7 }.
  expect(read.map(asEmitted)).toStrictEqual(asWhenEmitted);
});

it('Should give a late reader the usage emitted after the usage of the step’s response object was replaced', async () => {
  const { run, emitted, asWhenEmitted } = await finishedRun();
  const end = secondTurnEnd(emitted);
  const usageEvent = emitted.filter((event) => event.type === 'usage')[1] as Extract<AgentEvent, { type: 'usage' }>;
  // Not an assignment to the step: to the response object it holds.
  end.step.response.usage = { input_tokens: 1000, output_tokens: 1000 };
  const read = await lateRead(run);
  const readUsage = read.filter((event) => event.type === 'usage')[1] as Extract<AgentEvent, { type: 'usage' }>;
  expect(readUsage.usage).toBe(usageEvent.usage);
  expect(read.map(asEmitted)).toStrictEqual(asWhenEmitted);
});

it('Should give a late reader the results emitted after the transcript’s results array was changed in place', async () => {
  const { run, emitted, asWhenEmitted } = await finishedRun();
  const end = firstTurnEnd(emitted);
  // `toolResults` is the array the transcript's user turn holds: code redacting or reordering the transcript
  // (result.messages) changes it in place.
  end.step.toolResults.reverse();
  end.step.toolResults[0] = { ...(end.step.toolResults[0] as ToolResultBlock), content: 'redacted' };
  const read = await lateRead(run);
  expect(read).toStrictEqual(emitted);
  expect(read.map(asEmitted)).toStrictEqual(asWhenEmitted);
});
