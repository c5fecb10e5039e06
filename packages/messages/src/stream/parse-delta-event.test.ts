import { describe, expect, it } from 'vitest';
import { StreamError } from '../errors/errors.js';
import {
  emptyPlainDelta,
  type PlainDelta,
  parseDeltaEvent,
  plainDeltaEvent,
  readPlainDelta,
} from './parse-delta-event.js';
import { parseStreamEvent } from './read-event-stream.js';

const plain = (deltaType: string, field: string, value: string, index = 0) =>
  JSON.stringify({ type: 'content_block_delta', index, delta: { type: deltaType, [field]: value } });

describe('parseDeltaEvent', () => {
  it('Should read text, thinking and tool-input deltas exactly as JSON.parse reads them', () => {
    const samples = [
      plain('text_delta', 'text', 'Hello'),
      plain('text_delta', 'text', ''),
      plain('text_delta', 'text', 'ünïcödé ✓ 🚀 and more', 12),
      plain('thinking_delta', 'thinking', 'weigh it } carefully }}', 3),
      plain('text_delta', 'text', 'x'.repeat(10_000), 123_456_789),
      plain('input_json_delta', 'partial_json', '{"city": "Par', 1), // escaped quotes
      plain('text_delta', 'text', 'a "quoted" word, a \\ backslash, a\nnew line, \u0007 and \t'),
    ];
    for (const data of samples) {
      expect(parseDeltaEvent(data), data.slice(0, 80)).toEqual(JSON.parse(data));
    }
  });

  it('Should leave every other shape to JSON.parse, and parseStreamEvent should still read it the same', () => {
    const others = [
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"} }',
      plain('signature_delta', 'signature', 'sig'),
      JSON.stringify({ index: 0, type: 'content_block_delta', delta: { type: 'text_delta', text: 'reordered' } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { text: 'reordered', type: 'text_delta' } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x', extra: 1 } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x' }, more: true }),
      JSON.stringify({ type: 'content_block_delta', index: -1, delta: { type: 'text_delta', text: 'x' } }),
      JSON.stringify({ type: 'content_block_delta', index: 1.5, delta: { type: 'text_delta', text: 'x' } }),
      JSON.stringify({ type: 'content_block_delta', index: 1e10, delta: { type: 'text_delta', text: 'x' } }),
      JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ];
    for (const data of others) {
      expect(parseDeltaEvent(data), data).toBeUndefined();
      expect(parseStreamEvent(undefined, data)).toEqual(JSON.parse(data));
    }
  });

  it('Should not take malformed JSON that looks like a delta: parseStreamEvent still refuses it', () => {
    const malformed = [
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"}}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ab"c"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ab\\"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \\x escape"}}',
      '{"type":"content_block_delta","index":00,"delta":{"type":"text_delta","text":"abc"}}',
      '{"type":"content_block_delta","index":,"delta":{"type":"text_delta","text":"abc"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc}}',
    ];
    for (const data of malformed) {
      expect(parseDeltaEvent(data), data).toBeUndefined();
      expect(() => parseStreamEvent('content_block_delta', data), data).toThrow(StreamError);
    }
  });

  it('Should read a plain delta in place, and plainDeltaEvent should give what JSON.parse gives, a new object each time', () => {
    const into: PlainDelta = { ...emptyPlainDelta(), index: -1, value: 'stale' };
    const samples = [
      plain('text_delta', 'text', 'a "quoted" word, \\ and ü ✓ 🚀'),
      '{"type":"content_block_delta","index":4,"delta":{"type":"text_delta","text":"lone \\ud800 surrogate"}}',
      '{"type":"content_block_delta","index":2,"delta":{"type":"thinking_delta","thinking":"\\u00e9\\ud83d\\ude80"}}',
      plain('input_json_delta', 'partial_json', '{"a": "b\\"c', 7),
    ];
    for (const data of samples) {
      expect(readPlainDelta(data, into), data).toBe(true);
      const event = plainDeltaEvent(into);
      expect(event, data).toEqual(JSON.parse(data));
      expect(plainDeltaEvent(into)).not.toBe(event);
      expect(plainDeltaEvent(into).delta).not.toBe(event.delta);
    }
    expect(into.value).toBe('{"a": "b\\"c');
    expect(readPlainDelta(samples[1] as string, into)).toBe(true);
    expect(into.value).toBe('lone \ud800 surrogate');
    for (const data of [
      JSON.stringify({ index: 0, type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { text: 'x', type: 'text_delta' } }),
      JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x', extra: 1 } }),
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ab"c"}}',
    ]) {
      expect(readPlainDelta(data, into), data).toBe(false);
    }
  });
});
