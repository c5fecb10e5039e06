/**
 * Counts tool_use blocks without their tool_result in the next turn (and tool_results answering nothing).
 * @module
 */
import type { MessageParam } from '@loopguard/messages';

/** Orphans in a transcript. */
export function countOrphans(messages: MessageParam[]): number {
  let orphans = 0;
  messages.forEach((message, index) => {
    if (message.role !== 'assistant' || typeof message.content === 'string') return;
    const ids = message.content.filter((b) => b.type === 'tool_use').map((b) => (b as { id: string }).id);
    if (ids.length === 0) return;
    const next = messages[index + 1];
    const answered = new Set(
      next && typeof next.content !== 'string'
        ? next.content.filter((b) => b.type === 'tool_result').map((b) => (b as { tool_use_id: string }).tool_use_id)
        : [],
    );
    const offered = new Set(ids);
    for (const id of ids) if (!answered.has(id)) orphans += 1;
    for (const id of answered) if (!offered.has(id)) orphans += 1;
  });
  return orphans;
}
