/**
 * Captures every log line, error message and event of the suite, to prove the API key never appears.
 * @module
 */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

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

  /** Adds any value (an error, an event) as text. */
  add(value: unknown): void {
    if (value instanceof Error) this.#chunks.push(`${value.name}: ${value.message}`);
    else this.#chunks.push(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
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
    return this.#chunks.filter((chunk) => chunk.includes(secret)).length;
  }
}
