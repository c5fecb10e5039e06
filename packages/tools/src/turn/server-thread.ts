/**
 * A run's server-side thread (`runAgent({ threads: true })`): the first turn sends the whole transcript
 * with `thread: {type: 'create'}`; each later turn sends only the messages after the last reply, with
 * `thread: {type: 'continue', previous_message_id}` and without `system` and `tools` (the thread keeps
 * them). The run keeps its own whole transcript all along, so a thread the gateway lost, or a gateway that
 * has no threads, costs one re-sent turn and nothing else.
 * @module
 */
import { isLoopguardError, type MessageCreateParams, type MessageParam, type Prompt } from '@loopguard/messages';

/**
 * The `anthropic-beta` value the Anthropic API requires with a `thread` field. Threads are outside the
 * gateway's documented contract; a gateway that ignores the header loses nothing.
 */
export const THREADS_BETA = 'message-threads-2026-08-12';

/** Error codes after which the turn is re-sent whole on a new thread. */
const REPLAY_CODES = new Set(['thread_not_found', 'thread_already_continued', 'thread_continue_in_flight']);

/** A turn's request as the thread shapes it. */
export interface ThreadedRequest {
  params: MessageCreateParams;
  /** The whole prompt, for estimates, when `params` carry only the new turn. */
  threadContext?: Prompt;
  /** Headers the request needs: `anthropic-beta` whenever it carries a `thread`. */
  headers?: Record<string, string>;
}

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

  /** Shapes a turn whose `request.messages` is the whole transcript so far. */
  shape(request: MessageCreateParams): ThreadedRequest {
    if (!this.#enabled) return { params: request };
    const anchor = this.#anchor;
    if (anchor === undefined || anchor.held > request.messages.length) {
      return { params: { ...request, thread: { type: 'create' } }, headers: { 'anthropic-beta': THREADS_BETA } };
    }
    const { system, tools, messages, ...rest } = request;
    return {
      params: {
        ...rest,
        messages: messages.slice(anchor.held),
        thread: { type: 'continue', previous_message_id: anchor.previousMessageId },
      },
      headers: { 'anthropic-beta': THREADS_BETA },
      threadContext: {
        messages,
        ...(system !== undefined ? { system } : {}),
        ...(tools !== undefined ? { tools } : {}),
      },
    };
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
