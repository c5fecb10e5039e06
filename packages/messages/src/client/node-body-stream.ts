/**
 * `webStreamOf(body, signal)`: a Node stream of response bytes as a `ReadableStream`, for `httpFetch`.
 * @module
 */
import type { Readable } from 'node:stream';

/**
 * The Node stream as a `ReadableStream` of its chunks (no copy): read on demand, so an unread body holds one
 * chunk and the socket's buffers, not the whole response. A failure reaches the reader as `fetch` reports
 * one (`TypeError: terminated`, the cause kept), or as the signal's reason once it aborted; cancelling the
 * stream destroys the Node stream, which closes the connection. Whatever the Node stream emits once the web
 * stream is closed, errored or cancelled (a late `end`, a second error) is ignored, never thrown.
 */
export function webStreamOf(body: Readable, signal?: AbortSignal | null): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on('data', (chunk: Uint8Array) => {
        if (!open) return;
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) body.pause();
      });
      body.on('end', () => {
        if (!open) return;
        open = false;
        controller.close();
      });
      body.on('error', (error: unknown) => {
        if (!open) return;
        open = false;
        controller.error(signal?.aborted ? signal.reason : new TypeError('terminated', { cause: error }));
      });
      body.pause();
    },
    pull() {
      body.resume();
    },
    cancel(reason) {
      open = false;
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}
