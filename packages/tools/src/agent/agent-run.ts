/**
 * `AgentRun`: what `runAgent` returns — awaitable (`await run` gives the `AgentResult`) and async-iterable
 * (every event from the start, in order, however late the iteration begins).
 * @module
 */
import type { AgentEvent, AgentResult } from './agent-types.js';
import { EventLog } from './event-log.js';

const partialResults = new WeakMap<object, AgentResult>();

/** The partial result of a run that rejected with `error` (the transcript so far, steps, usage). */
export function partialResultOf(error: unknown): AgentResult | undefined {
  return typeof error === 'object' && error !== null ? partialResults.get(error) : undefined;
}

/** @internal Attaches a partial result to the error a run rejects with. */
export function attachPartialResult(error: unknown, result: AgentResult): void {
  if (typeof error === 'object' && error !== null) partialResults.set(error, result);
}

/** A running agent. */
export class AgentRun<Output = unknown> implements PromiseLike<AgentResult<Output>>, AsyncIterable<AgentEvent<Output>> {
  /** Every event so far, for iterators however late (kept compactly: see event-log.ts). */
  readonly #events = new EventLog<Output>();
  readonly #waiters = new Set<() => void>();
  readonly #result: Promise<AgentResult<Output>>;
  readonly #controller: AbortController;
  #finished = false;
  #failure: { error: unknown } | undefined;

  /** @internal Created by `runAgent`. */
  constructor(
    body: (emit: (event: AgentEvent<Output>) => void, signal: AbortSignal) => Promise<AgentResult<Output>>,
    controller: AbortController,
  ) {
    this.#controller = controller;
    const emit = (event: AgentEvent<Output>): void => {
      this.#events.push(event);
      this.#wake();
    };
    this.#result = Promise.resolve()
      .then(() => body(emit, controller.signal))
      .then(
        (result) => {
          this.#finished = true;
          this.#wake();
          return result;
        },
        (error: unknown) => {
          this.#finished = true;
          this.#failure = { error };
          this.#wake();
          throw error;
        },
      );
    this.#result.catch(() => undefined);
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  /** Aborts the run: no tool starts after it; a running tool gets the signal; the run ends `aborted`. */
  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  /** The run's result (also reached by `await run`). */
  result(): Promise<AgentResult<Output>> {
    return this.#result;
  }

  // biome-ignore lint/suspicious/noThenProperty: an AgentRun is awaitable by design.
  then<A = AgentResult<Output>, B = never>(
    onFulfilled?: ((value: AgentResult<Output>) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#result.then(onFulfilled, onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AgentEvent<Output>> {
    const read = this.#events.reader();
    for (;;) {
      for (let event = read(); event !== undefined; event = read()) yield event;
      if (this.#finished) {
        if (this.#failure) throw this.#failure.error;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }
}
