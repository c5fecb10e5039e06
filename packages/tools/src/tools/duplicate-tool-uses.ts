/**
 * Duplicate tool_use ids in one assistant turn. A gateway that repeats an id leaves no way to tell which
 * call a result answers, so the rule is: each id gets exactly one `tool_result`; when several calls of one
 * turn share an id, none of them runs, and the id's one result is an `is_error` saying why.
 * @module
 */
import type { ToolResultBlock, ToolUseBlock } from '@loopguard/messages';

/** The ids used by more than one tool_use block of `toolUses`, with how many times each is used. */
export function duplicateToolUseIds(toolUses: readonly ToolUseBlock[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const block of toolUses) counts.set(block.id, (counts.get(block.id) ?? 0) + 1);
  for (const [id, times] of counts) if (times === 1) counts.delete(id);
  return counts;
}

/** The one `is_error` result of an id that `times` calls share; none of them ran. */
export function duplicateIdResult(id: string, times: number): ToolResultBlock {
  return {
    type: 'tool_result',
    tool_use_id: id,
    is_error: true,
    content: `${times} tool calls of this turn share the id "${id}", so none of them was run: a result could not say which call it answers. Make each call again.`,
  };
}
