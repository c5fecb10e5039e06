/**
 * Captures every log line, error and event of the suite, to prove the API key never appears. An error is
 * captured whole — `util.inspect` (hidden fields and getters included), and `name`, `message`, `code`,
 * `type`, `requestId`, `stack` of each error down its `cause` chain — and errors inside events are
 * expanded the same way, so a key anywhere in them is found.
 * @module
 */
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { type Logger, pino } from 'pino';

/** The text fields of an error and of each error of its `cause` chain (at most 10 deep). */
export function errorFields(error: unknown): Array<Record<string, unknown>> {
  const chain: Array<Record<string, unknown>> = [];
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 10; depth += 1) {
    const { name, message, code, type, requestId, stack } = current as Record<string, unknown>;
    chain.push({ name, message, code, type, requestId, stack });
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** JSON of any value, errors (at any depth) written out whole. */
function wholeJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, field: unknown) =>
      field instanceof Error
        ? { fields: errorFields(field), inspected: inspect(field, { depth: 6, showHidden: true }) }
        : field,
    ) ?? String(value)
  );
}

/** A capture of text, with a pino logger writing into it (debug level, content logged). */
export class SecretCapture {
  readonly #chunks: string[] = [];
  readonly logger: Logger;

  constructor() {
    const chunks = this.#chunks;
    this.logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk, _encoding, callback) {
          chunks.push(String(chunk));
          callback();
        },
      }),
    );
  }

  /** Adds any value (an error, an event, a hook context) as text; errors whole. */
  add(value: unknown): void {
    if (typeof value === 'string') this.#chunks.push(value);
    else if (value instanceof Error) {
      this.#chunks.push(inspect(value, { depth: 6, showHidden: true, getters: true }), wholeJson(value));
    } else this.#chunks.push(wholeJson(value));
  }

  /** Lines captured so far. */
  get size(): number {
    return this.#chunks.length;
  }

  /** How many captured chunks contain `text`. */
  count(text: string): number {
    return this.#chunks.filter((chunk) => chunk.includes(text)).length;
  }

  /** How many captured chunks contain `secret`. */
  occurrences(secret: string): number {
    return this.count(secret);
  }
}
