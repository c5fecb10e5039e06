import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, type ScriptedReply, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../tools/define-tool.js';
import { runAgent } from './run-agent.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function clientFor(replies: ScriptedReply[]) {
  gateway = await startMockGateway({ model: scriptedModel(replies) });
  return new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
}

const sent = () =>
  (gateway?.requests ?? []).map((record) => record.body as { tool_choice?: unknown; thinkingFlag?: boolean });

describe("the gateway's stop reason", () => {
  it.each(['stop_sequence', 'model_context_window_exceeded', 'solar_flare'])(
    'Should end the run with "%s" as the gateway said it, not end_turn',
    async (stopReason) => {
      const client = await clientFor([{ text: 'partial', stopReason }]);
      const result = await runAgent({ client, prompt: 'go', stream: stopReason !== 'solar_flare' });
      expect(result.stopReason).toBe(stopReason);
      expect(result.text).toBe('partial');
    },
  );

  it('Should run no tool of a message cut by the context window', async () => {
    const ran: string[] = [];
    const client = await clientFor([
      {
        text: 'out of room',
        toolCalls: [{ name: 'note', input: { text: 'x' } }],
        stopReason: 'model_context_window_exceeded',
      },
    ]);
    const note = {
      name: 'note',
      description: 'Notes',
      input: z.object({ text: z.string() }),
      execute: ({ text }: { text: string }) => ran.push(text),
    };
    const result = await runAgent({ client, prompt: 'go', tools: [defineTool(note)] });
    expect(result.stopReason).toBe('model_context_window_exceeded');
    expect(ran).toEqual([]);
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'out of room' }] });
  });
});

describe('a refused turn', () => {
  it('Should run no tool of a reply the model refused, and keep the refusal as the stop reason', async () => {
    const ran: string[] = [];
    const client = await clientFor([
      { text: 'I will not.', toolCalls: [{ name: 'note', input: { text: 'x' } }], stopReason: 'refusal' },
    ]);
    const note = defineTool({
      name: 'note',
      description: 'Notes',
      input: z.object({ text: z.string() }),
      execute: ({ text }) => ran.push(text),
    });
    const result = await runAgent({ client, prompt: 'go', tools: [note] });
    expect(result.stopReason).toBe('refusal');
    expect(ran).toEqual([]);
    expect(JSON.stringify(result.messages)).not.toContain('tool_use');
  });
});

describe('a structured final answer with extended thinking', () => {
  it('Should never force tool_choice while thinking is on (the API refuses it), and still get the answer', async () => {
    const client = await clientFor([
      { thinking: 'hm', text: 'The answer is 42.' },
      { thinking: 'now the tool', toolCalls: [{ name: 'final_answer', input: { answer: 42 } }] },
    ]);
    const result = await runAgent({
      client,
      prompt: 'answer',
      output: z.object({ answer: z.number() }),
      thinking: true,
    });
    expect(result.stopReason).toBe('end_turn');
    expect(result.output).toEqual({ answer: 42 });
    expect(sent().map((body) => [body.thinkingFlag, body.tool_choice])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('Should still force the final answer when thinking is off', async () => {
    const client = await clientFor([
      { text: 'The answer is 42.' },
      { toolCalls: [{ name: 'final_answer', input: { answer: 42 } }] },
    ]);
    const result = await runAgent({ client, prompt: 'answer', output: z.object({ answer: z.number() }) });
    expect(result.output).toEqual({ answer: 42 });
    expect(sent()[1]?.tool_choice).toEqual({ type: 'tool', name: 'final_answer' });
  });
});
