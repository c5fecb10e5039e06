/**
 * Reads a response body as text with a size cap, so a runaway response cannot exhaust memory.
 * @module
 */
import { InvalidResponseError } from '../errors/errors.js';

/** Reads `response` as UTF-8 text. Past `maxBytes` it throws `InvalidResponseError` (`response_too_large`), or with `truncate` returns the first `maxBytes`. */
export async function readBodyText(
  response: Response,
  maxBytes: number,
  options: { requestId?: string | undefined; truncate?: boolean } = {},
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8');
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      if (options.truncate) return text + decoder.decode(value.subarray(0, value.byteLength - (size - maxBytes)));
      throw new InvalidResponseError(`The response is larger than maxResponseBytes (${maxBytes} bytes).`, {
        code: 'response_too_large',
        requestId: options.requestId,
      });
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
