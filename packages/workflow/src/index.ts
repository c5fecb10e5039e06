/**
 * @loopguard/workflow: durable workflows and agent runs — journaled steps replayed after a crash, agents that
 * resume at the turn they were in, approvals and timers that survive restarts, budgets that suspend a run.
 * @module
 */

export type { AgentStepOptions, AgentStepResult } from './agent-step.js';
export {
  defineWorkflow,
  parseWith,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowSchema,
} from './define-workflow.js';
export { fileStore } from './file-store.js';
export { memoryStore } from './memory-store.js';
export { type RedisStoreOptions, redisStore } from './redis-store.js';
export type { StepRetry } from './step-retry.js';
export { type ApprovalDecision, WorkflowContext } from './workflow-context.js';
export { createWorkflowEngine, WorkflowEngine, type WorkflowEngineOptions } from './workflow-engine.js';
export { WorkflowError, type WorkflowErrorCode } from './workflow-error.js';
export type { WorkflowEvent } from './workflow-events.js';
export { WorkflowHandle } from './workflow-handle.js';
export type { JournalEntry, Lease, RunRecord, RunStatus, Suspension, WorkflowStore } from './workflow-store.js';
export type { WorkflowTracingOptions } from './workflow-tracing.js';
