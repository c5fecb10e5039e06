import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message.js';

describe('parseMessage', () => {
  it('Should keep every field of the body in its order, fill in usage and add the request id last', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-opus-4-6',
      content: [{ type: 'text', text: 'hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { output_tokens: 3, cache_read_input_tokens: 2 },
      credits_consumed: 0.02,
    };
    const message = parseMessage(JSON.stringify(body), 'req_1');
    expect(Object.keys(message)).toEqual([...Object.keys(body), 'request_id']);
    expect(message).toEqual({
      ...body,
      usage: { input_tokens: 0, output_tokens: 3, cache_read_input_tokens: 2 },
      request_id: 'req_1',
    });
    expect(Object.keys(message.usage)).toEqual(['input_tokens', 'output_tokens', 'cache_read_input_tokens']);
  });

  it('Should add usage last when the body has none, and no request id when none is known', () => {
    const message = parseMessage('{"id":"msg_2","content":[]}', undefined);
    expect(Object.keys(message)).toEqual(['id', 'content', 'usage']);
    expect(message.usage).toEqual({ input_tokens: 0, output_tokens: 0 });
  });

  it('Should refuse a body that is not a message', () => {
    expect(() => parseMessage('not json', undefined)).toThrow(/not JSON/);
    expect(() => parseMessage('{"id":"msg_3"}', 'req_3')).toThrow(/no `content` array/);
  });
});
