/**
 * `countMessages`: the characters a request's messages make the model read (and the tokens counted whole:
 * images, PDF pages), for the input estimate — counted incrementally. A long run sends the same messages
 * turn after turn, each request the previous one's and two more: per conversation (known by its first
 * message object) the last messages counted are kept in order, each with its `content` as it was counted,
 * and the blocks of their content arrays in order. A request whose messages start with those — the same
 * objects, with the same `content`, holding the same blocks (none added, removed or replaced) — counts only
 * the messages after them; any other is counted again from its start. (A block moved from one message's
 * content to the next one's leaves the blocks in order as they were, and the count too: a message's count is
 * its own fields' plus its blocks'.) A block changed in place (its text edited) is not seen: give the message a new
 * `content` array, or a new message, to change what was sent.
 * @module
 */
import { countCharacters } from './count-characters.js';

/** What the last count of a conversation read, in order, and what it came to. */
interface Counted {
  messages: unknown[];
  contents: unknown[];
  /** The blocks of the content arrays, in order (a block replaced in its array is counted again). */
  blocks: unknown[];
  characters: number;
  images: number;
}

/** The last count of each conversation, by its first message. */
const conversations = new WeakMap<object, Counted>();

function contentOf(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { content?: unknown }).content : undefined;
}

/** True when `messages` start with what `counted` read, unchanged. */
function startsWith(messages: readonly unknown[], counted: Counted): boolean {
  const length = counted.messages.length;
  if (messages.length < length) return false;
  const blocks = counted.blocks;
  let block = 0;
  for (let index = 0; index < length; index += 1) {
    const message = messages[index];
    if (message !== counted.messages[index]) return false;
    const content = contentOf(message);
    if (content !== counted.contents[index]) return false;
    if (!Array.isArray(content)) continue;
    if (block + content.length > blocks.length) return false;
    for (let at = 0; at < content.length; at += 1) if (content[at] !== blocks[block++]) return false;
  }
  return block === blocks.length;
}

/** Characters and whole-token counts of `messages` (see the module's note on what is counted again). */
export function countMessages(messages: readonly unknown[]): { characters: number; images: number } {
  const first = messages[0];
  if (typeof first !== 'object' || first === null) return countCharacters(messages);
  let counted = conversations.get(first);
  if (counted === undefined || !startsWith(messages, counted)) {
    counted = { messages: [], contents: [], blocks: [], characters: 0, images: 0 };
    conversations.set(first, counted);
  }
  for (let index = counted.messages.length; index < messages.length; index += 1) {
    const message = messages[index];
    const content = contentOf(message);
    const count = countCharacters(message);
    counted.messages.push(message);
    counted.contents.push(content);
    if (Array.isArray(content)) for (const block of content) counted.blocks.push(block);
    counted.characters += count.characters;
    counted.images += count.images;
  }
  return { characters: counted.characters, images: counted.images };
}
