/**
 * `schemaDrivenModel()`: the default stand-in model. When tools are offered and the last turn holds no
 * tool_result, it calls tools with inputs valid for their `input_schema`; otherwise it answers with text
 * that mentions the tool results it saw. Deterministic for a given request.
 * @module
 */
import type { ContentBlockParam, MessageParam, ToolDefinition } from '@loopguard/messages';
import type { ModelReply, ModelRequest, ModelResponder } from './model-reply.js';
import { sampleFromSchema } from './sample-from-schema.js';

function lastUserText(messages: MessageParam[]): string {
  const last = messages[messages.length - 1];
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content
    .filter((block): block is Extract<ContentBlockParam, { type: 'text' }> => block.type === 'text')
    .map((block) => block.text)
    .join(' ');
}

function toolResults(message: MessageParam | undefined): Array<Extract<ContentBlockParam, { type: 'tool_result' }>> {
  if (!message || typeof message.content === 'string') return [];
  return message.content.filter(
    (block): block is Extract<ContentBlockParam, { type: 'tool_result' }> => block.type === 'tool_result',
  );
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map(
        (block) => (block as { type?: string; text?: string }).text ?? `[${String((block as { type?: string }).type)}]`,
      )
      .join(' ');
  }
  return '';
}

function chooseTools(tools: ToolDefinition[], prompt: string, request: ModelRequest): ToolDefinition[] {
  const choice = request.params.tool_choice;
  if (choice?.type === 'tool') return tools.filter((tool) => tool.name === choice.name);
  const lower = prompt.toLowerCase();
  const mentioned = tools.filter((tool) => lower.includes(tool.name.toLowerCase()));
  const chosen = mentioned.length > 0 ? mentioned : tools.slice(0, 1);
  return choice && 'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use
    ? chosen.slice(0, 1)
    : chosen;
}

/** Creates the schema-driven responder. */
export function schemaDrivenModel(): ModelResponder {
  return (request) => {
    const { messages, tools = [], tool_choice: toolChoice } = request.params;
    const last = messages[messages.length - 1];
    const results = toolResults(last);
    const reply: ModelReply = {};
    if (request.thinking) reply.thinking = 'Deciding what the request needs, step by step.';
    const mayCallTools = tools.length > 0 && toolChoice?.type !== 'none';
    if (mayCallTools && (results.length === 0 || toolChoice?.type === 'tool' || toolChoice?.type === 'any')) {
      const prompt = lastUserText(messages);
      reply.toolCalls = chooseTools(tools, prompt, request).map((tool) => ({
        name: tool.name,
        input: sampleFromSchema(tool.input_schema),
      }));
      if (reply.toolCalls.length > 0) return reply;
    }
    if (results.length > 0) {
      const summary = results
        .map(
          (result) =>
            `${result.is_error ? 'error' : 'result'} ${result.tool_use_id}: ${resultText(result.content).slice(0, 200)}`,
        )
        .join('; ');
      reply.text = `Based on the tool results: ${summary}`;
    } else {
      reply.text = `You said: ${lastUserText(messages).slice(0, 200)}`;
    }
    return reply;
  };
}
