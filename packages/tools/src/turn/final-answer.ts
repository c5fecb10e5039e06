/**
 * The final-answer protocol: with `output`, the run offers a `final_answer` tool whose input is the answer;
 * a valid call ends the run with it as `result.output`, an invalid one gets an `is_error` result naming the
 * problems, so the model can call again.
 * @module
 */
import type { ToolDefinition, ToolResultBlock, ToolUseBlock } from '@loopguard/messages';
import type { CompiledInput } from '../tools/input-schema.js';

/** The name of the tool that carries a structured final answer. */
export const FINAL_ANSWER_TOOL = 'final_answer';

/** @internal The user turn that asks for the answer when the model ended its turn in words. */
export const FINAL_ANSWER_REQUEST = `Now call the ${FINAL_ANSWER_TOOL} tool with your final answer.`;

/** @internal The definition of the `final_answer` tool for the `output` schema. */
export function finalAnswerDefinition(output: CompiledInput<unknown>): ToolDefinition {
  return {
    name: FINAL_ANSWER_TOOL,
    description: 'Give your final answer. Call this exactly once, when you are done.',
    input_schema: output.inputSchema,
  };
}

/** @internal What one `final_answer` call came to: its result block, and the answer when it was valid. */
export interface FinalAnswerCall<Output> {
  result: ToolResultBlock;
  valid: boolean;
  answer: Output | undefined;
}

/** @internal Checks a `final_answer` call against the `output` schema. */
export function answerFinalCall<Output>(block: ToolUseBlock, output: CompiledInput<Output>): FinalAnswerCall<Output> {
  const validated = output.validate(block.input);
  if (validated.success) {
    return {
      result: { type: 'tool_result', tool_use_id: block.id, content: 'Final answer received.' },
      valid: true,
      answer: validated.data,
    };
  }
  const issues = validated.issues.map((issue) => `- ${issue}`).join('\n');
  return {
    result: {
      type: 'tool_result',
      tool_use_id: block.id,
      is_error: true,
      content: `Invalid final answer:\n${issues}\nCall ${FINAL_ANSWER_TOOL} again with a corrected input.`,
    },
    valid: false,
    answer: undefined,
  };
}
