/**
 * `RunState`: everything a run changes as it goes — the transcript, the turn, usage and credits, the steps, the
 * calls waiting for approval, the final answer — and the views made of it (the plain-JSON `AgentState`, the
 * `AgentResult`). The loop's steps take it and change it; nothing else holds run state.
 * @module
 */
import type { Message, MessageParam, TextBlock, Usage } from '@loopguard/messages';
import { type StateSecret, signAgentState } from '../state/state-signature.js';
import { checkTranscript } from '../transcript/check-transcript.js';
import { StepTable } from '../turn/step-table.js';
import { addUsage } from './add-usage.js';
import type { AgentEvent, AgentResult, AgentState, AgentStep, AgentStopReason } from './agent-types.js';

/** The calls of an assistant turn that wait (for approval, or to be run after a checkpoint). */
export type PendingCalls = NonNullable<AgentState['pendingApproval']>;

function textOf(message: Message | undefined): string {
  if (!message) return '';
  return message.content
    .filter((block): block is TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
}

/** @internal The mutable state of one run. */
export class RunState<Output> {
  readonly runId: string;
  readonly messages: MessageParam[];
  readonly usage: Usage;
  readonly steps: AgentStep[] = [];
  /** What the run's steps keep in common: the transcript, the params they sent, their credits and durations. */
  readonly stepTable: StepTable;
  credits: number;
  turn: number;
  pending: PendingCalls | undefined;
  lastMessage: Message | undefined;
  finalOutput: Output | undefined;
  /** The next request must call `final_answer` (the model answered in words, or gave an invalid answer). */
  forceFinalAnswer = false;
  #checkedFrom = 0;
  readonly #secret: StateSecret | undefined;

  constructor(initial: AgentState, secret: StateSecret | undefined) {
    this.runId = initial.runId;
    this.messages = structuredClone(initial.messages);
    this.stepTable = new StepTable(this.messages);
    this.usage = { ...initial.usage };
    this.credits = initial.credits;
    this.turn = initial.turn;
    this.pending = initial.pendingApproval;
    this.#secret = secret;
  }

  /** Adds a reply's usage and credits to the run's totals. */
  count(usage: Usage, credits: number): void {
    this.credits += credits;
    addUsage(this.usage, usage);
  }

  /** The plain-JSON state (signed when the run has a secret); `pending` stands in for the waiting calls when given. */
  state(pending: PendingCalls | undefined = this.pending): AgentState {
    const unsigned: AgentState = {
      version: 1,
      runId: this.runId,
      messages: structuredClone(this.messages),
      turn: this.turn,
      usage: { ...this.usage },
      credits: this.credits,
      ...(pending ? { pendingApproval: structuredClone(pending) } : {}),
    };
    return this.#secret === undefined ? unsigned : signAgentState(unsigned, this.#secret);
  }

  /** The run's result as it stands. */
  result(stopReason: AgentStopReason, stopError?: unknown): AgentResult<Output> {
    return {
      runId: this.runId,
      stopReason,
      text: textOf(this.lastMessage),
      output: this.finalOutput,
      messages: structuredClone(this.messages),
      steps: this.steps,
      usage: { ...this.usage },
      credits: this.credits,
      state: this.state(),
      ...(stopError === undefined ? {} : { stopError }),
    };
  }

  /**
   * The transcript check before anything is sent (only what changed since the last check is read): repairs
   * are made and reported, anything else throws a `TranscriptError`.
   */
  checkBeforeSend(emit: (event: AgentEvent<Output>) => void): void {
    const checked = checkTranscript(this.messages, this.#checkedFrom);
    if (checked.repairs.length > 0) {
      this.messages.splice(0, this.messages.length, ...checked.messages);
      emit({ type: 'transcript_repaired', turn: this.turn, repairs: checked.repairs });
    }
    this.#checkedFrom = Math.max(0, this.messages.length - 2);
  }
}
