import { describe, expect, it } from 'vitest';
import { countCharacters } from './count-characters.js';
import { countMessages } from './count-messages.js';
import { estimateInputTokens } from './estimate-input-tokens.js';

type Message = { role: string; content: string | Array<{ type: string; text?: string }> };

/** What counting every message afresh gives. */
function fresh(messages: Message[]): { characters: number; images: number } {
  return countCharacters(structuredClone(messages));
}

function transcript(turns: number): Message[] {
  const messages: Message[] = [{ role: 'user', content: 'start' }];
  for (let turn = 0; turn < turns; turn += 1) {
    messages.push({ role: 'assistant', content: [{ type: 'text', text: `reply ${turn}` }] });
    messages.push({ role: 'user', content: `question ${turn}` });
  }
  return messages;
}

describe('countMessages', () => {
  it('Should count a growing transcript as a fresh count does, turn after turn', () => {
    const messages = transcript(0);
    for (let turn = 0; turn < 5; turn += 1) {
      expect(countMessages(messages.slice())).toEqual(fresh(messages));
      messages.push({ role: 'assistant', content: [{ type: 'text', text: `reply ${turn}` }] });
      messages.push({ role: 'user', content: `question ${turn}` });
    }
  });

  it('Should not serve a stale count for a message given a new content, a block added or removed, or replaced', () => {
    const messages = transcript(3);
    countMessages(messages);
    messages[2] = { ...(messages[2] as Message), content: 'a much longer question than before' };
    expect(countMessages(messages)).toEqual(fresh(messages));
    (messages[1] as Message).content = [{ type: 'text', text: 'a new content array, longer than the first' }];
    expect(countMessages(messages)).toEqual(fresh(messages));
    ((messages[1] as Message).content as Array<{ type: string; text: string }>).push({ type: 'text', text: 'more' });
    expect(countMessages(messages)).toEqual(fresh(messages));
    ((messages[1] as Message).content as unknown[]).shift();
    expect(countMessages(messages)).toEqual(fresh(messages));
    (messages[3] as Message).content = 'a string content, replaced';
    expect(countMessages(messages)).toEqual(fresh(messages));
  });

  it('Should count a shorter or different transcript with the same first message afresh', () => {
    const messages = transcript(4);
    countMessages(messages);
    const shorter = messages.slice(0, 3);
    expect(countMessages(shorter)).toEqual(fresh(shorter));
    const other = [messages[0] as Message, { role: 'assistant', content: 'another branch' }];
    expect(countMessages(other)).toEqual(fresh(other));
    expect(countMessages(messages)).toEqual(fresh(messages));
  });

  it('Should count images and documents whole, and messages that are not objects', () => {
    const messages = [
      { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] },
      { role: 'assistant', content: 'seen' },
    ];
    expect(countMessages(messages)).toEqual(fresh(messages as Message[]));
    expect(countMessages(messages).images).toBe(1600);
    expect(countMessages(['plain', 'strings'])).toEqual({ characters: 12, images: 0 });
  });

  it('Should give estimateInputTokens the same estimate as before a message was changed and counted again', () => {
    const messages = transcript(2);
    const before = estimateInputTokens({ messages: messages as never });
    (messages[2] as Message).content = `${(messages[2] as Message).content as string} and much more text to read`;
    const after = estimateInputTokens({ messages: messages as never });
    expect(after).toBeGreaterThan(before);
    expect(after).toBe(estimateInputTokens({ messages: structuredClone(messages) as never }));
  });
});
