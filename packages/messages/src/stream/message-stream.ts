/**
 * `MessageStream`: what `client.stream()` returns. An async iterable of stream events, an event emitter
 * (eventemitter3) of `stream_event`, `text`, `thinking`, `tool_use`, `message`, `error`, `end` (the protocol's
 * snake_case; the earlier `streamEvent` and `toolUse` still work), and `finalMessage()`.
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import { AbortedError } from '../errors/errors.js';
import type { Message, MessageStreamEvent, ToolUseBlock } from '../protocol/types.js';

/** The events a `MessageStream` emits. */
export interface MessageStreamEvents {
  /** Every parsed stream event, known or not. */
  stream_event: (event: MessageStreamEvent) => void;
  /** @deprecated Use `stream_event` (the same listener list). */
  streamEvent: (event: MessageStreamEvent) => void;
  /** A text delta, and the text of the current block so far. */
  text: (delta: string, snapshot: string) => void;
  /** A thinking delta. */
  thinking: (delta: string) => void;
  /** A tool_use block whose input is complete and parsed. */
  tool_use: (block: ToolUseBlock) => void;
  /** @deprecated Use `tool_use` (the same listener list). */
  toolUse: (block: ToolUseBlock) => void;
  /** The final message. */
  message: (message: Message) => void;
  /** The final error (after retries). */
  error: (error: unknown) => void;
  /** The stream is over, with a message or an error. */
  end: () => void;
}

/** The writer side of a stream, used by the client. */
export interface MessageStreamSink {
  event(event: MessageStreamEvent): void;
  /** A text delta; `blockText()` gives the block's text so far, read only when a listener needs a snapshot. */
  text(delta: string, blockText?: () => string): void;
  thinking(delta: string): void;
  toolUse(block: ToolUseBlock): void;
  /** Starts a new text block (resets the snapshot). */
  blockStart(): void;
  /** True once anything was handed to a listener or an iterator. */
  readonly handedOn: boolean;
  /** True while a `stream_event` listener or an iterator is attached: `event()` has someone to hand to. */
  readonly wantsEvents: boolean;
  /** True while a `text` listener is attached: `text()` has someone to hand to. */
  readonly wantsText: boolean;
  /** True while a `thinking` listener is attached: `thinking()` has someone to hand to. */
  readonly wantsThinking: boolean;
}

type EventName = EventEmitter.EventNames<MessageStreamEvents>;
type Listener<T extends EventName> = EventEmitter.EventListener<MessageStreamEvents, T>;

/** The earlier camelCase names, kept working: each is the same listener list as its snake_case name. */
const ALIASES: Readonly<Record<string, EventName>> = { streamEvent: 'stream_event', toolUse: 'tool_use' };
const canonical = <T extends EventName>(event: T): T => (ALIASES[event as string] ?? event) as T;

/** A streamed message. Iterate it right away (events are not replayed) or await `finalMessage()`. */
export class MessageStream extends EventEmitter<MessageStreamEvents> implements AsyncIterable<MessageStreamEvent> {
  readonly #controller: AbortController;
  readonly #final: Promise<Message>;
  readonly #iterators = new Set<(item: IteratorResult<MessageStreamEvent> | Error) => void>();
  /** The current block's text, kept only while a `text` listener is attached (undefined: not kept). */
  #textSnapshot: string | undefined;
  /** The block the snapshot is of (its `blockText`). */
  #snapshotBlock: (() => string) | undefined;
  #handedOn = false;
  #ended = false;
  /** Whether the events the sink emits per delta have listeners: kept current by every listener change. */
  #hasStreamEvent = false;
  #hasText = false;
  #hasThinking = false;
  #hasToolUse = false;
  #detach: (() => void) | undefined;

  /** @internal Created by `MessagesClient.stream`. */
  constructor(run: (sink: MessageStreamSink, signal: AbortSignal) => Promise<Message>, signal?: AbortSignal) {
    super();
    this.#controller = new AbortController();
    if (signal) {
      if (signal.aborted) this.#controller.abort(signal.reason);
      else {
        const onAbort = (): void => this.#controller.abort(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        // A long run passes one signal to many streams: let go of it once this one ends.
        this.#detach = () => signal.removeEventListener('abort', onAbort);
      }
    }
    const sink = this.#sink();
    this.#final = new Promise<Message>((resolve, reject) => {
      queueMicrotask(() => {
        run(sink, this.#controller.signal).then(
          (message) => {
            this.emit('message', message);
            this.#finish({ done: true, value: undefined });
            resolve(message);
          },
          (error: unknown) => {
            this.emit('error', error);
            this.#finish(error instanceof Error ? error : new Error(String(error)));
            reject(error);
          },
        );
      });
    });
    // finalMessage() is optional: never let an unobserved failure become an unhandled rejection.
    this.#final.catch(() => undefined);
  }

  /** Adds a listener (`streamEvent` and `toolUse` are read as `stream_event` and `tool_use`). */
  override on<T extends EventName>(event: T, fn: Listener<T>, context?: unknown): this {
    super.on(canonical(event), fn, context);
    return this.#listenersChanged();
  }

  /** Same as `on`. */
  override addListener<T extends EventName>(event: T, fn: Listener<T>, context?: unknown): this {
    super.addListener(canonical(event), fn, context);
    return this.#listenersChanged();
  }

  /** Adds a listener called once. */
  override once<T extends EventName>(event: T, fn: Listener<T>, context?: unknown): this {
    super.once(canonical(event), fn, context);
    return this.#listenersChanged();
  }

  /** Removes a listener. */
  override off<T extends EventName>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    super.off(canonical(event), fn, context, once);
    return this.#listenersChanged();
  }

  /** Same as `off`. */
  override removeListener<T extends EventName>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    super.removeListener(canonical(event), fn, context, once);
    return this.#listenersChanged();
  }

  /** Removes every listener, or every listener of `event` (`streamEvent` and `toolUse` read as their snake_case names). */
  override removeAllListeners(event?: EventName): this {
    super.removeAllListeners(event === undefined ? undefined : canonical(event));
    return this.#listenersChanged();
  }

  /** Notes which per-delta events have listeners now (read on every delta; counted only when listeners change). */
  #listenersChanged(): this {
    this.#hasStreamEvent = super.listenerCount('stream_event') > 0;
    this.#hasText = super.listenerCount('text') > 0;
    this.#hasThinking = super.listenerCount('thinking') > 0;
    this.#hasToolUse = super.listenerCount('tool_use') > 0;
    // Deltas no one listens to are not handed to `text()` (the client asks `wantsText`): a snapshot kept from
    // before would miss them.
    if (!this.#hasText) this.#textSnapshot = undefined;
    return this;
  }

  /** The number of listeners of `event`. */
  override listenerCount(event: EventName): number {
    return super.listenerCount(canonical(event));
  }

  #sink(): MessageStreamSink {
    const stream = this;
    return {
      event(event) {
        stream.#handedOn ||= stream.#hasStreamEvent || stream.#iterators.size > 0;
        stream.emit('stream_event', event);
        for (const push of stream.#iterators) push({ done: false, value: event });
      },
      text(delta, blockText) {
        // The snapshot is built only for a listener: a stream nobody listens to keeps no second copy of its
        // text (the accumulator has one). A listener attached mid-block gets the block's text at once.
        if (!stream.#hasText) {
          stream.#textSnapshot = undefined;
          return;
        }
        stream.#handedOn = true;
        // A snapshot is its block's: a delta of another block (one opened with no content_block_start: a delta
        // for an index never started, the gateway's short form) starts a new one.
        if (blockText !== stream.#snapshotBlock) {
          stream.#textSnapshot = undefined;
          stream.#snapshotBlock = blockText;
        }
        if (stream.#textSnapshot === undefined) stream.#textSnapshot = blockText ? blockText() : delta;
        else stream.#textSnapshot += delta;
        stream.emit('text', delta, stream.#textSnapshot);
      },
      thinking(delta) {
        if (!stream.#hasThinking) return;
        stream.#handedOn = true;
        stream.emit('thinking', delta);
      },
      toolUse(block) {
        stream.#handedOn ||= stream.#hasToolUse;
        stream.emit('tool_use', block);
      },
      blockStart() {
        stream.#textSnapshot = undefined;
      },
      get handedOn() {
        return stream.#handedOn;
      },
      get wantsEvents() {
        return stream.#hasStreamEvent || stream.#iterators.size > 0;
      },
      get wantsText() {
        return stream.#hasText;
      },
      get wantsThinking() {
        return stream.#hasThinking;
      },
    };
  }

  #finish(item: IteratorResult<MessageStreamEvent> | Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#detach?.();
    for (const push of this.#iterators) push(item);
    this.#iterators.clear();
    this.emit('end');
  }

  /** The signal that aborts this stream's request. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts the request: the stream ends with an `AbortedError`. */
  abort(reason?: unknown): void {
    this.#controller.abort(reason ?? new AbortedError('The stream was aborted.', { code: 'aborted' }));
  }

  /** The complete message once the stream ends; rejects with the typed error. */
  finalMessage(): Promise<Message> {
    return this.#final;
  }

  /** The text of the final message's text blocks, joined. */
  async finalText(): Promise<string> {
    const message = await this.#final;
    return message.content
      .filter((block) => block.type === 'text')
      .map((block) => (block as { text: string }).text)
      .join('');
  }

  [Symbol.asyncIterator](): AsyncIterator<MessageStreamEvent> {
    const queue: Array<IteratorResult<MessageStreamEvent> | Error> = [];
    let wake: (() => void) | undefined;
    const push = (item: IteratorResult<MessageStreamEvent> | Error): void => {
      queue.push(item);
      wake?.();
    };
    if (this.#ended) {
      queue.push({ done: true, value: undefined });
    } else {
      this.#iterators.add(push);
    }
    return {
      next: async () => {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        const item = queue.shift() as IteratorResult<MessageStreamEvent> | Error;
        if (item instanceof Error) {
          queue.unshift({ done: true, value: undefined });
          throw item;
        }
        return item;
      },
      return: async () => {
        this.#iterators.delete(push);
        this.abort();
        return { done: true, value: undefined };
      },
    };
  }
}
