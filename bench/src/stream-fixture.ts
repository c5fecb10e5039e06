/**
 * Anthropic-format SSE streams built in memory, and `fetch` stand-ins that serve them in chunks of a
 * chosen size — the same bytes for every contender.
 * @module
 */

const encoder = new TextEncoder();

function event(data: Record<string, unknown>): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A stream of about `targetBytes`: thinking, text and small tool_use blocks of many deltas, with pings. */
export function mixedStream(targetBytes: number): Uint8Array {
  const parts: string[] = [
    event({
      type: 'message_start',
      message: {
        id: 'msg_bench',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-6',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 100, output_tokens: 1 },
      },
    }),
  ];
  let size = parts[0]?.length ?? 0;
  let index = 0;
  let events = 0;
  while (size < targetBytes) {
    const kind = index % 3;
    const blockEvents: string[] = [];
    if (kind === 0) {
      blockEvents.push(
        event({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } }),
      );
      for (let i = 0; i < 400; i += 1)
        blockEvents.push(
          event({
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: `step ${i}: weigh the evidence carefully. ` },
          }),
        );
      blockEvents.push(
        event({
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
        }),
      );
    } else if (kind === 1) {
      blockEvents.push(event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (let i = 0; i < 400; i += 1)
        blockEvents.push(
          event({
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text: `The answer, part ${i}, streams token by token — ünïcödé ✓. ` },
          }),
        );
    } else {
      blockEvents.push(
        event({
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: `toolu_${index}`, name: 'record', input: {} },
        }),
      );
      const json = JSON.stringify({
        key: `k${index}`,
        values: Array.from({ length: 40 }, (_, i) => i * 1.5),
        note: 'x'.repeat(200),
      });
      for (let i = 0; i < json.length; i += 16)
        blockEvents.push(
          event({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: json.slice(i, i + 16) },
          }),
        );
    }
    blockEvents.push(event({ type: 'content_block_stop', index }));
    for (const e of blockEvents) {
      parts.push(e);
      size += e.length;
      events += 1;
      if (events % 100 === 0) {
        const ping = event({ type: 'ping' });
        parts.push(ping);
        size += ping.length;
      }
    }
    index += 1;
  }
  parts.push(
    event({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 123456 },
    }),
  );
  parts.push(event({ type: 'message_stop' }));
  return encoder.encode(parts.join(''));
}

/** A stream whose one tool_use has an input of about `inputBytes` of JSON, in `deltaSize`-character deltas. */
export function largeToolInputStream(inputBytes: number, deltaSize = 8): Uint8Array {
  const items: string[] = [];
  let length = 2;
  for (let i = 0; length < inputBytes; i += 1) {
    const item = JSON.stringify({ id: i, name: `item-${i}`, tags: ['a', 'b'], score: i / 7 });
    items.push(item);
    length += item.length + 1;
  }
  const json = `{"items":[${items.join(',')}]}`;
  const parts = [
    event({
      type: 'message_start',
      message: {
        id: 'msg_big',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-6',
        content: [],
        stop_reason: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    }),
    event({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_big', name: 'store', input: {} },
    }),
  ];
  for (let i = 0; i < json.length; i += deltaSize)
    parts.push(
      event({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: json.slice(i, i + deltaSize) },
      }),
    );
  parts.push(event({ type: 'content_block_stop', index: 0 }));
  parts.push(
    event({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: Math.ceil(json.length / 4) },
    }),
  );
  parts.push(event({ type: 'message_stop' }));
  return encoder.encode(parts.join(''));
}

/** Splits bytes into views of `size` (no copies). */
export function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/**
 * A `fetch` that answers every request with `bytes` as an SSE body, in chunks of `chunkSize`. The chunks are
 * cut once, here (untimed set-up, as the decoders' contenders cut theirs), and served again by every call:
 * a run measures the client reading them, not the stand-in making millions of 7-byte views.
 */
export function sseFetch(bytes: Uint8Array, chunkSize: number): typeof globalThis.fetch {
  const chunks = chunksOf(bytes, chunkSize);
  return async () => {
    let next = 0;
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Data from a socket arrives in macrotasks: yield now and then, so timers (time limits) can fire.
        pulls += 1;
        if (pulls % 16 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        // Hand over a batch per pull, as a socket delivers several packets at once.
        for (let i = 0; i < 64 && next < chunks.length; i += 1) controller.enqueue(chunks[next++] as Uint8Array);
        if (next >= chunks.length) controller.close();
      },
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'request-id': 'req_bench' },
    });
  };
}
