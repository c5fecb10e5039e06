import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../errors/errors.js';
import { readBodyText } from './read-body-text.js';

/** A response whose body comes in exactly these chunks. */
function chunked(...chunks: Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(body);
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('readBodyText', () => {
  it('Should decode a body cut at every byte, a character across chunks included, as the whole', async () => {
    const text = '{"text":"ünïcödé ✓ 🚀"}';
    const whole = bytes(text);
    for (let cut = 0; cut <= whole.length; cut += 1) {
      const response = chunked(whole.subarray(0, cut), whole.subarray(cut));
      expect(await readBodyText(response, 1024)).toBe(text);
    }
  });

  it('Should drop a leading byte order mark and read an empty body as an empty string', async () => {
    expect(await readBodyText(chunked(new Uint8Array([0xef, 0xbb, 0xbf]), bytes('{}')), 1024)).toBe('{}');
    expect(await readBodyText(chunked(), 1024)).toBe('');
    expect(await readBodyText(new Response(null), 1024)).toBe('');
  });

  it('Should throw response_too_large past maxBytes, or with truncate return the first maxBytes', async () => {
    const parts = [bytes('abcd'), bytes('efgh'), bytes('ijkl')];
    const error = await readBodyText(chunked(...parts), 10, { requestId: 'req_1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ code: 'response_too_large', requestId: 'req_1' });
    expect(await readBodyText(chunked(...parts), 10, { truncate: true })).toBe('abcdefghij');
    expect(await readBodyText(chunked(...parts), 12)).toBe('abcdefghijkl');
  });
});
