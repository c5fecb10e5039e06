import { describe, expect, it } from 'vitest';
import { AbortedError, ConnectionError, InvalidRequestError, RateLimitError } from '../errors/errors.js';
import { retryDelay, shouldRetry, toAbortError } from './retry-policy.js';

const retryable = new ConnectionError('reset', { code: 'connection_error', retryable: true });

describe('retry policy', () => {
  it.each([
    [
      'a retryable error with retries left',
      { error: retryable, retriesLeft: 1, handedOn: false, aborted: false },
      true,
    ],
    ['no retries left', { error: retryable, retriesLeft: 0, handedOn: false, aborted: false }, false],
    ['part of the stream already shown', { error: retryable, retriesLeft: 2, handedOn: true, aborted: false }, false],
    ['the caller aborted', { error: retryable, retriesLeft: 2, handedOn: false, aborted: true }, false],
    [
      'an error that is not retryable',
      { error: new InvalidRequestError('bad'), retriesLeft: 2, handedOn: false, aborted: false },
      false,
    ],
    ['a plain Error', { error: new Error('x'), retriesLeft: 2, handedOn: false, aborted: false }, false],
  ])('Should decide %s', (_name, question, expected) => {
    expect(shouldRetry(question)).toBe(expected);
  });

  it('Should wait what the server asked, else back off exponentially with jitter up to 8 s', () => {
    expect(retryDelay(new RateLimitError('x', { retryAfterMs: 1234 }), 1, 500)).toBe(1234);
    expect(retryDelay(retryable, 1, 500, () => 0.5)).toBe(500);
    expect(retryDelay(retryable, 3, 500, () => 0.5)).toBe(2000);
    expect(retryDelay(retryable, 3, 500, () => 0)).toBe(1500);
    expect(retryDelay(retryable, 3, 500, () => 1)).toBe(2500);
    expect(retryDelay(retryable, 20, 500, () => 0.5)).toBe(8000);
  });

  it('Should keep a typed abort reason and wrap anything else in an AbortedError', () => {
    expect(toAbortError(retryable)).toBe(retryable);
    const wrapped = toAbortError('user');
    expect(wrapped).toBeInstanceOf(AbortedError);
    expect(wrapped.code).toBe('aborted');
    expect(wrapped.cause).toBe('user');
  });
});
