/**
 * `readBody(request)`: a request's body, whole, or `'too_large'` past {@link MAX_BODY_BYTES}.
 * @module
 */
import type { IncomingMessage } from 'node:http';

/** Largest accepted request body: 32 MiB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads the body; past `MAX_BODY_BYTES` it stops reading (pauses the request) and resolves `'too_large'`. */
export function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve('too_large');
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
