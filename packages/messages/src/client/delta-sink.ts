/**
 * `DeltaSink`: the sink of a streamed request whose caller takes its text and thinking deltas through two
 * callbacks and wants no stream events (`client.streamDeltas`, which `runAgent` uses): no event emitter, no
 * text snapshot, no event object made per delta.
 * @module
 */
import type { MessageStreamSink } from '../stream/message-stream.js';

/** What `client.streamDeltas` hands the deltas of a streamed answer to, as they come. */
export interface DeltaHandlers {
  /** A text delta. */
  onText?: (delta: string) => void;
  /** A thinking delta. */
  onThinking?: (delta: string) => void;
}

/** @internal A sink handing text and thinking deltas to callbacks; once it has, the request is no longer retried. */
export class DeltaSink implements MessageStreamSink {
  /** True once a delta went to a callback (a retry would show it twice), as for a stream's listeners. */
  handedOn = false;
  readonly wantsEvents = false;
  /** True when an `onText` callback was given: without one, text deltas need no string of their own. */
  readonly wantsText: boolean;
  /** True when an `onThinking` callback was given. */
  readonly wantsThinking: boolean;
  readonly #onText: ((delta: string) => void) | undefined;
  readonly #onThinking: ((delta: string) => void) | undefined;

  constructor(handlers: DeltaHandlers) {
    this.#onText = handlers.onText;
    this.#onThinking = handlers.onThinking;
    this.wantsText = handlers.onText !== undefined;
    this.wantsThinking = handlers.onThinking !== undefined;
  }

  event(): void {}

  text(delta: string): void {
    if (!this.#onText) return;
    this.handedOn = true;
    this.#onText(delta);
  }

  thinking(delta: string): void {
    if (!this.#onThinking) return;
    this.handedOn = true;
    this.#onThinking(delta);
  }

  toolUse(): void {}

  blockStart(): void {}
}
