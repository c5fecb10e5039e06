/**
 * Anchors of conversations: per run, the last prompt the gateway reported an input count for. A later
 * prompt of the same run that extends it (the same system and tools, the same messages first) is bounded by
 * that count plus a true bound of only what is new — instead of the bytes of the whole transcript.
 * @module
 */
import type { MessageParam, Prompt } from '@loopguard/messages';
import { messagesTokenBound } from '../input-token-bound.js';

/** Runs remembered at most; the oldest is forgotten first. */
const MAX_RUNS = 10_000;

/** A prompt as it was sent (its messages copied, since a run's transcript array grows) and its reported input. */
export interface PromptSnapshot {
  messages: readonly MessageParam[];
  system: Prompt['system'];
  tools: Prompt['tools'];
}

interface Anchor extends PromptSnapshot {
  inputTokens: number;
}

/** Takes a snapshot of `prompt` as it is now. */
export function snapshotPrompt(prompt: Prompt): PromptSnapshot {
  return {
    messages: Array.isArray(prompt.messages) ? prompt.messages.slice() : [],
    system: prompt.system,
    tools: prompt.tools,
  };
}

function samePart(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Per-run anchors, bounded in number. */
export class ConversationAnchors {
  readonly #anchors = new Map<string, Anchor>();

  /** Remembers that the gateway counted `inputTokens` for `prompt`, sent by run `runId`. */
  record(runId: string, prompt: PromptSnapshot, inputTokens: number): void {
    if (!Number.isInteger(inputTokens) || inputTokens < 0) return;
    this.#anchors.delete(runId);
    this.#anchors.set(runId, { ...prompt, inputTokens });
    if (this.#anchors.size > MAX_RUNS) {
      const oldest = this.#anchors.keys().next().value;
      if (oldest !== undefined) this.#anchors.delete(oldest);
    }
  }

  /**
   * A bound of `prompt`'s input tokens anchored on the last count of run `runId`: that count plus a bound of
   * the messages added since. `undefined` when there is none or `prompt` does not extend it.
   */
  bound(runId: string, prompt: PromptSnapshot): number | undefined {
    const anchor = this.#anchors.get(runId);
    if (!anchor || prompt.messages.length < anchor.messages.length) return undefined;
    for (let index = 0; index < anchor.messages.length; index += 1)
      if (prompt.messages[index] !== anchor.messages[index]) return undefined;
    if (!samePart(prompt.system, anchor.system) || !samePart(prompt.tools, anchor.tools)) return undefined;
    return anchor.inputTokens + messagesTokenBound(prompt.messages.slice(anchor.messages.length));
  }
}
