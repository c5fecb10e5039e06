import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

// Every class and its guard, by name: a guard says yes to its class and its subclasses, no to the others,
// and yes to an error made by another copy of the package (same Symbol.for marker, different class).
type ErrorClass = new (message: string, options?: errors.LoopguardErrorOptions) => Error;
const classes = (Object.entries(errors) as Array<[string, unknown]>)
  .filter(([name, value]) => typeof value === 'function' && /Error$/.test(name) && !name.startsWith('is'))
  .map(([name, value]) => [name, value as ErrorClass] as const);
const guardOf = (name: string) =>
  (errors as unknown as Record<string, (value: unknown) => boolean>)[`is${name}`] as (value: unknown) => boolean;

describe('error guards', () => {
  it('Should have one guard per class, true for the class, false for a sibling', () => {
    expect(classes.length).toBeGreaterThanOrEqual(19);
    for (const [name, ErrorClass] of classes) {
      const guard = guardOf(name);
      expect(typeof guard, name).toBe('function');
      const error = new ErrorClass('x', { code: 'c' });
      expect(guard(error), name).toBe(true);
      expect(error.name, name).toBe(name);
      expect(errors.isLoopguardError(error), name).toBe(true);
      // Every class but the base has a sibling that is not one of it.
      if (name === 'LoopguardError') continue;
      const sibling = name === 'ConnectionError' ? new errors.TimeoutError('x') : new errors.ConnectionError('x');
      expect(guard(sibling), `${name} of ${sibling.name}`).toBe(false);
    }
  });

  it('Should say an HTTP error class is an APIError, and a transport one is not', () => {
    expect(errors.isAPIError(new errors.RateLimitError('x', { status: 429 }))).toBe(true);
    expect(errors.isAPIError(new errors.StreamError('x'))).toBe(false);
    expect(errors.isLoopguardError(new Error('plain'))).toBe(false);
    expect(errors.isRateLimitError(undefined)).toBe(false);
  });

  it('Should recognise an error of another copy of the package by its marker', () => {
    // What a second copy's RateLimitError looks like from here: another class, the same registered symbols.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('loopguard.error')]: true,
      [Symbol.for('loopguard.error.APIError')]: true,
      [Symbol.for('loopguard.error.RateLimitError')]: true,
    });
    expect(errors.isRateLimitError(foreign)).toBe(true);
    expect(errors.isAPIError(foreign)).toBe(true);
    expect(errors.isSpendLimitError(foreign)).toBe(false);
    expect(foreign instanceof errors.RateLimitError).toBe(false);
  });
});
