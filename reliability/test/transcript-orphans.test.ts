import type { MessageParam } from '@loopguard/messages';
import { describe, expect, it } from 'vitest';
import { countOrphans } from '../src/transcript-orphans.js';

const call = (id: string) => ({ type: 'tool_use' as const, id, name: 't', input: {} });
const answer = (id: string) => ({ type: 'tool_result' as const, tool_use_id: id, content: 'ok' });
const turn = (role: 'user' | 'assistant', blocks: object[]): MessageParam => ({ role, content: blocks as never });

describe('countOrphans counts with multisets', () => {
  it('Should count nothing for a call answered once', () => {
    expect(
      countOrphans([
        turn('user', [{ type: 'text', text: 'go' }]),
        turn('assistant', [call('a')]),
        turn('user', [answer('a')]),
      ]),
    ).toBe(0);
  });

  it.each([
    ['a call answered twice', [turn('assistant', [call('a')]), turn('user', [answer('a'), answer('a')])], 1],
    [
      'two calls sharing an id, answered once',
      [turn('assistant', [call('a'), call('a')]), turn('user', [answer('a')])],
      1,
    ],
    ['a call with no answer', [turn('assistant', [call('a'), call('b')]), turn('user', [answer('a')])], 1],
    ['an answer to nothing', [turn('assistant', [call('a')]), turn('user', [answer('a'), answer('z')])], 1],
    ['a result in the first turn', [turn('user', [answer('a')])], 1],
  ])('Should count %s', (_name, messages, orphans) => {
    expect(countOrphans(messages as MessageParam[])).toBe(orphans);
  });
});
