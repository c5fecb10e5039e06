/**
 * Property (fuzz) test of the byte-level SSE path: random Anthropic-format streams with unusual but
 * valid JSON (escapes of every kind, surrogate pairs, lone surrogates, `\/`, keys in other orders, extra and
 * duplicate keys, whitespace and line breaks inside the JSON, numbers written oddly), bytes that are not UTF-8
 * inside strings, every SSE framing (CRLF, CR, `data:` without space, comments, `id:`/`retry:` lines, `event:`
 * lines, several data lines, a byte order mark), cut into random chunks (1-byte chunks too, views with an
 * offset, empty chunks), read through `client.stream()` (with listeners coming and going), an iterator,
 * `client.create()` and `client.streamDeltas()`. Everything is compared with a reference written here: the
 * whole body decoded by `TextDecoder`, split by the SSE rules, each event `JSON.parse`d and applied.
 * Deterministic: a fixed list of seeds.
 */
import { describe, expect, it } from 'vitest';
import { MessagesClient } from '../client/messages-client.js';
import { isLoopguardError } from '../errors/errors.js';
import { createSeededRandom } from '../internal/seeded-random.js';
import type { Message, MessageStreamEvent } from '../protocol/types.js';
import { type HttpTestServer, startHttpTestServer } from '../test-support/http-test-server.js';

// ---------------------------------------------------------------------------------------------------------
// PRNG

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, p: number) => rng() < p;

// ---------------------------------------------------------------------------------------------------------
// A JSON writer with control over every byte

/** A string value: characters (JS strings of one code point, or a lone surrogate) and raw bytes (not UTF-8). */
class Str {
  constructor(readonly atoms: Array<string | number[]>) {}
}
/** An object whose entries keep the order given (duplicates allowed). */
class Obj {
  constructor(readonly entries: Array<[string, Json]>) {}
}
/** A number written as given. */
class Num {
  constructor(readonly text: string) {}
}
type Json = Str | Obj | Num | Json[] | boolean | null | number | string;

interface Style {
  /** Probability of escaping a character that needs no escape. */
  escape: number;
  /** Probability of whitespace between tokens. */
  ws: number;
  upperHex: boolean;
}
const PLAIN_STYLE: Style = { escape: 0, ws: 0, upperHex: false };

const encoder = new TextEncoder();

function hex4(unit: number, upper: boolean): string {
  const text = unit.toString(16).padStart(4, '0');
  return upper ? text.toUpperCase() : text;
}

function writeJson(value: Json, rng: Rng, style: Style, out: number[]): void {
  const ws = () => {
    while (style.ws > 0 && chance(rng, style.ws)) out.push(pick(rng, [32, 9, 10, 32] as const));
  };
  const ascii = (text: string) => {
    for (let i = 0; i < text.length; i += 1) out.push(text.charCodeAt(i));
  };
  ws();
  if (value instanceof Str) {
    out.push(34);
    for (const atom of value.atoms) {
      if (typeof atom !== 'string') {
        out.push(...atom);
        continue;
      }
      const code = atom.codePointAt(0) as number;
      const short: Record<number, string> = {
        8: '\\b',
        9: '\\t',
        10: '\\n',
        12: '\\f',
        13: '\\r',
        34: '\\"',
        92: '\\\\',
      };
      const lone = atom.length === 1 && code >= 0xd800 && code <= 0xdfff;
      const mustEscape = code < 0x20 || code === 34 || code === 92 || lone;
      if (mustEscape || chance(rng, style.escape)) {
        if (short[code] !== undefined && chance(rng, 0.7)) ascii(short[code] as string);
        else if (code === 47) ascii('\\/');
        else
          for (let i = 0; i < atom.length; i += 1)
            ascii(`\\u${hex4(atom.charCodeAt(i), style.upperHex && chance(rng, 0.5))}`);
      } else out.push(...encoder.encode(atom));
    }
    out.push(34);
  } else if (value instanceof Num) ascii(value.text);
  else if (value instanceof Obj) {
    out.push(123);
    value.entries.forEach(([key, item], i) => {
      if (i > 0) out.push(44);
      writeJson(new Str([...key]), rng, style, out);
      ws();
      out.push(58);
      writeJson(item, rng, style, out);
    });
    ws();
    out.push(125);
  } else if (Array.isArray(value)) {
    out.push(91);
    value.forEach((item, i) => {
      if (i > 0) out.push(44);
      writeJson(item, rng, style, out);
    });
    ws();
    out.push(93);
  } else if (typeof value === 'string') writeJson(new Str([...value]), rng, style, out);
  else ascii(JSON.stringify(value));
  ws();
}

// ---------------------------------------------------------------------------------------------------------
// Random content

const CHARS = [
  'a',
  'b',
  'z',
  ' ',
  ' ',
  'Q',
  '0',
  '9',
  '"',
  '\\',
  '/',
  '}',
  '{',
  ':',
  ',',
  '\n',
  '\t',
  '\r',
  '\b',
  '\f',
  '\u0000',
  '\u001f',
  '\u007f',
  'é',
  'ß',
  '—',
  '✓',
  '€',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\uffff',
  '🚀',
  '😀',
  '𝄞',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  'ü',
  '中',
  '\u0080',
  '\u07ff',
  '\u0800',
];
/** Byte sequences that are not UTF-8 (each becomes one or more U+FFFD). */
const INVALID = [
  [0x80],
  [0xbf],
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xed, 0xa0, 0x80],
  [0xc0, 0xaf],
  [0xff],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe0, 0x80],
  [0xf5],
];
/** Pieces that look like the end of a plain delta, to land at chunk edges. */
const DECOYS = ['"}}', '\\"}}', '"}', '\\', '\\u', '\\ud83d', '"}}\n\n', 'data: ', '\\"', '}}'];

function randomStr(rng: Rng, richness: number, maxLength: number): Str {
  const atoms: Array<string | number[]> = [];
  // Continuation bytes first, now and then: they must not finish a character the delta before left unfinished.
  if (chance(rng, richness / 3)) atoms.push(pick(rng, [[0x80], [0xbf], [0x9f, 0x98, 0x80], [0xa9], [0x82, 0xac]]));
  const length = chance(rng, 0.03) ? int(rng, 200, 3000) : int(rng, 0, maxLength);
  for (let i = 0; i < length; i += 1) {
    const roll = rng();
    if (roll < 1 - richness) atoms.push(pick(rng, ['a', 'b', 'c', ' ', 'x', 'y', '1', '.', 'é', '✓']));
    else if (roll < 1 - richness / 6) atoms.push(pick(rng, CHARS));
    else if (roll < 1 - richness / 12) atoms.push(...pick(rng, DECOYS));
    else atoms.push(pick(rng, INVALID));
  }
  // A surrogate pair or an invalid sequence right before the closing quote, now and then.
  if (chance(rng, 0.1)) atoms.push(pick(rng, ['🚀', '\ud83d', 'é']));
  if (chance(rng, richness / 4)) atoms.push(pick(rng, INVALID));
  return new Str(atoms);
}

/** A random JSON value (for tool input), as a plain JS value. */
function randomValue(rng: Rng, depth: number): unknown {
  const roll = rng();
  if (depth > 2 || roll < 0.3) {
    return pick(rng, [1, -2.5, 0, 1e21, true, false, null, 'x', 'é"\\/\n🚀', '\ud800'.concat('a'), '', 'a\u2028b']);
  }
  if (roll < 0.6) return Array.from({ length: int(rng, 0, 3) }, () => randomValue(rng, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = int(rng, 0, 4); i > 0; i -= 1)
    object[pick(rng, ['a', 'b', 'é', 'q"', 'k\\', '🚀', ''])] = randomValue(rng, depth + 1);
  return object;
}

function randomNum(rng: Rng, n: number, odd: boolean): Num {
  if (!odd) return new Num(String(n));
  return new Num(pick(rng, [String(n), `${n}.0`, `${n}e0`, `${n}.00E+0`, `${n * 10}e-1`]));
}

/** Cuts `text` into 1..k pieces (anywhere: inside escapes of the JSON text too — each piece is a JS string). */
function cutText(rng: Rng, text: string): string[] {
  if (text.length === 0) return [''];
  const pieces: string[] = [];
  let at = 0;
  while (at < text.length) {
    const size = chance(rng, 0.3) ? 1 : int(rng, 1, 12);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

interface GeneratedEvent {
  json: Json;
  /** Data written as given instead of `json` (an event that is not valid). */
  raw?: string;
  style: Style;
  name: string | undefined;
}

/** One content_block_delta: canonical (the plain shape) or with a twist that JSON.parse reads the same. */
function deltaEvent(rng: Rng, index: number, delta: Array<[string, Json]>, odd: number): { json: Json; style: Style } {
  if (!chance(rng, odd)) {
    return {
      json: new Obj([
        ['type', 'content_block_delta'],
        ['index', index],
        ['delta', new Obj(delta)],
      ]),
      style: PLAIN_STYLE,
    };
  }
  let inner = [...delta];
  let outer: Array<[string, Json]> = [
    ['type', 'content_block_delta'],
    ['index', randomNum(rng, index, chance(rng, 0.3))],
  ];
  const twist = int(rng, 0, 6);
  if (twist === 0) inner = inner.reverse();
  if (twist === 1) inner.push(['extra', new Obj([['a', [1, 'x"}}']]])]);
  if (twist === 2) inner.splice(1, 0, [inner[1]?.[0] ?? 'text', 'decoy']); // duplicate key: JSON.parse keeps the last
  if (twist === 3) outer = outer.reverse();
  if (twist === 4) outer.push(['z', null]);
  if (twist === 5) outer.unshift(['type', 'decoy']);
  const json = new Obj([...outer, ['delta', new Obj(inner)]]);
  const style: Style = {
    escape: chance(rng, 0.5) ? 0.3 : 0,
    ws: twist === 6 || chance(rng, 0.3) ? 0.2 : 0,
    upperHex: chance(rng, 0.5),
  };
  return { json, style };
}

/** A whole Anthropic-format stream's events. */
function generateEvents(rng: Rng, caseOdd: number, richness: number, brokenTool: boolean): GeneratedEvent[] {
  const events: GeneratedEvent[] = [];
  const add = (json: Json, style: Style = PLAIN_STYLE) => {
    const typeEntry = json instanceof Obj ? json.entries.find(([key]) => key === 'type') : undefined;
    const name = chance(rng, 0.8) ? String(typeEntry?.[1] ?? 'x') : chance(rng, 0.5) ? undefined : 'other';
    events.push({ json, style, name });
  };
  const odd = (): Style => (chance(rng, caseOdd) ? { escape: 0.2, ws: 0.15, upperHex: chance(rng, 0.5) } : PLAIN_STYLE);
  add(
    new Obj([
      ['type', 'message_start'],
      [
        'message',
        new Obj([
          ['id', randomStr(rng, 0.1, 8)],
          ['type', 'message'],
          ['role', 'assistant'],
          ['model', 'claude-x'],
          ['content', []],
          ['stop_reason', null],
          ['stop_sequence', null],
          [
            'usage',
            new Obj([
              ['input_tokens', int(rng, 0, 99)],
              ['output_tokens', 1],
            ]),
          ],
        ]),
      ],
    ]),
    odd(),
  );
  const blockCount = int(rng, 0, 5);
  for (let index = 0; index < blockCount; index += 1) {
    const kind = pick(rng, ['text', 'text', 'thinking', 'tool_use'] as const);
    const start =
      kind === 'text'
        ? new Obj([
            ['type', 'text'],
            ['text', chance(rng, 0.2) ? randomStr(rng, richness, 5) : ''],
          ])
        : kind === 'thinking'
          ? new Obj([
              ['type', 'thinking'],
              ['thinking', ''],
              ['signature', ''],
            ])
          : new Obj([
              ['type', 'tool_use'],
              ['id', `toolu_${index}`],
              ['name', 'tool'],
              ['input', new Obj([])],
            ]);
    add(
      new Obj([
        ['type', 'content_block_start'],
        ['index', index],
        ['content_block', start],
      ]),
      odd(),
    );
    const deltas = int(rng, 0, 12);
    const pieces =
      kind === 'tool_use'
        ? cutText(rng, JSON.stringify(randomValue(rng, 0)) + (brokenTool && index === 0 ? '}' : ''))
        : Array.from({ length: deltas }, () => null);
    for (const piece of pieces) {
      if (chance(rng, 0.1)) add(new Obj([['type', 'ping']]), odd());
      // A text or thinking delta's random text; a tool input's fragment as a Str of its characters (escapes of
      // the JSON text inside the JSON string).
      const delta: Array<[string, Json]> =
        kind === 'tool_use'
          ? [
              ['type', 'input_json_delta'],
              ['partial_json', new Str(Array.from(piece as string))],
            ]
          : [
              ['type', `${kind}_delta`],
              [kind, randomStr(rng, richness, 24)],
            ];
      const { json, style } = deltaEvent(rng, index, delta, caseOdd);
      add(json, style);
    }
    if (kind === 'thinking') {
      add(
        new Obj([
          ['type', 'content_block_delta'],
          ['index', index],
          [
            'delta',
            new Obj([
              ['type', 'signature_delta'],
              ['signature', `sig${index}`],
            ]),
          ],
        ]),
        odd(),
      );
    }
    add(
      new Obj([
        ['type', 'content_block_stop'],
        ['index', index],
      ]),
      odd(),
    );
  }
  add(
    new Obj([
      ['type', 'message_delta'],
      [
        'delta',
        new Obj([
          ['stop_reason', pick(rng, ['end_turn', 'tool_use', 'stop_sequence'])],
          ['stop_sequence', null],
        ]),
      ],
      ['usage', new Obj([['output_tokens', int(rng, 1, 999)]])],
    ]),
    odd(),
  );
  add(new Obj([['type', 'message_stop']]), odd());
  return events;
}

/** The SSE body: every event framed at random (line ends, `data:` with or without space, comments, other fields). */
function frame(rng: Rng, events: GeneratedEvent[], framingOdd: number): Uint8Array {
  const out: number[] = [];
  if (chance(rng, 0.15)) out.push(0xef, 0xbb, 0xbf);
  const ascii = (text: string) => {
    for (let i = 0; i < text.length; i += 1) out.push(text.charCodeAt(i));
  };
  for (const event of events) {
    const data: number[] = [];
    if (event.raw !== undefined) data.push(...encoder.encode(event.raw));
    else writeJson(event.json, rng, event.style, data);
    const odd = chance(rng, framingOdd);
    // A CR followed by a LF is one line end: after a lone CR the next line end is never a lone LF.
    const eol = () => {
      const end = odd ? pick(rng, ['\n', '\r\n', '\r']) : '\n';
      return out[out.length - 1] === 13 && end === '\n' ? '\r' : end;
    };
    if (odd && chance(rng, 0.3)) ascii(`: comment ${int(rng, 0, 9)}${eol()}`);
    if (odd && chance(rng, 0.2)) ascii(`id: ${int(rng, 0, 99)}${eol()}`);
    if (event.name !== undefined) ascii(`event${odd && chance(rng, 0.3) ? ':' : ': '}${event.name}${eol()}`);
    if (odd && chance(rng, 0.1)) ascii(`retry: 10${eol()}`);
    // The data, split into several `data:` lines at its raw line feeds (whitespace between JSON tokens).
    const lines: number[][] = [[]];
    for (const byte of data) {
      if (byte === 10) lines.push([]);
      else (lines[lines.length - 1] as number[]).push(byte);
    }
    for (const line of lines) {
      ascii(odd && chance(rng, 0.3) ? 'data:' : 'data: ');
      out.push(...line);
      ascii(eol());
    }
    if (odd && chance(rng, 0.1)) ascii(`:${eol()}`);
    ascii(eol());
  }
  return Uint8Array.from(out);
}

/** Random chunk sizes: all 1-byte, small, large, or a mix; some chunks empty. */
function chunking(rng: Rng, body: Uint8Array): Uint8Array[] {
  const mode = int(rng, 0, 4);
  // Views into a larger buffer, at an offset: a reader must respect byteOffset.
  const backing = new Uint8Array(body.length + 16);
  const offset = int(rng, 0, 7);
  backing.set(body, offset);
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    const size =
      mode === 0
        ? 1
        : mode === 1
          ? int(rng, 1, 8)
          : mode === 2
            ? int(rng, 1, 400)
            : mode === 3
              ? int(rng, 50, 5000)
              : chance(rng, 0.5)
                ? 1
                : int(rng, 2, 200);
    if (chance(rng, 0.02)) chunks.push(new Uint8Array(0));
    const end = Math.min(body.length, at + size);
    chunks.push(chance(rng, 0.5) ? backing.subarray(offset + at, offset + end) : body.slice(at, end));
    at = end;
  }
  return chunks;
}

// ---------------------------------------------------------------------------------------------------------
// The reference: TextDecoder on the whole body, the SSE rules on the text, JSON.parse per event

function referenceEvents(body: Uint8Array): { events: MessageStreamEvent[]; datas: string[] } {
  const text = new TextDecoder().decode(body); // strips a leading BOM; invalid bytes become U+FFFD
  const lines = text.split(/\r\n|\r|\n/);
  lines.pop(); // the unended last line (empty when the body ends with a line end): never dispatched
  const datas: string[] = [];
  let data: string[] = [];
  for (const line of lines) {
    if (line === '') {
      if (data.length > 0) datas.push(data.join('\n'));
      data = [];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
  }
  return {
    events: datas.map((d) => {
      try {
        const event = JSON.parse(d) as MessageStreamEvent;
        // What the client refuses: data that is not a JSON object, an `error` event.
        if (typeof event !== 'object' || event === null || Array.isArray(event))
          return { type: '__bad', code: 'malformed_event' };
        if (event.type === 'error') return { type: '__bad', code: (event as Any).error.type };
        return event;
      } catch {
        return { type: '__bad', code: 'malformed_event' };
      }
    }) as MessageStreamEvent[],
    datas,
  };
}

interface Reference {
  message: Message | undefined;
  error: string | undefined;
  /** What a listener that sees everything gets, in order: text (delta | snapshot), thinking, tool_use, event. */
  calls: Array<{ kind: 'text' | 'thinking' | 'tool_use' | 'event'; eventIndex: number; value: unknown }>;
}

type Any = Record<string, any>;

function referenceApply(events: MessageStreamEvent[]): Reference {
  let base: Any = {};
  const usage: Any = { input_tokens: 0, output_tokens: 0 };
  const blocks: Any[] = [];
  const json: Record<number, string> = {};
  let stopReason: unknown = null;
  let stopSequence: unknown = null;
  let stopped = false;
  const calls: Reference['calls'] = [];
  const merge = (part: Any | undefined) => {
    for (const [key, value] of Object.entries(part ?? {})) if (typeof value === 'number') usage[key] = value;
  };
  let error: string | undefined;
  events.forEach((event: Any, eventIndex) => {
    if (error?.startsWith('bad ')) return;
    if (event.type === '__bad') {
      error = `bad ${event.code}`;
      return;
    }
    switch (event.type) {
      case 'message_start': {
        const { content: _c, usage: u, ...rest } = event.message;
        base = rest;
        merge(u);
        break;
      }
      case 'content_block_start':
        blocks[event.index] = { ...event.content_block };
        if (event.content_block.type === 'tool_use') json[event.index] = '';
        break;
      case 'content_block_delta': {
        const block = blocks[event.index] as Any;
        const d = event.delta;
        if (d.type === 'text_delta') {
          block.text = `${block.text ?? ''}${d.text}`;
          calls.push({ kind: 'text', eventIndex, value: [d.text, block.text] });
        } else if (d.type === 'thinking_delta') {
          block.thinking = `${block.thinking ?? ''}${d.thinking}`;
          calls.push({ kind: 'thinking', eventIndex, value: d.thinking });
        } else if (d.type === 'signature_delta') block.signature = `${block.signature ?? ''}${d.signature}`;
        else if (d.type === 'input_json_delta') json[event.index] = `${json[event.index] ?? ''}${d.partial_json}`;
        break;
      }
      case 'content_block_stop': {
        const block = blocks[event.index] as Any;
        if (block.type === 'tool_use') {
          const text = json[event.index] as string;
          try {
            block.input = text.trim() === '' ? {} : JSON.parse(text);
            calls.push({ kind: 'tool_use', eventIndex, value: JSON.parse(JSON.stringify(block)) });
          } catch {
            error ??= 'invalid_tool_input';
            block.input = {};
          }
        }
        break;
      }
      case 'message_delta':
        if (event.delta?.stop_reason !== undefined) stopReason = event.delta.stop_reason;
        if (event.delta?.stop_sequence !== undefined) stopSequence = event.delta.stop_sequence;
        merge(event.usage);
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
    calls.push({ kind: 'event', eventIndex, value: event });
  });
  if (error?.startsWith('bad ')) error = error.slice(4);
  else if (!stopped) error = 'stream_truncated';
  const message = {
    id: base.id ?? '',
    type: 'message',
    role: 'assistant',
    model: base.model ?? '',
    ...base,
    content: blocks.filter((b) => b !== undefined),
    stop_reason: stopReason ?? base.stop_reason ?? null,
    stop_sequence: stopSequence ?? base.stop_sequence ?? null,
    usage: { ...usage },
  } as Message;
  return { message: error ? undefined : message, error, calls };
}

// ---------------------------------------------------------------------------------------------------------
// Running the client

const params = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };

function fetchOf(chunks: Uint8Array[]): typeof fetch {
  return async () => {
    let next = 0;
    return new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (next < chunks.length) controller.enqueue(chunks[next++] as Uint8Array);
          else controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
  };
}

function clientOf(fetchImpl: typeof fetch | undefined, baseURL = 'http://127.0.0.1:9/v1'): MessagesClient {
  return new MessagesClient({
    apiKey: 'sk-test-attack-0123456789',
    baseURL,
    maxRetries: 0,
    retryBaseDelayMs: 1,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
}

const strip = (message: Message): Message => {
  const { request_id: _r, ...rest } = message as Message & { request_id?: string };
  return rest as Message;
};
const errorCode = (error: unknown): string =>
  isLoopguardError(error) ? String((error as { code?: string }).code) : `not typed: ${String(error)}`;

type Mode = 'final' | 'all' | 'toggle' | 'iterator' | 'create' | 'deltas';

/**
 * What a set of listeners that come and go sees, simulated on the reference: at each callback the PRNG
 * decides whether to flip one listener (text, thinking, stream_event); a listener sees the calls made while on.
 */
function simulateToggles(reference: Reference, seed: number): string[] {
  const rng = createSeededRandom(seed);
  const on = { text: true, thinking: true, event: true };
  const trace: string[] = [];
  const flip = () => {
    if (!chance(rng, 0.35)) return;
    const which = pick(rng, ['text', 'thinking', 'event'] as const);
    on[which] = !on[which];
    trace.push(`flip ${which} ${on[which]}`);
    if (which === 'event') rng(); // the real run draws the alias to use
  };
  for (const call of reference.calls) {
    if (call.kind === 'tool_use') trace.push(`tool_use ${JSON.stringify(call.value)}`);
    else if (on[call.kind]) {
      trace.push(`${call.kind} ${JSON.stringify(call.value)}`);
      flip();
    }
  }
  return trace;
}

async function runCase(seed: number, mode: Mode, chunks: Uint8Array[], fetchImpl?: typeof fetch, baseURL?: string) {
  const client = clientOf(fetchImpl ?? fetchOf(chunks), baseURL);
  const trace: string[] = [];
  let message: Message | undefined;
  let error: string | undefined;
  const iterated: MessageStreamEvent[] = [];
  try {
    if (mode === 'create') message = await client.create(params);
    else if (mode === 'deltas') {
      message = await client.streamDeltas(params, {
        onText: (delta) => trace.push(`textonly ${JSON.stringify(delta)}`),
        onThinking: (delta) => trace.push(`thinking ${JSON.stringify(delta)}`),
      });
    } else {
      const stream = client.stream(params);
      const rng = createSeededRandom(seed);
      const on = { text: true, thinking: true, event: true };
      const onText = (delta: string, snapshot: string) => {
        trace.push(`text ${JSON.stringify([delta, snapshot])}`);
        if (mode === 'toggle') flip();
      };
      const onThinking = (delta: string) => {
        trace.push(`thinking ${JSON.stringify(delta)}`);
        if (mode === 'toggle') flip();
      };
      const onEvent = (event: MessageStreamEvent) => {
        trace.push(`event ${JSON.stringify(event)}`);
        if (mode === 'toggle') flip();
      };
      const flip = () => {
        if (!chance(rng, 0.35)) return;
        const which = pick(rng, ['text', 'thinking', 'event'] as const);
        on[which] = !on[which];
        trace.push(`flip ${which} ${on[which]}`);
        const name = which === 'event' ? (chance(rng, 0.5) ? 'stream_event' : 'streamEvent') : which;
        const fn = which === 'text' ? onText : which === 'thinking' ? onThinking : onEvent;
        if (on[which]) stream.on(name as 'text', fn as never);
        else stream.off(name as 'text', fn as never);
      };
      if (mode === 'all' || mode === 'toggle') {
        stream.on('text', onText);
        stream.on('thinking', onThinking);
        stream.on('stream_event', onEvent);
        stream.on('tool_use', (block) => trace.push(`tool_use ${JSON.stringify(block)}`));
      }
      const iterating =
        mode === 'iterator'
          ? (async () => {
              for await (const event of stream) iterated.push(event);
            })()
          : Promise.resolve();
      try {
        message = await stream.finalMessage();
      } finally {
        await iterating.catch(() => undefined);
      }
    }
  } catch (caught) {
    error = errorCode(caught);
  }
  return { message: message && strip(message), error, trace, iterated };
}

function expectedTrace(reference: Reference, mode: Mode, seed: number): string[] {
  if (mode === 'toggle') return simulateToggles(reference, seed);
  if (mode === 'all') {
    return reference.calls.map((call) => `${call.kind} ${JSON.stringify(call.value)}`);
  }
  if (mode === 'deltas') {
    return reference.calls
      .filter((call) => call.kind === 'text' || call.kind === 'thinking')
      .map((call) =>
        call.kind === 'text'
          ? `textonly ${JSON.stringify((call.value as string[])[0])}`
          : `thinking ${JSON.stringify(call.value)}`,
      );
  }
  return [];
}

interface Case {
  seed: number;
  body: Uint8Array;
  chunks: Uint8Array[];
  mode: Mode;
  reference: Reference;
  events: MessageStreamEvent[];
}

/** Data that is not a valid event (JSON.parse refuses it, or it is not an object, or an `error` event). */
const BAD_DATA: Array<(index: number) => string> = [
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"abc}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a\\x"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a\\u12"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a\\u12g4"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a\\"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a"}}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a"}} x`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"thinking_delta","thinking":"a"}`,
  (i) => `{"type":"content_block_delta","index":0${i},"delta":{"type":"text_delta","text":"a"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"input_json_delta","partial_json":"\\ud800\\"}}`,
  (i) => `{"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"a\\'"}}`,
  () => '[1,2]',
  () => '"a string"',
  () => 'null',
  () => '',
  () => '{"type":"error","error":{"type":"overloaded_error","message":"busy"}}',
  () => '{"type":"error","error":{"type":"invalid_request_error","message":"no"}}',
];

function makeCase(seed: number): Case {
  const rng = createSeededRandom(seed * 7919 + 17);
  const caseOdd = pick(rng, [0, 0, 0.1, 0.3, 0.8]);
  const richness = pick(rng, [0, 0.1, 0.4, 0.9]);
  const brokenTool = chance(rng, 0.04);
  const generated = generateEvents(rng, caseOdd, richness, brokenTool);
  if (chance(rng, 0.12)) {
    // An event the client must refuse with a typed error, somewhere after the first; many look like plain deltas.
    const index = int(rng, 0, 3);
    const at = int(rng, 1, generated.length - 1);
    generated.splice(at, 0, {
      json: null,
      style: PLAIN_STYLE,
      name: pick(rng, ['x', 'error', undefined]),
      raw: pick(rng, BAD_DATA)(index),
    });
  }
  let body = frame(rng, generated, pick(rng, [0, 0, 0.3, 1]));
  if (chance(rng, 0.03)) body = body.subarray(0, body.length - int(rng, 1, 30)); // cut: stream_truncated
  const { events } = referenceEvents(body);
  const reference = referenceApply(events);
  const mode = pick(rng, ['final', 'all', 'toggle', 'toggle', 'iterator', 'create', 'deltas'] as const);
  return { seed, body, chunks: chunking(rng, body), mode, reference, events };
}

function describeFailure(c: Case): string {
  return `seed ${c.seed}, mode ${c.mode}, chunk sizes ${c.chunks.map((x) => x.length).join(',')}, body ${c.body.length > 1500 ? `…${JSON.stringify(Buffer.from(c.body.subarray(-1500)).toString('latin1'))}` : JSON.stringify(Buffer.from(c.body).toString('latin1'))}`;
}

async function check(c: Case, result: Awaited<ReturnType<typeof runCase>>): Promise<void> {
  const context = describeFailure(c);
  if (c.reference.error !== undefined) {
    expect(result.error, context).toBe(c.reference.error);
    // Listeners and iterators got the events before the error, as the reference did.
    expect(result.trace, context).toEqual(expectedTrace(c.reference, c.mode, c.seed));
    if (c.mode === 'iterator') {
      const before = c.reference.calls.flatMap((call) => (call.kind === 'event' ? [call.value] : []));
      expect(result.iterated, context).toEqual(before);
    }
    return;
  }
  expect(result.error, context).toBeUndefined();
  expect(result.message, context).toEqual(c.reference.message);
  // Key order and strings exactly (toEqual would not see a difference in key order or -0).
  expect(JSON.stringify(result.message), context).toBe(JSON.stringify(c.reference.message));
  expect(result.trace, context).toEqual(expectedTrace(c.reference, c.mode, c.seed));
  if (c.mode === 'iterator') expect(result.iterated, context).toEqual(c.events);
}

const SEEDS = Array.from({ length: Number(process.env.ATTACK_SEEDS ?? 600) }, (_, i) => i + 1);

describe('the byte-level SSE path against JSON.parse per event', () => {
  it('Should give the message, deltas and events JSON.parse gives, for random streams and chunkings (fetch stand-in)', async () => {
    let plainCases = 0;
    const errors = new Set<string>();
    for (const seed of SEEDS) {
      const c = makeCase(seed);
      if (c.reference.error === undefined) plainCases += 1;
      else errors.add(c.reference.error);
      await check(c, await runCase(seed, c.mode, c.chunks));
    }
    if (SEEDS.length >= 600) {
      expect(plainCases).toBeGreaterThan(400);
      expect([...errors].sort()).toEqual([
        'invalid_request_error',
        'invalid_tool_input',
        'malformed_event',
        'overloaded_error',
        'stream_truncated',
      ]);
    }
  }, 60_000);

  it('Should give the same over a real HTTP server on 127.0.0.1, written in the random chunks', async () => {
    let current: Case | undefined;
    const server: HttpTestServer = await startHttpTestServer(async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const chunk of (current as Case).chunks.slice(0, 400)) {
        response.write(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
      const rest = (current as Case).chunks.slice(400);
      if (rest.length > 0) response.write(Buffer.concat(rest));
      response.end();
    });
    try {
      for (const seed of SEEDS.slice(0, 40)) {
        current = makeCase(seed + 10_000);
        await check(
          current,
          await runCase(current.seed, current.mode, current.chunks, globalThis.fetch, server.baseURL),
        );
      }
    } finally {
      await server.close();
    }
  }, 60_000);
});
