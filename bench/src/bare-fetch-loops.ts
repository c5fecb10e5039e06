/**
 * The floors of scenario 3 (loop overhead): tool-calling loops with nothing but `fetch` and JSON, sending the
 * whole transcript every turn. `bareFetchLoop` asks for one JSON message a turn (`stream: false`): the
 * reference of every row. `bareStreamedLoop` asks for the same turn streamed (`stream: true`) and reads it
 * the least any streamed client must — the SSE body decoded, each event's `data` parsed, the content put
 * together — so a streaming contender is also read against a floor that does its wire work (an SSE body
 * comes in several chunks of events, not as one JSON document). `bareHttpLoop` is the JSON floor sent
 * through `node:http`, the transport `MessagesClient` uses by default: lighter per request than
 * `fetch`, so loopguard's own cost is read against it too.
 * @module
 */

import { request } from 'node:http';
import type { MessageParam } from '@loopguard/messages';

const KEY = 'sk-local-test';
const schema = { type: 'object', properties: { value: { type: 'number' } }, required: ['value'] } as const;
const tools = [{ name: 'record', description: 'records a value', input_schema: schema }];

type Block = { type: string; id?: string; text?: string; input?: unknown };
type Reply = { content: Block[]; stop_reason: string };
/** The fields of the stream events this loop reads. */
type StreamEvent = {
  type: string;
  index: number;
  content_block?: Block;
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string };
};

/** The headers of every floor's request. */
const HEADERS = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

/** One turn's request body: the whole transcript, `stream` as given. */
function requestBody(messages: MessageParam[], stream: boolean): string {
  return JSON.stringify({ model: 'claude-opus-4-6', max_tokens: 1024, stream, messages, tools });
}

/** One turn's request through `fetch`. */
function post(baseURL: string, messages: MessageParam[], stream: boolean): Promise<Response> {
  return fetch(`${baseURL}/messages`, { method: 'POST', headers: HEADERS, body: requestBody(messages, stream) });
}

/** Applies one SSE event of Anthropic's full form to the reply being put together. */
function apply(reply: Reply, partialJson: string[], event: StreamEvent): void {
  const { index, delta } = event;
  if (event.type === 'content_block_start') {
    reply.content[index] = { ...(event.content_block as Block) };
    partialJson[index] = '';
  } else if (event.type === 'content_block_delta') {
    const block = reply.content[index] as Block;
    if (delta?.type === 'text_delta') block.text = (block.text ?? '') + delta.text;
    else if (delta?.type === 'input_json_delta')
      partialJson[index] = `${partialJson[index] ?? ''}${delta.partial_json}`;
  } else if (event.type === 'content_block_stop') {
    const block = reply.content[index] as Block;
    if (block.type === 'tool_use') block.input = JSON.parse(partialJson[index] || '{}');
  } else if (event.type === 'message_delta') reply.stop_reason = delta?.stop_reason ?? '';
}

/** Reads a streamed reply: chunks decoded, events split at blank lines, each `data:` line parsed. */
async function readStreamed(response: Response): Promise<Reply> {
  const reply: Reply = { content: [], stop_reason: '' };
  const partialJson: string[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.indexOf('data: ');
      if (data === -1) continue;
      const lineEnd = event.indexOf('\n', data);
      apply(reply, partialJson, JSON.parse(event.slice(data + 6, lineEnd === -1 ? undefined : lineEnd)));
    }
  }
  return reply;
}

/** One turn's request through `node:http` (loopguard's default transport), read as one JSON message. */
function postHttp(baseURL: string, messages: MessageParam[]): Promise<Reply> {
  const body = requestBody(messages, false);
  return new Promise((resolve, reject) => {
    const outgoing = request(`${baseURL}/messages`, { method: 'POST', headers: HEADERS });
    outgoing.once('response', (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.once('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply));
      answer.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

/** One turn through `fetch`: one JSON message, or the streamed reply read as SSE. */
async function exchange(baseURL: string, messages: MessageParam[], stream: boolean): Promise<Reply> {
  const response = await post(baseURL, messages, stream);
  return stream ? readStreamed(response) : ((await response.json()) as Reply);
}

/** Runs the loop until the model answers (`turn` sends the transcript, reads the reply); returns the requests. */
async function loop(turns: number, turn: (messages: MessageParam[]) => Promise<Reply>): Promise<number> {
  const messages: MessageParam[] = [{ role: 'user', content: `turns: ${turns}` }];
  let requests = 0;
  for (;;) {
    const message = await turn(messages);
    requests += 1;
    messages.push({ role: 'assistant', content: message.content as MessageParam['content'] });
    if (message.stop_reason !== 'tool_use') return requests;
    messages.push({
      role: 'user',
      content: message.content
        .filter((b) => b.type === 'tool_use')
        .map((b) => ({ type: 'tool_result' as const, tool_use_id: b.id as string, content: 'ok' })),
    });
  }
}

/** The floor: the same HTTP as every contender with nothing but fetch and JSON, one JSON message a turn. */
export function bareFetchLoop(baseURL: string, turns: number): Promise<number> {
  return loop(turns, (messages) => exchange(baseURL, messages, false));
}

/** The floor of a streaming contender: the same, each turn streamed and read as SSE. */
export function bareStreamedLoop(baseURL: string, turns: number): Promise<number> {
  return loop(turns, (messages) => exchange(baseURL, messages, true));
}

/**
 * The floor on loopguard's own transport: the same loop through `node:http` instead of `fetch` (what
 * `MessagesClient` sends with by default), so a row can be read against the HTTP it actually pays for.
 */
export function bareHttpLoop(baseURL: string, turns: number): Promise<number> {
  return loop(turns, (messages) => postHttp(baseURL, messages));
}
