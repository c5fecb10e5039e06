/**
 * @loopguard/tools: zod tools, the registry and the agent loop.
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
  canonicalJson,
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
  toolCallOf,
} from './tools/define-tool.js';
export {
  type CompiledInput,
  compileInput,
  formatIssues,
  type InferInput,
  type JsonSchemaInput,
  type ToolInput,
  type ValidationResult,
  type ZodLikeSchema,
} from './tools/input-schema.js';
export {
  type ApproveToolCall,
  runToolCall,
  type ToolCallContext,
  type ToolCallOutcome,
  type ToolCallReport,
} from './tools/run-tool-call.js';
export { ToolDefinitionError } from './tools/tool-definition-error.js';
export { toolResultContent } from './tools/tool-output.js';
export { type RegistryRunOptions, ToolRegistry } from './tools/tool-registry.js';
export {
  checkTranscript,
  MISSING_RESULT_TEXT,
  type TranscriptCheck,
  type TranscriptRepair,
} from './transcript/check-transcript.js';
export { TranscriptError } from './transcript/transcript-error.js';
