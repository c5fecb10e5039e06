/**
 * Server-side threads, as newer Anthropic clients use them (`thread: {type: 'create'}` then
 * `thread: {type: 'continue', previous_message_id}` with only the new turn): the mock keeps each
 * thread's transcript, tools and system by the id of its last message.
 * @module
 */
import type { Message, MessageCreateParams } from '@loopguard/messages';

interface ThreadState {
  params: Omit<MessageCreateParams, 'messages'>;
  messages: MessageCreateParams['messages'];
}

/** Keeps thread transcripts in memory. */
export class ThreadStore {
  readonly #threads = new Map<string, ThreadState>();

  /**
   * The full params of a request: a `continue` request gets its thread's earlier turns and settings in front.
   * Returns a message naming the field when the thread is unknown.
   */
  expand(body: Record<string, unknown>): { params: Record<string, unknown> } | { problem: string } {
    const thread = body.thread as { type?: string; previous_message_id?: string } | undefined;
    if (thread?.type !== 'continue') return { params: body };
    const state = thread.previous_message_id ? this.#threads.get(thread.previous_message_id) : undefined;
    if (!state) return { problem: `'thread.previous_message_id' does not name a known message.` };
    const { thread: _thread, ...rest } = body;
    const messages = Array.isArray(rest.messages) ? rest.messages : [];
    return { params: { ...state.params, ...rest, messages: [...state.messages, ...messages] } };
  }

  /** Forgets every thread. */
  clear(): void {
    this.#threads.clear();
  }

  /** Records the transcript ending with `message`, when the request used a thread. */
  record(body: Record<string, unknown>, params: MessageCreateParams, message: Message): void {
    if (body.thread === undefined) return;
    const {
      messages,
      thread: _thread,
      stream: _stream,
      ...settings
    } = params as MessageCreateParams & { thread?: unknown };
    this.#threads.set(message.id, {
      params: settings,
      messages: [
        ...messages,
        { role: 'assistant', content: message.content as MessageCreateParams['messages'][number]['content'] },
      ],
    });
  }
}
