import { type MessageParam, MessagesClient } from '@loopguard/messages';
import { type MockGateway, scriptedModel, startMockGateway } from '@loopguard/mock-gateway';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../agent/agent-types.js';
import { runAgent } from '../agent/run-agent.js';
import { checkTranscript, MISSING_RESULT_TEXT } from './check-transcript.js';
import { TranscriptError } from './transcript-error.js';

let gateway: MockGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const call = (id: string) => ({ type: 'tool_use' as const, id, name: 'lookup', input: {} });
const answer = (id: string) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'ok' });
const calls = (...ids: string[]): MessageParam => ({ role: 'assistant', content: ids.map(call) });
const results = (...blocks: object[]): MessageParam => ({ role: 'user', content: blocks as never });
const ask: MessageParam = { role: 'user', content: 'look up a and b' };

function refused(messages: MessageParam[]): TranscriptError {
  try {
    checkTranscript(messages);
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptError);
    return error as TranscriptError;
  }
  throw new Error('the transcript was not refused');
}

describe('checkTranscript', () => {
  it('Should pass a valid transcript through unchanged (the same array)', () => {
    const messages = [ask, calls('a', 'b'), results(answer('a'), answer('b'), { type: 'text', text: 'more' })];
    const checked = checkTranscript(messages);
    expect(checked.messages).toBe(messages);
    expect(checked.repairs).toEqual([]);
  });

  it('Should repair a call cut off without result, keeping the turn text after the results', () => {
    const messages = [ask, calls('a', 'b'), results(answer('a'), { type: 'text', text: 'go on' })];
    const checked = checkTranscript(messages);
    expect(checked.repairs).toEqual([{ type: 'missing_tool_result', messageIndex: 1, toolUseId: 'b' }]);
    expect(checked.messages[2]?.content).toEqual([
      answer('a'),
      { type: 'tool_result', tool_use_id: 'b', is_error: true, content: MISSING_RESULT_TEXT },
      { type: 'text', text: 'go on' },
    ]);
    expect(messages[2]?.content).toHaveLength(2);
  });

  it.each([
    ['results out of order', [ask, calls('a', 'b'), results(answer('b'), answer('a'))], 'messages.2.content'],
    [
      'a result after text',
      [ask, calls('a'), results({ type: 'text', text: 'x' }, answer('a'))],
      'messages.2.content.1',
    ],
    ['two results for one call', [ask, calls('a'), results(answer('a'), answer('a'))], 'messages.2.content.1'],
    ['a result for another call', [ask, calls('a'), results(answer('z'))], 'messages.2.content.0'],
    ['a result with no call before it', [results(answer('a'))], 'messages.0.content.0'],
    ['an assistant turn after calls', [ask, calls('a'), calls('b')], 'messages.2'],
    [
      'a thinking block without its signature',
      [ask, { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm' }] }],
      'messages.1.content.0',
    ],
    ['a tool_use in a user turn', [{ role: 'user', content: [call('a')] }], 'messages.0.content.0'],
  ])('Should refuse %s, naming the place', (_name, messages, path) => {
    expect(refused(messages as MessageParam[]).path).toBe(path);
  });
});

describe('the check before every send', () => {
  it('Should repair a given transcript that ends in a call, report it, and be accepted by the gateway', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'Carrying on.' }]) });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL });
    const run = runAgent({ client, messages: [ask, calls('a')], prompt: 'go on' });
    const events: AgentEvent[] = [];
    for await (const event of run) events.push(event);
    const result = await run;
    expect(result.stopReason).toBe('end_turn');
    expect(events.filter((event) => event.type === 'transcript_repaired')).toHaveLength(1);
    const sent = (gateway.requests[0]?.body as { messages: MessageParam[] } | undefined)?.messages ?? [];
    expect(sent[2]?.content).toEqual([
      { type: 'tool_result', tool_use_id: 'a', is_error: true, content: MISSING_RESULT_TEXT },
      { type: 'text', text: 'go on' },
    ]);
  });

  it('Should refuse a given transcript it cannot repair before sending anything', async () => {
    gateway = await startMockGateway({ model: scriptedModel([{ text: 'never' }]) });
    const client = new MessagesClient({ apiKey: 'sk-local-test', baseURL: gateway.baseURL });
    expect(() => runAgent({ client, messages: [ask, calls('a', 'b'), results(answer('b'), answer('a'))] })).toThrow(
      TranscriptError,
    );
    expect(gateway.requests).toHaveLength(0);
  });
});
