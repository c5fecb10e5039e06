import type { MessageParam } from '@loopguard/messages';
import { MessagesClient } from '@loopguard/messages';
import { type MockGateway, type MockGatewayOptions, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgent } from '../agent/run-agent.js';
import { defineTool } from '../tools/define-tool.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const script = () =>
  scriptedModel([
    { text: 'Checking Oslo.', toolCalls: [{ name: 'lookup', input: { city: 'Oslo' } }] },
    { text: 'And Rome.', toolCalls: [{ name: 'lookup', input: { city: 'Rome' } }] },
    { text: 'Oslo is cold, Rome is warm.' },
  ]);

async function setup(options: MockGatewayOptions) {
  gateway = await startMockGateway({ model: script(), ...options });
  return new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL, retryBaseDelayMs: 1 });
}

function lookupTool(calls: string[], onCall?: () => void) {
  return defineTool({
    name: 'lookup',
    description: 'Looks a city up',
    input: z.object({ city: z.string() }),
    execute: ({ city }) => {
      calls.push(city);
      onCall?.();
      return { city, mild: city === 'Rome' };
    },
  });
}

interface SentBody {
  messages: MessageParam[];
  thread?: { type: string; previous_message_id?: string };
  tools?: unknown[];
  system?: unknown;
}

function sentBodies(): Array<{ body: SentBody; status: number | undefined }> {
  return (gateway?.requests ?? [])
    .filter((record) => record.path.endsWith('/messages'))
    .map((record) => ({ body: record.body as SentBody, status: record.status }));
}

describe('runAgent with threads', () => {
  it('Should send only the new turn on a continued thread, and end with the same transcript and usage as a whole-transcript run', async () => {
    const whole = await runAgent({
      client: await setup({}),
      prompt: 'Oslo and Rome?',
      system: 'Be brief.',
      tools: [lookupTool([])],
    });
    await gateway?.close();

    const calls: string[] = [];
    const client = await setup({});
    const threaded = await runAgent({
      client,
      prompt: 'Oslo and Rome?',
      system: 'Be brief.',
      tools: [lookupTool(calls)],
      threads: true,
    });
    expect(threaded.stopReason).toBe('end_turn');
    expect(calls).toEqual(['Oslo', 'Rome']);
    const sent = sentBodies().map((entry) => entry.body);
    expect(sent).toHaveLength(3);
    const betas = (gateway?.requests ?? []).map((record) => record.headers['anthropic-beta']);
    expect(betas).toEqual(Array(3).fill('message-threads-2026-08-12'));
    expect(sent[0]?.thread).toEqual({ type: 'create' });
    expect(sent[0]?.messages).toEqual([{ role: 'user', content: 'Oslo and Rome?' }]);
    expect(sent[0]?.tools).toHaveLength(1);
    const replies = threaded.steps.map((step) => step.response.id);
    for (const turn of [1, 2]) {
      // Only the tool results of the turn before, without the settings the thread keeps.
      expect(sent[turn]?.thread).toEqual({ type: 'continue', previous_message_id: replies[turn - 1] });
      expect(sent[turn]?.messages).toEqual([threaded.messages[turn * 2]]);
      expect(sent[turn]?.messages[0]?.role).toBe('user');
      expect(sent[turn]?.tools).toBeUndefined();
      expect(sent[turn]?.system).toBeUndefined();
    }
    // The gateway read the same conversation each turn: same usage, same transcript.
    const withoutIds = (messages: MessageParam[]) => JSON.stringify(messages).replace(/toolu_\w+/g, 'toolu');
    expect(withoutIds(threaded.messages)).toBe(withoutIds(whole.messages));
    expect(threaded.usage).toEqual(whole.usage);
    expect(threaded.credits).toBeCloseTo(whole.credits, 10);
  });

  it('Should send the anthropic-beta header the Anthropic API requires with every threaded request, and only with them', async () => {
    const client = await setup({ threads: false });
    const result = await runAgent({ client, prompt: 'Oslo and Rome?', tools: [lookupTool([])], threads: true });
    expect(result.stopReason).toBe('end_turn');
    const sent = (gateway?.requests ?? []).filter((record) => record.path.endsWith('/messages'));
    // The first carried a thread and was refused; the gateway has none, so the rest went without.
    expect(sent.map((record) => [Boolean((record.body as SentBody).thread), record.headers['anthropic-beta']])).toEqual(
      [
        [true, 'message-threads-2026-08-12'],
        [false, undefined],
        [false, undefined],
        [false, undefined],
      ],
    );
  });

  it('Should send the turn whole on a new thread when the gateway lost the thread, and run each tool once', async () => {
    const calls: string[] = [];
    const client = await setup({});
    const result = await runAgent({
      client,
      prompt: 'Oslo and Rome?',
      tools: [lookupTool(calls, () => gateway?.forgetThreads())],
      threads: true,
      stream: false,
    });
    expect(result.stopReason).toBe('end_turn');
    expect(calls).toEqual(['Oslo', 'Rome']);
    const sent = sentBodies();
    expect(sent.map((entry) => [entry.body.thread?.type, entry.status])).toEqual([
      ['create', 200],
      ['continue', 404], // lost after the first tool ran
      ['create', 200], // the whole transcript again
      ['continue', 404],
      ['create', 200],
    ]);
    expect(sent[2]?.body.messages).toEqual(result.messages.slice(0, 3));
    expect(sent[4]?.body.messages).toEqual(result.messages.slice(0, 5));
  });

  it('Should go on without threads when the gateway has none', async () => {
    const calls: string[] = [];
    const client = await setup({ threads: false });
    const result = await runAgent({
      client,
      prompt: 'Oslo and Rome?',
      tools: [lookupTool(calls)],
      threads: true,
    });
    expect(result.stopReason).toBe('end_turn');
    expect(calls).toEqual(['Oslo', 'Rome']);
    const sent = sentBodies();
    expect(sent.map((entry) => [entry.body.thread?.type, entry.status])).toEqual([
      ['create', 400],
      [undefined, 200],
      [undefined, 200],
      [undefined, 200],
    ]);
    expect(sent[3]?.body.messages).toEqual(result.messages.slice(0, 5));
  });
});
