/**
 * @loopguard/tools: zod tools, the registry and the agent loop.
 * @module
 */
export { AgentRun, partialResultOf } from './agent-run.js';
export { AgentStateError, type AgentStateProblem } from './agent-state-error.js';
export type { AgentEvent, AgentResult, AgentState, AgentStep, AgentStopReason } from './agent-types.js';
export {
  checkTranscript,
  MISSING_RESULT_TEXT,
  type TranscriptCheck,
  type TranscriptRepair,
} from './check-transcript.js';
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
} from './define-tool.js';
export {
  type CompiledInput,
  compileInput,
  formatIssues,
  type InferInput,
  type JsonSchemaInput,
  type ToolInput,
  type ValidationResult,
  type ZodLikeSchema,
} from './input-schema.js';
export { resumeAgent } from './resume-agent.js';
export { type AgentOptions, FINAL_ANSWER_TOOL, runAgent } from './run-agent.js';
export {
  type ApproveToolCall,
  runToolCall,
  type ToolCallContext,
  type ToolCallOutcome,
  type ToolCallReport,
} from './run-tool-call.js';
export {
  canonicalJson,
  MIN_STATE_SECRET_BYTES,
  type StateSecret,
  signAgentState,
  verifyAgentState,
} from './state-signature.js';
export { type StopCondition, type StopConditionContext, stepCountIs, toolCalled } from './stop-condition.js';
export { ToolDefinitionError } from './tool-definition-error.js';
export { toolResultContent } from './tool-output.js';
export { type RegistryRunOptions, ToolRegistry } from './tool-registry.js';
export { TranscriptError } from './transcript-error.js';
export { type ValidateAgentStateOptions, validateAgentState } from './validate-agent-state.js';
