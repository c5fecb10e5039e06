/**
 * Checks a `POST /messages` body as the gateway (and Anthropic) would; returns the message of the first
 * problem, naming the field, or `undefined` when the body is valid.
 * @module
 */

function blocksOf(content: unknown): Array<Record<string, unknown>> {
  return Array.isArray(content) ? (content as Array<Record<string, unknown>>) : [];
}

function checkTools(tools: unknown): string | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return "'tools' must be an array.";
  for (const [index, tool] of (tools as Array<Record<string, unknown>>).entries()) {
    if (typeof tool?.name !== 'string') return `'tools.${index}.name' is required.`;
    if (typeof tool.input_schema !== 'object' || tool.input_schema === null)
      return `'tools.${index}.input_schema' is required.`;
  }
  return undefined;
}

/** Every tool_use must be answered by a tool_result in the next user turn, and every tool_result must answer one. */
function checkToolPairs(messages: Array<Record<string, unknown>>, index: number): string | undefined {
  const message = messages[index] as Record<string, unknown>;
  const previous = messages[index - 1];
  const offered = new Set(
    blocksOf(previous?.role === 'assistant' ? previous.content : [])
      .filter((b) => b.type === 'tool_use')
      .map((b) => b.id),
  );
  for (const block of blocksOf(message.content)) {
    if (block.type === 'tool_result' && !offered.has(block.tool_use_id)) {
      return `'messages.${index}.content': tool_result for "${String(block.tool_use_id)}" has no matching tool_use in the previous assistant turn.`;
    }
  }
  if (message.role === 'assistant' && index < messages.length - 1) {
    const answered = new Set(
      blocksOf(messages[index + 1]?.content)
        .filter((b) => b.type === 'tool_result')
        .map((b) => b.tool_use_id),
    );
    for (const block of blocksOf(message.content)) {
      if (block.type === 'tool_use' && !answered.has(block.id)) {
        return `'messages.${index + 1}.content': tool_use "${String(block.id)}" has no tool_result.`;
      }
    }
  }
  return undefined;
}

function checkMessages(messages: Array<Record<string, unknown>>): string | undefined {
  for (const [index, message] of messages.entries()) {
    if (message?.role !== 'user' && message?.role !== 'assistant')
      return `'messages.${index}.role' must be "user" or "assistant".`;
    const content = message.content;
    if (typeof content === 'string') {
      if (content.length === 0) return `'messages.${index}.content' must not be empty.`;
      continue;
    }
    if (!Array.isArray(content) || content.length === 0)
      return `'messages.${index}.content' must be a non-empty string or array.`;
    const problem = checkToolPairs(messages, index);
    if (problem) return problem;
  }
  return undefined;
}

/** The first problem of the body, naming the field; `undefined` when valid. */
export function validateRequest(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'The request body must be a JSON object.';
  const params = body as Record<string, unknown>;
  if (params.model === undefined) return "'model' is required.";
  if (typeof params.model !== 'string') return "'model' must be a string.";
  if (params.messages === undefined) return "'messages' is required.";
  if (!Array.isArray(params.messages) || params.messages.length === 0) return "'messages' must be a non-empty array.";
  if (params.max_tokens !== undefined && (!Number.isInteger(params.max_tokens) || (params.max_tokens as number) < 1)) {
    return "'max_tokens' must be a positive integer.";
  }
  const toolsProblem = checkTools(params.tools);
  if (toolsProblem) return toolsProblem;
  // As the Anthropic API: extended thinking cannot be combined with a tool_choice that forces a tool.
  const thinking =
    params.thinkingFlag === true || (params.thinking as { type?: unknown } | undefined)?.type === 'enabled';
  const choice = (params.tool_choice as { type?: unknown } | undefined)?.type;
  if (thinking && (choice === 'any' || choice === 'tool')) {
    return '\'tool_choice\': thinking may not be enabled when tool_choice forces tool use; use "auto" or "none".';
  }
  return checkMessages(params.messages as Array<Record<string, unknown>>);
}
