/**
 * `ToolDefinitionError`: a tool is defined wrongly; thrown at definition time, naming the field.
 * @module
 */
import { LoopguardError } from '@loopguard/messages';

/** A tool definition is invalid. `field` names what to fix (`name`, `description`, `input`, …). */
export class ToolDefinitionError extends LoopguardError {
  override name = 'ToolDefinitionError';
  /** The field of the definition that is wrong. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message, { code: 'invalid_tool_definition' });
    this.field = field;
  }
}
