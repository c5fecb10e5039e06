/**
 * `@loopguard/tools/internal`: the loop's own helpers that loopguard's packages and tests reach for, and no
 * application needs — schema compilation, the canonical JSON of a signed state, the `ToolCall` view of a
 * block, a tool output's result content. Not covered by semver: names here may change in any release.
 * @module
 */
export { canonicalJson } from '../state/state-signature.js';
export { toolCallOf } from '../tools/define-tool.js';
export { type CompiledInput, compileInput, formatIssues } from '../tools/input-schema.js';
export { toolResultContent } from '../tools/tool-output.js';
