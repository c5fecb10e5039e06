/**
 * `BudgetSpan`: what a budget did for one request, written on the request's OpenTelemetry `chat` span —
 * credits reserved (the last reservation), settled and possibly billed (summed over its attempts).
 * @module
 */
import { LOOPGUARD_ATTRIBUTES } from '@loopguard/messages';
import type { Span } from '@opentelemetry/api';

/** The budget's figures of one request, kept on its span as they change. */
export class BudgetSpan {
  readonly #span: Span;
  #settled = 0;
  #possiblyBilled = 0;

  constructor(span: Span) {
    this.#span = span;
  }

  /** A reservation was taken (the first, or a retry's). */
  reserved(credits: number): void {
    this.#span.setAttribute(LOOPGUARD_ATTRIBUTES.creditsReserved, credits);
  }

  /** An attempt was settled at `credits`, only possibly billed or not. */
  settled(credits: number, possiblyBilled: boolean): void {
    this.#settled += credits;
    if (possiblyBilled) this.#possiblyBilled += credits;
    this.#span.setAttributes({
      [LOOPGUARD_ATTRIBUTES.creditsSettled]: this.#settled,
      [LOOPGUARD_ATTRIBUTES.creditsPossiblyBilled]: this.#possiblyBilled,
    });
  }
}
