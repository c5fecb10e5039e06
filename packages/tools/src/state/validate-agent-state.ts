/**
 * `validateAgentState(state, { stateSecret })`: everything `resumeAgent` checks before anything runs.
 * 1. The shape (zod): `version: 1`, a `runId`, a non-empty transcript of `{role, content}`, a whole-number
 *    `turn`, `usage` counts and `credits` that are finite and not negative.
 * 2. The signature, when a secret is given (or the state is signed): HMAC-SHA256, compared in constant time.
 * 3. The transcript, by the loop's own `checkTranscript` (a call cut off without result is left for the
 *    loop to repair and report; anything else is refused here).
 * 4. Calls waiting for approval: exactly the tool_use blocks of the pending assistant turn, which must
 *    follow a user turn.
 * Any failure is an `AgentStateError` naming the field.
 * @module
 */
import type { MessageParam } from '@loopguard/messages';
import { z } from 'zod';
import type { AgentState } from '../agent/agent-types.js';
import { callIdsOf, checkTranscript } from '../transcript/check-transcript.js';
import { TranscriptError } from '../transcript/transcript-error.js';
import { AgentStateError } from './agent-state-error.js';
import { canonicalJson, type StateSecret, verifyAgentState } from './state-signature.js';

const count = z.number().int().nonnegative();
const block = z.object({ type: z.string() }).passthrough();
const message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string().min(1), z.array(block).min(1)]),
});
const toolUse = z
  .object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string(), input: z.unknown() })
  .passthrough();

/** The schema of an `AgentState`. */
const agentStateSchema = z.object({
  version: z.literal(1),
  runId: z.string().min(1),
  messages: z.array(message).min(1),
  turn: count,
  usage: z
    .object({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count.nullable().optional(),
      cache_read_input_tokens: count.nullable().optional(),
    })
    .passthrough(),
  credits: z.number().finite().nonnegative(),
  pendingApproval: z.object({ assistant: message, toolUses: z.array(toolUse).min(1) }).optional(),
  signature: z.string().optional(),
});

/** What `validateAgentState` needs. */
export interface ValidateAgentStateOptions {
  /** The secret states are signed with; when given, an unsigned or wrongly signed state is refused. */
  stateSecret?: StateSecret | undefined;
}

function checkShape(state: unknown): AgentState {
  const parsed = agentStateSchema.safeParse(state);
  if (parsed.success) return state as AgentState;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'state'}: ${issue.message}`);
  throw new AgentStateError('invalid_state', issues);
}

function checkSignature(state: AgentState, secret: StateSecret | undefined): void {
  if (secret === undefined) {
    if (state.signature !== undefined) {
      throw new AgentStateError('state_secret_missing', [
        'signature: the state is signed; pass the `stateSecret` it was signed with',
      ]);
    }
    return;
  }
  if (state.signature === undefined) {
    throw new AgentStateError('state_signature_missing', ['signature: missing, and a `stateSecret` was given']);
  }
  if (!verifyAgentState(state, secret)) {
    throw new AgentStateError('state_signature_invalid', [
      'signature: does not match the state (it was changed, or signed with another secret)',
    ]);
  }
}

function checkPending(state: AgentState): void {
  const pending = state.pendingApproval;
  if (pending === undefined) return;
  const issue = (text: string): never => {
    throw new AgentStateError('invalid_pending_approval', [text]);
  };
  const last = state.messages[state.messages.length - 1] as MessageParam;
  if (pending.assistant.role !== 'assistant') issue('pendingApproval.assistant.role: must be "assistant"');
  if (last.role !== 'user')
    issue(`messages.${state.messages.length - 1}: the turn before calls waiting for approval must be a user turn`);
  const blocks = typeof pending.assistant.content === 'string' ? [] : pending.assistant.content;
  const calls = blocks.filter((b) => b.type === 'tool_use');
  if (calls.length !== pending.toolUses.length) {
    issue(
      `pendingApproval.toolUses: must be the ${calls.length} tool_use blocks of pendingApproval.assistant; got ${pending.toolUses.length}`,
    );
  }
  pending.toolUses.forEach((use, index) => {
    if (canonicalJson(use) !== canonicalJson(calls[index])) {
      issue(
        `pendingApproval.toolUses.${index}: "${use.name}" (${use.id}) is not the tool_use the model made at that place in pendingApproval.assistant`,
      );
    }
  });
  if (callIdsOf(pending.assistant).length === 0) issue('pendingApproval.assistant: has no tool_use');
}

/** Checks `state` as described above; returns it typed, or throws `AgentStateError`. */
export function validateAgentState(state: unknown, options: ValidateAgentStateOptions = {}): AgentState {
  const shaped = checkShape(state);
  checkSignature(shaped, options.stateSecret);
  try {
    checkTranscript(shaped.messages);
    if (shaped.pendingApproval)
      checkTranscript([...shaped.messages, shaped.pendingApproval.assistant], shaped.messages.length);
  } catch (error) {
    if (error instanceof TranscriptError)
      throw new AgentStateError('invalid_transcript', [error.message], { cause: error });
    throw error;
  }
  checkPending(shaped);
  return shaped;
}
