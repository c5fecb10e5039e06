/**
 * `TurnStep`: the `AgentStep` a run keeps per turn. `request` is built on each read from the run's
 * transcript (which only grows past what the turn sent) and the turn's other params, which consecutive
 * turns share: holding a copy per step made a run's memory quadratic in its turns. A class, so every step
 * has one shape and no closure of its own (an object literal with a getter fell into dictionary mode:
 * ~450 bytes a step).
 * @module
 */
import type { Message, MessageCreateParams, MessageParam, ToolResultBlock, Usage } from '@loopguard/messages';
import type { AgentStep } from '../agent/agent-types.js';
import type { ToolCall } from '../tools/define-tool.js';
import type { ToolCallOutcome } from '../tools/run-tool-call.js';

/** A turn's params without its messages. */
export type SentParams = Omit<MessageCreateParams, 'messages'>;

/** @internal One turn of a run, as `result.steps` holds it. */
export class TurnStep implements AgentStep {
  readonly turn: number;
  response: Message;
  toolCalls: ToolCall[] = [];
  toolResults: ToolResultBlock[] = [];
  toolOutcomes: ToolCallOutcome[] = [];
  usage: Usage;
  credits: number;
  durationMs = 0;
  readonly #params: SentParams;
  readonly #transcript: readonly MessageParam[];
  readonly #sent: number;

  constructor(
    turn: number,
    sent: { params: SentParams; transcript: readonly MessageParam[]; count: number },
    message: Message,
    credits: number,
  ) {
    this.turn = turn;
    this.response = message;
    this.usage = message.usage;
    this.credits = credits;
    this.#params = sent.params;
    this.#transcript = sent.transcript;
    this.#sent = sent.count;
  }

  /** @internal The turn's params besides its messages (shared with the turns that sent the same). */
  get sentParams(): SentParams {
    return this.#params;
  }

  /** The params this turn sent (the whole transcript so far, even when a server-side thread sent less). */
  get request(): MessageCreateParams {
    return { ...this.#params, messages: this.#transcript.slice(0, this.#sent) };
  }

  /** A plain object with `request` as a value (what `JSON.stringify` and `structuredClone` see). */
  toJSON(): AgentStep {
    const { turn, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs, request } = this;
    return { turn, request, response, toolCalls, toolResults, toolOutcomes, usage, credits, durationMs };
  }
}

/** True when two turns sent the same params besides their messages (compared field by field, by reference). */
export function sameParams(a: SentParams, b: SentParams): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if ((a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false;
  return true;
}
