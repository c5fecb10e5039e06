/**
 * @loopguard/tools: zod tools, the registry and the agent loop — what applications import. The source is
 * laid out by concept: `agent/` (runAgent, resumeAgent, the loop and its state), `turn/` (the steps of one
 * turn), `tools/` (defining, validating and running tools), `transcript/`, `state/`; `@loopguard/tools/mcp`
 * has MCP tools and `@loopguard/tools/internal` the helpers only loopguard's own packages use.
 * @module
 */
export { AgentRun, partialResultOf } from './agent/agent-run.js';
export type { AgentEvent, AgentResult, AgentState, AgentStep, AgentStopReason } from './agent/agent-types.js';
export { resumeAgent } from './agent/resume-agent.js';
export { AGENT_DEFAULTS, type AgentOptions, FINAL_ANSWER_TOOL, runAgent } from './agent/run-agent.js';
export { type StopCondition, type StopConditionContext, stepCountIs, toolCalled } from './agent/stop-condition.js';
export { BUDGET_STOP_CODES, stopReasonOfError } from './agent/stop-reason-of-error.js';
export { AgentStateError, type AgentStateProblem } from './state/agent-state-error.js';
export {
  MIN_STATE_SECRET_BYTES,
  type StateSecret,
  signAgentState,
  verifyAgentState,
} from './state/state-signature.js';
export { type ValidateAgentStateOptions, validateAgentState } from './state/validate-agent-state.js';
export {
  type AnyTool,
  defineTool,
  TOOL_NAME_PATTERN,
  type Tool,
  type ToolCall,
  type ToolContext,
  type ToolOptions,
  type ToolOutput,
} from './tools/define-tool.js';
export type {
  InferInput,
  JsonSchemaInput,
  ToolInput,
  ValidationResult,
  ZodLikeSchema,
} from './tools/input-schema.js';
export {
  type ApproveToolCall,
  runToolCall,
  type ToolCallContext,
  type ToolCallOutcome,
  type ToolCallReport,
} from './tools/run-tool-call.js';
export { ToolDefinitionError } from './tools/tool-definition-error.js';
export { type RegistryRunOptions, ToolRegistry } from './tools/tool-registry.js';
export {
  checkTranscript,
  MISSING_RESULT_TEXT,
  type TranscriptCheck,
  type TranscriptRepair,
} from './transcript/check-transcript.js';
export { TranscriptError } from './transcript/transcript-error.js';
