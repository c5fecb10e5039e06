/**
 * `SuspendRun`: thrown through a workflow's code when a primitive cannot finish now (an approval not given, a
 * sleep not due, a budget spent); the engine catches it and suspends the run durably.
 * @module
 */
import type { Suspension } from '../stores/workflow-store.js';

/** @internal Unwinds `run` to suspend it; never seen by users (unless their code catches everything). */
export class SuspendRun extends Error {
  override name = 'SuspendRun';
  readonly suspension: Suspension;

  constructor(suspension: Suspension) {
    super(`The run is suspended (${suspension.kind}: ${suspension.name}).`);
    this.suspension = suspension;
  }
}
