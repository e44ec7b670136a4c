/** The guard pipeline: input, (streaming) output and moderation under a policy. */
export {
  type Decision,
  type GuardInputOptions,
  type GuardInputResult,
  guardInput,
  MAX_INPUT_CHARS_CATEGORY,
} from "./guard-input.js";
export {
  CHARS_PER_TOKEN,
  collectOutput,
  type GuardOutputOptions,
  guardOutput,
  guardOutputStream,
  type OutputPart,
} from "./guard-output-stream.js";
export { ENTITY_HOLD_BACK, ENTITY_TAIL, holdBackFor, tailHoldBack } from "./hold-back.js";
export { lastUserText } from "./messages.js";
export { moderate } from "./moderate.js";
export { type GuardOptions, resolveClassifiers } from "./options.js";
export { categoryFindings, type Scored, scoreText } from "./score.js";
