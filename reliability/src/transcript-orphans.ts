/**
 * Counts tool_use blocks without their tool_result in the next turn, and tool_results answering nothing,
 * as multisets: a call answered twice, or two results for one call, count as orphans too (a set would
 * count them as zero).
 * @module
 */
import type { MessageParam } from '@loopguard/messages';

function idsOf(message: MessageParam | undefined, type: 'tool_use' | 'tool_result'): string[] {
  if (!message || typeof message.content === 'string') return [];
  return message.content
    .filter((block) => block.type === type)
    .map((block) =>
      type === 'tool_use' ? (block as { id: string }).id : (block as { tool_use_id: string }).tool_use_id,
    );
}

/** How many of `ids` each id is. */
function multiset(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** Orphans in a transcript: for each id, |calls − results| in an assistant turn and the user turn after it. */
export function countOrphans(messages: MessageParam[]): number {
  let orphans = 0;
  messages.forEach((message, index) => {
    const results = message.role === 'user' ? idsOf(message, 'tool_result') : [];
    const previous = messages[index - 1];
    // Results in a user turn that does not follow an assistant turn answer nothing.
    if (results.length > 0 && previous?.role !== 'assistant') orphans += results.length;
    if (message.role !== 'assistant') return;
    const calls = multiset(idsOf(message, 'tool_use'));
    const answers = multiset(idsOf(messages[index + 1], 'tool_result'));
    for (const id of new Set([...calls.keys(), ...answers.keys()])) {
      orphans += Math.abs((calls.get(id) ?? 0) - (answers.get(id) ?? 0));
    }
  });
  return orphans;
}
