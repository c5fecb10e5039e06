/**
 * A `text` listener's snapshot (its second argument: the text of the current block so far) is the block's own
 * also for a text block that had no `content_block_start`: a delta for an index never started (which the
 * accumulator opens itself) or the gateway's short form (no index at all, a new block when the kind changes).
 * The snapshot once carried the previous block's text into such a block.
 */
import { expect, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';

const params = { model: 'm', max_tokens: 5, messages: [{ role: 'user' as const, content: 'hi' }] };
const start = {
  type: 'message_start',
  message: { id: 'x', type: 'message', role: 'assistant', model: 'm', content: [], usage: {} },
};
const end = [
  { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } },
  { type: 'message_stop' },
];

async function textCalls(events: unknown[]): Promise<{ calls: string[][]; content: unknown }> {
  const body = events.map((event) => `event: x\ndata: ${JSON.stringify(event)}\n\n`).join('');
  const client = new MessagesClient({
    apiKey: 'sk-test-snapshot-0123456789',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  });
  const stream = client.stream(params);
  const calls: string[][] = [];
  stream.on('text', (delta, snapshot) => calls.push([delta, snapshot]));
  const message = await stream.finalMessage();
  return { calls, content: message.content };
}

it('Should give a text block opened by a delta for an index never started its own snapshot', async () => {
  const { calls, content } = await textCalls([
    start,
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'first block' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'second' } },
    ...end,
  ]);
  expect(content).toEqual([
    { type: 'text', text: 'first block' },
    { type: 'text', text: 'second' },
  ]);
  // It was [['first block', 'first block'], ['second', 'first blocksecond']].
  expect(calls).toEqual([
    ['first block', 'first block'],
    ['second', 'second'],
  ]);
});

it("Should give the gateway's short form (no index) a new snapshot for the text block after a thinking block", async () => {
  const { calls, content } = await textCalls([
    start,
    { type: 'content_block_delta', delta: { type: 'text_delta', text: 'one' } },
    { type: 'content_block_delta', delta: { type: 'thinking_delta', thinking: 'hmm' } },
    { type: 'content_block_delta', delta: { type: 'text_delta', text: 'two' } },
    ...end,
  ]);
  expect(content).toEqual([
    { type: 'text', text: 'one' },
    { type: 'thinking', thinking: 'hmm', signature: '' },
    { type: 'text', text: 'two' },
  ]);
  expect(calls).toEqual([
    ['one', 'one'],
    ['two', 'two'],
  ]);
});
