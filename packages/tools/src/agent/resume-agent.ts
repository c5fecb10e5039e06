/**
 * `resumeAgent(state, options)`: continues a run from its plain-JSON state, in this or another process.
 * The whole state is validated first (`validateAgentState`: shape, signature, transcript, calls waiting
 * for approval); a state that fails is refused with an `AgentStateError` before anything runs or is sent.
 * Calls waiting for approval run first, with `options.approve` or `options.approvals`.
 * @module
 */

import { validateAgentState } from '../state/validate-agent-state.js';
import type { AgentOptions } from './agent-options.js';
import type { AgentRun } from './agent-run.js';
import type { AgentState } from './agent-types.js';
import { startAgent } from './run-agent.js';

/**
 * Continues a run. `options` are those of `runAgent` without `prompt`/`messages` (the state holds them).
 * With `options.stateSecret`, the state must carry a signature made with it.
 */
export function resumeAgent<Output = unknown>(
  state: AgentState,
  options: Omit<AgentOptions<Output>, 'prompt' | 'messages'>,
): AgentRun<Output> {
  const valid = validateAgentState(state, { stateSecret: options.stateSecret });
  const { signature: _signature, ...unsigned } = structuredClone(valid);
  return startAgent<Output>({ ...options, runId: valid.runId } as AgentOptions<Output>, unsigned);
}
