import { describe, expectTypeOf, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';
import type { ToolUseBlock } from '../protocol/types.js';
import type { LoopguardErrorCode } from './error-codes.js';
import { isAPIError, isRateLimitError, type RateLimitError } from './errors.js';

describe('error and stream types', () => {
  it('Should narrow unknown to the class a guard names', () => {
    const error: unknown = undefined;
    if (isRateLimitError(error)) {
      expectTypeOf(error).toEqualTypeOf<RateLimitError>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
    if (isAPIError(error)) expectTypeOf(error.status).toBeNumber();
  });

  it('Should take the known codes and any other string as a code', () => {
    expectTypeOf<'rate_limit_exceeded'>().toExtend<LoopguardErrorCode>();
    expectTypeOf<'budget_exceeded'>().toExtend<LoopguardErrorCode>();
  });

  it('Should type stream listeners by event name, old names included', () => {
    const stream = new MessagesClient({ apiKey: 'sk-test-0123456789abcdef' }).stream({
      messages: [{ role: 'user', content: 'x' }],
    });
    stream.on('tool_use', (block) => expectTypeOf(block).toEqualTypeOf<ToolUseBlock>());
    stream.on('toolUse', (block) => expectTypeOf(block).toEqualTypeOf<ToolUseBlock>());
    stream.on('text', (delta, snapshot) => {
      expectTypeOf(delta).toBeString();
      expectTypeOf(snapshot).toBeString();
    });
    // @ts-expect-error: no such event
    stream.on('toolCall', () => undefined);
  });
});
