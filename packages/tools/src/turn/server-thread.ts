/**
 * A run's server-side thread (`runAgent({ threads: true })`): where the run stands with it, as a hint the
 * client applies on the wire (`RequestOptions.serverThread`). The first turn creates the thread with the
 * whole transcript; each later turn continues it, and the client sends only the messages after the last
 * reply, without `system` and `tools` (the thread keeps them). The loop always passes the whole params, so
 * middleware and budgets see the whole conversation. The run keeps its own whole transcript all along, so a
 * thread the gateway lost, or a gateway that has no threads, costs one re-sent turn and nothing else.
 * @module
 */
import { isLoopguardError, type MessageParam, type ServerThreadHint } from '@loopguard/messages';

/** Error codes after which the turn is re-sent whole on a new thread. */
const REPLAY_CODES = new Set(['thread_not_found', 'thread_already_continued', 'thread_continue_in_flight']);

/** Where a run stands with its gateway-side thread. */
export class ServerThread {
  #enabled: boolean;
  /** The reply the next turn continues from, and how many transcript messages the server holds up to it. */
  #anchor: { previousMessageId: string; held: number } | undefined;
  /** True while the turn being sent replays the transcript after a lost thread. */
  #replaying = false;

  /** `enabled` false: every request goes whole, with no `thread` field. */
  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /** Whether turns are still sent on a thread. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** The hint for the next turn's request (whose messages are the whole transcript); none without threads. */
  hint(): ServerThreadHint | undefined {
    if (!this.#enabled) return undefined;
    const anchor = this.#anchor;
    if (anchor === undefined) return { type: 'create' };
    return { type: 'continue', previousMessageId: anchor.previousMessageId, held: anchor.held };
  }

  /** Records a reply: the server now holds the `sent` messages of the request and this reply. */
  replied(messageId: string | undefined, sent: readonly MessageParam[]): void {
    if (!this.#enabled) return;
    this.#replaying = false;
    // A gateway that gives no message id cannot be continued from.
    if (!messageId) this.#enabled = false;
    else this.#anchor = { previousMessageId: messageId, held: sent.length + 1 };
  }

  /**
   * Whether `error` is the gateway refusing the thread, in which case the turn should be sent again at once:
   * whole on a new thread when the thread was lost, or whole without threads from now on when the gateway
   * does not take them (or lost the new thread too). Any other error is not the thread's: false.
   */
  recover(error: unknown): boolean {
    if (!this.#enabled || !isLoopguardError(error)) return false;
    const status = error.status ?? 0;
    const code = error.code ?? '';
    const aboutThread = code.startsWith('thread_') || /\bthread\b/i.test(error.message);
    if (status < 400 || status >= 500 || !aboutThread) return false;
    if (REPLAY_CODES.has(code) && this.#anchor !== undefined && !this.#replaying) {
      this.#anchor = undefined;
      this.#replaying = true;
    } else {
      this.#enabled = false;
    }
    return true;
  }
}
