/**
 * `WorkflowHandle`: what `start` and `resume` return — awaitable (`await handle` gives the run's record once
 * this execution ends: done, suspended, budget_exceeded or failed) and async-iterable (every event of this
 * execution from its start, however late the iteration begins).
 * @module
 */

import type { RunRecord } from '../stores/workflow-store.js';
import type { WorkflowEvent } from './workflow-events.js';

/** A workflow run being executed by this process. */
export class WorkflowHandle implements PromiseLike<RunRecord>, AsyncIterable<WorkflowEvent> {
  /** The run's id. */
  readonly runId: string;
  readonly #events: WorkflowEvent[] = [];
  readonly #waiters = new Set<() => void>();
  readonly #result: Promise<RunRecord>;
  #finished = false;

  /** @internal Created by the engine. */
  constructor(runId: string, body: (emit: (event: WorkflowEvent) => void) => Promise<RunRecord>) {
    this.runId = runId;
    const emit = (event: WorkflowEvent): void => {
      this.#events.push(event);
      this.#wake();
    };
    const end = (): void => {
      this.#finished = true;
      this.#wake();
    };
    this.#result = Promise.resolve().then(() => body(emit));
    this.#result.then(end, end);
    this.#result.catch(() => undefined);
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  // biome-ignore lint/suspicious/noThenProperty: a handle is awaitable by design.
  then<A = RunRecord, B = never>(
    onFulfilled?: ((value: RunRecord) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#result.then(onFulfilled, onRejected);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WorkflowEvent> {
    let next = 0;
    for (;;) {
      while (next < this.#events.length) yield this.#events[next++] as WorkflowEvent;
      if (this.#finished) {
        await this.#result;
        return;
      }
      await new Promise<void>((resolve) => this.#waiters.add(resolve));
    }
  }
}
