/**
 * `AgentStateError`: `resumeAgent` refused a state — not a state, a field of the wrong type, a transcript
 * that breaks the protocol, calls waiting for approval that the model never made, or a signature that
 * does not verify. Thrown before anything runs or is sent.
 * @module
 */
import { ConfigurationError } from '@loopguard/messages';

/** Why a state was refused. */
export type AgentStateProblem =
  | 'invalid_state'
  | 'invalid_transcript'
  | 'invalid_pending_approval'
  | 'state_signature_missing'
  | 'state_signature_invalid'
  | 'state_secret_missing';

/** A state `resumeAgent` refused. `code` says why; `issues` name each wrong field (`usage.input_tokens: …`). */
export class AgentStateError extends ConfigurationError {
  override name = 'AgentStateError';
  declare readonly code: AgentStateProblem;
  /** One line per problem, each naming its field. */
  readonly issues: readonly string[];

  constructor(code: AgentStateProblem, issues: readonly string[], options: { cause?: unknown } = {}) {
    super(`The agent state was refused (${code}): ${issues.join('; ')}`, { code, cause: options.cause });
    this.issues = issues;
  }
}
