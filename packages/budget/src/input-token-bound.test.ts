import { IMAGE_TOKENS } from '@loopguard/messages';
import { countInputTokens } from '@loopguard/mock-gateway';
import { describe, expect, it } from 'vitest';
import { inputTokenBound, TOOL_USE_SYSTEM_PROMPT_TOKENS } from './input-token-bound.js';
import { ConversationAnchors, snapshotPrompt } from './internal/conversation-anchors.js';

const cjk = '量子计算使用量子比特进行运算'.repeat(50);
const base64 = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)).toString('base64');

describe('inputTokenBound', () => {
  it('Should bound text at one token per byte, so CJK and base64 are never under-counted', () => {
    for (const text of [cjk, base64, 'plain English words', '🙂'.repeat(40)]) {
      const prompt = { messages: [{ role: 'user' as const, content: text }] };
      const bound = inputTokenBound(prompt);
      expect(bound).toBeGreaterThanOrEqual(Buffer.byteLength(text, 'utf8'));
      // One token per character (UTF-16 unit) of the whole JSON, the harshest tokenizer the mock has.
      expect(bound).toBeGreaterThanOrEqual(JSON.stringify({ system: null, ...prompt, tools: null }).length);
      expect(bound).toBeGreaterThanOrEqual(countInputTokens(prompt));
    }
  });

  it('Should count an image at its maximum, not by its base64 bytes, and tools with their system prompt', () => {
    const image = {
      type: 'image' as const,
      source: { type: 'base64' as const, media_type: 'image/png', data: base64 },
    };
    const withImage = inputTokenBound({ messages: [{ role: 'user', content: [image] }] });
    expect(withImage).toBeGreaterThanOrEqual(IMAGE_TOKENS);
    expect(withImage).toBeLessThan(IMAGE_TOKENS + 200);
    const tool = { name: 'echo', description: 'echoes', input_schema: { type: 'object' as const } };
    const plain = inputTokenBound({ messages: [{ role: 'user', content: 'hi' }] });
    const withTools = inputTokenBound({ messages: [{ role: 'user', content: 'hi' }], tools: [tool] });
    expect(withTools - plain).toBeGreaterThanOrEqual(TOOL_USE_SYSTEM_PROMPT_TOKENS + JSON.stringify([tool]).length);
  });
});

describe('ConversationAnchors', () => {
  const first = { role: 'user' as const, content: cjk };
  const reply = { role: 'assistant' as const, content: 'ok' };
  const next = { role: 'user' as const, content: 'and then?' };

  it('Should bound a prompt that extends the last reported one by its count plus the bytes of what is new', () => {
    const anchors = new ConversationAnchors();
    anchors.record('run', snapshotPrompt({ messages: [first], system: 's' }), 700);
    const bound = anchors.bound('run', snapshotPrompt({ messages: [first, reply, next], system: 's' }));
    const newBytes = Buffer.byteLength(JSON.stringify(reply)) + Buffer.byteLength(JSON.stringify(next));
    expect(bound).toBeGreaterThanOrEqual(700 + newBytes);
    expect(bound).toBeLessThan(700 + newBytes + 10);
  });

  it('Should not anchor a prompt of another run, with other messages first, or with another system prompt', () => {
    const anchors = new ConversationAnchors();
    anchors.record('run', snapshotPrompt({ messages: [first], system: 's' }), 700);
    expect(anchors.bound('other', snapshotPrompt({ messages: [first, next], system: 's' }))).toBeUndefined();
    expect(anchors.bound('run', snapshotPrompt({ messages: [{ ...first }, next], system: 's' }))).toBeUndefined();
    expect(anchors.bound('run', snapshotPrompt({ messages: [first, next], system: 't' }))).toBeUndefined();
    expect(anchors.bound('run', snapshotPrompt({ messages: [], system: 's' }))).toBeUndefined();
  });
});
