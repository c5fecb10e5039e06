/**
 * `resumeAgent(state, options)`: continues a run from its plain-JSON state, in this or another process.
 * Calls waiting for approval run first, with `options.approve` or `options.approvals`.
 * @module
 */
import { ConfigurationError } from '@loopguard/messages';
import type { AgentRun } from './agent-run.js';
import type { AgentState } from './agent-types.js';
import { type AgentOptions, startAgent } from './run-agent.js';

/** Continues a run. `options` are those of `runAgent` without `prompt`/`messages` (the state holds them). */
export function resumeAgent<Output = unknown>(
  state: AgentState,
  options: Omit<AgentOptions<Output>, 'prompt' | 'messages'>,
): AgentRun<Output> {
  if (typeof state !== 'object' || state === null || state.version !== 1) {
    throw new ConfigurationError('`state` is not an agent state (expected `version: 1`).', { code: 'invalid_state' });
  }
  if (!Array.isArray(state.messages) || state.messages.length === 0) {
    throw new ConfigurationError('`state.messages` must be a non-empty array.', { code: 'invalid_state' });
  }
  if (!Number.isInteger(state.turn) || state.turn < 0) {
    throw new ConfigurationError('`state.turn` must be a non-negative integer.', { code: 'invalid_state' });
  }
  return startAgent<Output>(
    { ...options, ...(state.runId ? { runId: state.runId } : {}) } as AgentOptions<Output>,
    structuredClone(state),
  );
}
