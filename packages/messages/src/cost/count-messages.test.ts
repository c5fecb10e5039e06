import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../internal/seeded-random.js';
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

describe('countMessages: requests that reuse what an earlier count read', () => {
  type Block = { type: string; text?: string };
  const blocksOf = (message: Message) => message.content as Block[];

  it('Should not serve a stale count for a block replaced at the same index of a content array', () => {
    const messages = transcript(3);
    countMessages(messages);
    // How a middleware puts cache_control on a message's last block.
    const content = blocksOf(messages[3] as Message);
    content[0] = { ...(content[0] as Block), text: 'a replaced block, much longer than the one before it' };
    expect(countMessages(messages)).toEqual(fresh(messages));
  });

  it('Should not serve a stale count for a block added and another removed between two requests', () => {
    const messages = transcript(3);
    countMessages(messages);
    const content = blocksOf(messages[1] as Message);
    content.push({ type: 'text', text: 'added at the end, and long enough to change the count' });
    content.shift();
    expect(countMessages(messages)).toEqual(fresh(messages));
  });

  it('Should count blocks moved from one message to the next as a fresh count does', () => {
    const messages = transcript(3);
    countMessages(messages);
    const from = blocksOf(messages[3] as Message);
    const to = blocksOf(messages[5] as Message);
    from.push({ type: 'image', source: {} } as Block);
    expect(countMessages(messages)).toEqual(fresh(messages));
    to.unshift(from.pop() as Block);
    expect(countMessages(messages)).toEqual(fresh(messages));
    expect(countMessages(messages).images).toBe(1600);
  });
});

describe('countMessages: any sequence of requests but blocks edited in place', () => {
  /** Integers below `below` from the seeded generator: the same sequence of edits on every run. */
  function random(seed: number): (below: number) => number {
    const next = createSeededRandom(seed);
    return (below) => Math.floor(next() * below);
  }

  type Content = Message['content'];
  const newContent = (pick: (below: number) => number, size: number): Content =>
    pick(3) === 0
      ? `text of ${size} ${'x'.repeat(pick(40))}`
      : Array.from({ length: pick(4) }, (_, at) =>
          pick(5) === 0 ? { type: 'image' } : { type: 'text', text: `block ${at} ${'y'.repeat(pick(30))}` },
        );

  /** One edit of a conversation that a caller may make between two requests (a block is never edited in place). */
  function edit(messages: Message[], pick: (below: number) => number): void {
    const at = pick(messages.length);
    const target = messages[at] as Message;
    switch (pick(9)) {
      case 0:
      case 1:
        messages.push({ role: pick(2) ? 'user' : 'assistant', content: newContent(pick, messages.length) });
        break;
      case 2:
        if (messages.length > 1) messages.splice(1 + pick(messages.length - 1), 1 + pick(2));
        break;
      case 3:
        if (at > 0) messages[at] = { role: target.role, content: newContent(pick, at) };
        break;
      case 4:
        target.content = newContent(pick, at);
        break;
      case 5:
        if (Array.isArray(target.content)) target.content.push({ type: 'text', text: 'pushed'.repeat(pick(5)) });
        break;
      case 6:
        if (Array.isArray(target.content) && target.content.length > 0)
          target.content[pick(target.content.length)] = { type: 'text', text: 'in its place'.repeat(pick(4)) };
        break;
      case 7:
        if (Array.isArray(target.content)) target.content.splice(pick(target.content.length + 1), 1);
        break;
      default:
        messages.length = Math.max(1, messages.length - pick(3));
    }
  }

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'Should give two conversations sharing their first message the fresh estimate after every edit (seed %i)',
    (seed) => {
      const pick = random(seed);
      const first: Message = { role: 'user', content: [{ type: 'text', text: 'shared first message' }] };
      const runs: Message[][] = [[first], [first]];
      const tools = [{ name: 'tool', description: 'a tool', input_schema: { type: 'object' } }];
      for (let step = 0; step < 400; step += 1) {
        const messages = runs[pick(2)] as Message[];
        edit(messages, pick);
        // Either the array itself (mutated by the edits) or a copy of it, as a client sends each turn.
        const sent = pick(2) === 0 ? messages : messages.slice();
        const params = { system: 'be brief', messages: sent as never, tools: tools as never };
        expect(estimateInputTokens(params)).toBe(estimateInputTokens(structuredClone(params)));
        expect(countMessages(sent)).toEqual(fresh(sent));
      }
    },
  );

  it('Should count a request whose messages is not an array as nothing, as before', () => {
    const system = 'sys';
    expect(estimateInputTokens({ system, messages: 'not an array' as never })).toBe(1);
    expect(estimateInputTokens({ system, messages: { 0: { role: 'user', content: 'x' } } as never })).toBe(1);
    expect(estimateInputTokens({ system, messages: undefined as never })).toBe(1);
  });
});
