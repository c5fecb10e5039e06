/**
 * `WorkflowError`: a workflow cannot go on as asked — bad input or output, a journal that does not match the
 * code replaying it, a run that is not there or is owned by another process. `code` names the problem.
 * @module
 */
import { LoopguardError } from '@loopguard/messages';

/** What went wrong, as a stable code. */
export type WorkflowErrorCode =
  | 'invalid_definition'
  | 'invalid_input'
  | 'invalid_output'
  | 'step_name_reused'
  | 'replay_diverged'
  | 'run_not_found'
  | 'unknown_workflow'
  | 'not_resumable'
  | 'lease_held'
  | 'lease_lost'
  | 'store_corrupt';

/** A workflow error; `code` names the problem, `runId` the run when there is one. */
export class WorkflowError extends LoopguardError {
  override name = 'WorkflowError';
  declare readonly code: WorkflowErrorCode;
  /** The run concerned, if any. */
  readonly runId: string | undefined;

  constructor(message: string, options: { code: WorkflowErrorCode; runId?: string | undefined; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause });
    this.runId = options.runId;
  }
}
