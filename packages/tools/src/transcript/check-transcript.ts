/**
 * `checkTranscript(messages)`: the one check the loop runs before each request. Rules:
 * - every distinct `tool_use` id of an assistant turn is answered by exactly one `tool_result` in the next
 *   user turn; results come first in that turn, in the order of the calls;
 * - a `tool_result` answers a call of the assistant turn just before it, and nothing else;
 * - `thinking` / `redacted_thinking` blocks are whole (`thinking` + `signature`, or `data`), since they go
 *   back byte for byte.
 * A call with no result (the transcript was cut after it, or a user turn came without results) is
 * repaired: it gets an `is_error` result saying it was not run here. Anything else is refused with a
 * `TranscriptError` naming the place. Pure: the messages given are never changed.
 * @module
 */
import type { ContentBlockParam, MessageParam, ToolResultBlock } from '@loopguard/messages';
import { TranscriptError } from './transcript-error.js';

/** A repair the check made: the call `toolUseId` of `messages[messageIndex]` got an `is_error` result. */
export interface TranscriptRepair {
  type: 'missing_tool_result';
  /** The index of the assistant turn whose call had no result. */
  messageIndex: number;
  toolUseId: string;
}

/** The transcript to send (the same array when nothing was repaired) and what was repaired. */
export interface TranscriptCheck {
  messages: MessageParam[];
  repairs: TranscriptRepair[];
}

/** The text of the `is_error` result a cut-off call gets. */
export const MISSING_RESULT_TEXT =
  'No result was recorded for this call (the transcript was cut after it), and it was not run again. Call the tool again if you still need it.';

type Block = Record<string, unknown>;

function blocksOf(content: MessageParam['content']): Block[] {
  return typeof content === 'string' ? [] : (content as unknown as Block[]);
}

/** The distinct ids of the tool_use blocks of an assistant turn, in order of first appearance. */
export function callIdsOf(message: MessageParam): string[] {
  const ids: string[] = [];
  for (const block of blocksOf(message.content)) {
    if (block.type === 'tool_use' && !ids.includes(block.id as string)) ids.push(block.id as string);
  }
  return ids;
}

function checkBlocks(message: MessageParam, index: number): void {
  if (message.role !== 'user' && message.role !== 'assistant') {
    throw new TranscriptError(`messages.${index}.role`, 'must be "user" or "assistant".');
  }
  if (typeof message.content === 'string') return;
  if (!Array.isArray(message.content)) {
    throw new TranscriptError(`messages.${index}.content`, 'must be a string or an array of blocks.');
  }
  message.content.forEach((block: ContentBlockParam | Block, position) => {
    const path = `messages.${index}.content.${position}`;
    const record = block as Block;
    if (typeof record !== 'object' || record === null || typeof record.type !== 'string') {
      throw new TranscriptError(path, 'must be a block with a string `type`.');
    }
    if (record.type === 'tool_use') {
      if (message.role !== 'assistant') throw new TranscriptError(path, 'a tool_use may only be in an assistant turn.');
      if (typeof record.id !== 'string' || record.id === '' || typeof record.name !== 'string') {
        throw new TranscriptError(path, 'a tool_use needs a non-empty string `id` and a string `name`.');
      }
    } else if (record.type === 'tool_result' && typeof record.tool_use_id !== 'string') {
      throw new TranscriptError(path, 'a tool_result needs a string `tool_use_id`.');
    } else if (
      (record.type === 'thinking' && (typeof record.thinking !== 'string' || typeof record.signature !== 'string')) ||
      (record.type === 'redacted_thinking' && typeof record.data !== 'string')
    ) {
      throw new TranscriptError(path, `a ${record.type} block must be sent back whole, as it was received.`);
    }
  });
}

/** The user turn after an assistant turn with `calls`, every call answered; repairs noted. */
function answerCalls(
  calls: string[],
  assistantIndex: number,
  next: MessageParam | undefined,
  repairs: TranscriptRepair[],
): MessageParam {
  const index = assistantIndex + 1;
  if (next !== undefined && next.role !== 'user') {
    throw new TranscriptError(
      `messages.${index}`,
      `must be a user turn with the tool_results of messages.${assistantIndex}.`,
    );
  }
  const blocks: Block[] =
    next === undefined
      ? []
      : typeof next.content === 'string'
        ? [{ type: 'text', text: next.content }]
        : blocksOf(next.content);
  let leading = 0;
  while (leading < blocks.length && blocks[leading]?.type === 'tool_result') leading += 1;
  const stray = blocks.findIndex((block, position) => position >= leading && block.type === 'tool_result');
  if (stray >= 0) {
    throw new TranscriptError(
      `messages.${index}.content.${stray}`,
      'tool_results must come first in their turn, before any other block.',
    );
  }
  const results = blocks.slice(0, leading);
  const answered = results.map((block) => block.tool_use_id as string);
  answered.forEach((id, position) => {
    const path = `messages.${index}.content.${position}`;
    if (!calls.includes(id))
      throw new TranscriptError(path, `tool_result "${id}" answers no tool_use of messages.${assistantIndex}.`);
    if (answered.indexOf(id) !== position)
      throw new TranscriptError(path, `tool_use "${id}" has more than one tool_result.`);
  });
  const inCallOrder = calls.filter((id) => answered.includes(id));
  if (inCallOrder.some((id, position) => answered[position] !== id)) {
    throw new TranscriptError(
      `messages.${index}.content`,
      `tool_results must follow the order of the calls of messages.${assistantIndex}.`,
    );
  }
  if (answered.length === calls.length && next !== undefined) return next;
  const full = calls.map((id): Block => {
    const existing = results[answered.indexOf(id)];
    if (existing) return existing;
    repairs.push({ type: 'missing_tool_result', messageIndex: assistantIndex, toolUseId: id });
    const repaired: ToolResultBlock = {
      type: 'tool_result',
      tool_use_id: id,
      is_error: true,
      content: MISSING_RESULT_TEXT,
    };
    return repaired as unknown as Block;
  });
  return { role: 'user', content: [...full, ...blocks.slice(leading)] as unknown as ContentBlockParam[] };
}

/**
 * Checks `messages` from index `from` on (earlier messages were checked before and never change).
 * Returns the transcript to send, repaired where the rule is clear; throws `TranscriptError` otherwise.
 * @param from the first message to check. @default 0
 */
export function checkTranscript(messages: readonly MessageParam[], from = 0): TranscriptCheck {
  const repairs: TranscriptRepair[] = [];
  let out: MessageParam[] | undefined;
  const start = Math.max(0, from);
  for (let index = start; index < messages.length; index += 1) {
    const message = (out ?? messages)[index] as MessageParam;
    if (typeof message !== 'object' || message === null)
      throw new TranscriptError(`messages.${index}`, 'must be { role, content }.');
    checkBlocks(message, index);
    const previous = index > 0 ? (out ?? messages)[index - 1] : undefined;
    if (message.role === 'user') {
      // A user turn right after calls was checked with them (or, at `from`, in an earlier check).
      const answering = previous?.role === 'assistant' && callIdsOf(previous).length > 0;
      const stray = answering ? -1 : blocksOf(message.content).findIndex((block) => block.type === 'tool_result');
      if (stray >= 0) {
        throw new TranscriptError(
          `messages.${index}.content.${stray}`,
          'a tool_result must answer a tool_use of the assistant turn just before it.',
        );
      }
      continue;
    }
    const calls = callIdsOf(message);
    if (calls.length === 0) continue;
    const next = (out ?? messages)[index + 1];
    const answered = answerCalls(calls, index, next, repairs);
    if (answered !== next) {
      out ??= messages.slice();
      if (next === undefined) out.push(answered);
      else out[index + 1] = answered;
    }
    index += 1;
  }
  return { messages: out ?? (messages as MessageParam[]), repairs };
}
