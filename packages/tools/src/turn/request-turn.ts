/**
 * `requestTurn`: sends one turn's request (streamed or not, with the run's server-side thread hint when it has one)
 * and returns the complete message. A thread the gateway lost or refuses is recovered by sending the turn
 * whole; a retryable failure the client could not retry itself (a stream cut after text was shown) is tried
 * again here, up to `turnRetries` times — no tool ran, so nothing is done twice — with a `turn_retry` event
 * telling listeners to drop the turn's partial text.
 * @module
 */
import { isLoopguardError, type Message, type MessageCreateParams, type RequestOptions } from '@loopguard/messages';
import type { RunContext } from '../agent/run-context.js';

/** Sends the request once (shaped for the thread) and waits for the whole message. */
async function sendOnce<Output>(
  run: RunContext<Output>,
  turn: number,
  request: MessageCreateParams,
  base: RequestOptions,
): Promise<Message> {
  // The whole params go to the client; it cuts them for the thread on the wire, after middleware ran.
  const serverThread = run.thread.hint();
  const options: RequestOptions = serverThread ? { ...base, serverThread } : base;
  if (!run.streaming) return run.client.create(request, options);
  // The deltas go straight to the run's events: no MessageStream (an emitter, a controller, listeners) per turn.
  const handlers = {
    onText: (delta: string) => run.emit({ type: 'text', turn, delta }),
    onThinking: (delta: string) => run.emit({ type: 'thinking', turn, delta }),
  };
  return run.client.streamDeltas(request, handlers, options);
}

/** @internal One turn's request, with thread recovery and turn retries; resolves with the complete reply. */
export async function requestTurn<Output>(
  run: RunContext<Output>,
  turn: number,
  request: MessageCreateParams,
  runId: string,
): Promise<Message> {
  const base: RequestOptions = { signal: run.signal, runId, traceContext: run.traceContext };
  for (let attempt = 0; ; ) {
    try {
      const message = await sendOnce(run, turn, request, base);
      run.thread.replied(message.id, request.messages);
      return message;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!run.signal.aborted && run.thread.recover(error)) {
        const enabled = run.thread.enabled;
        run.logger.info(
          { turn, code, threads: enabled },
          enabled ? 'thread lost; sending the turn whole on a new thread' : 'no threads; sending turns whole',
        );
        continue;
      }
      const retryable = isLoopguardError(error) && error.retryable && !run.signal.aborted;
      if (!retryable || attempt >= run.turnRetries) throw error;
      attempt += 1;
      run.emit({ type: 'turn_retry', turn, attempt, error });
      run.logger.warn({ turn, attempt, code }, 'retrying turn');
    }
  }
}
