/**
 * Reads a response body as text with a size cap, so a runaway response cannot exhaust memory.
 * @module
 */
import { InvalidResponseError } from '../errors/errors.js';

/**
 * One decoder for every body: a call to `decode` without `stream` starts afresh and flushes, so it keeps no
 * state between bodies (a decoder made per body cost more than decoding a small one).
 */
const utf8 = new TextDecoder('utf-8');

/** The chunks as one UTF-8 string, decoded once. */
function decodeAll(chunks: Uint8Array[], size: number): string {
  if (chunks.length === 1) return utf8.decode(chunks[0]);
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return utf8.decode(whole);
}

/**
 * Reads `response` as UTF-8 text. Past `maxBytes` it throws `InvalidResponseError` (`response_too_large`), or
 * with `truncate` returns the first `maxBytes`. `onChunk` is called as each chunk arrives (a stream's idle
 * limit counts it as activity).
 */
export async function readBodyText(
  response: Response,
  maxBytes: number,
  options: { requestId?: string | undefined; truncate?: boolean; onChunk?: () => void } = {},
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    options.onChunk?.();
    if (size + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => undefined);
      if (options.truncate) {
        chunks.push(value.subarray(0, maxBytes - size));
        return decodeAll(chunks, maxBytes);
      }
      throw new InvalidResponseError(`The response is larger than maxResponseBytes (${maxBytes} bytes).`, {
        code: 'response_too_large',
        requestId: options.requestId,
      });
    }
    size += value.byteLength;
    chunks.push(value);
  }
  return chunks.length === 0 ? '' : decodeAll(chunks, size);
}
