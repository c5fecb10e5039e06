/**
 * `streamFalseFetch`: a `fetch` for clients that never send `stream` (the AI SDK's `generateText` through
 * `createAnthropic({ fetch })`), so they can read a gateway that streams by default.
 * @module
 */

/**
 * Wraps `fetch` (the global one by default) so that a POST to a `/messages` URL whose JSON body has no
 * `stream` field is sent with `stream: false`: the gateway then answers with one JSON message, which such a
 * client expects, instead of its default SSE. Requests that set `stream`, other URLs and bodies that are not
 * a JSON object pass through unchanged.
 */
export function streamFalseFetch(base: typeof fetch = globalThis.fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'POST' || !/\/messages(?:\?|$)/.test(url) || typeof init?.body !== 'string')
      return base(input, init);
    let body: unknown;
    try {
      body = JSON.parse(init.body);
    } catch {
      return base(input, init);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body) || 'stream' in body) return base(input, init);
    return base(input, { ...init, body: JSON.stringify({ ...body, stream: false }) });
  };
}
