/**
 * @loopguard/workflow: durable workflows and agent runs — journaled steps replayed after a crash, agents that
 * resume at the turn they were in, approvals and timers that survive restarts, budgets that suspend a run.
 * @module
 */

export type { AgentStepOptions, AgentStepResult } from './context/agent-step.js';
export type { StepRetry } from './context/step-retry.js';
export { type ApprovalDecision, WorkflowContext } from './context/workflow-context.js';
export {
  defineWorkflow,
  parseWith,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowSchema,
} from './engine/define-workflow.js';
export { createWorkflowEngine, WorkflowEngine, type WorkflowEngineOptions } from './engine/workflow-engine.js';
export { WorkflowError, type WorkflowErrorCode } from './engine/workflow-error.js';
export type { WorkflowEvent } from './engine/workflow-events.js';
export { WorkflowHandle } from './engine/workflow-handle.js';
export type { WorkflowTracingOptions } from './engine/workflow-tracing.js';
export { fileStore } from './stores/file-store.js';
export { memoryStore } from './stores/memory-store.js';
export { type RedisStoreOptions, redisStore } from './stores/redis-store.js';
export type { JournalEntry, Lease, RunRecord, RunStatus, Suspension, WorkflowStore } from './stores/workflow-store.js';
