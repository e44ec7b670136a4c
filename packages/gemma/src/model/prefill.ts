/** Feeds a sequence through the model in batches of `state.maxBatch`; the logits of its last token are left in state. */
import { InvalidTensorError } from "../errors.js";
import { forward, type Model } from "./forward.js";

export class ContextOverflowError extends InvalidTensorError {}

export function prefill(m: Model, tokens: readonly number[], pos0: number): void {
  if (pos0 + tokens.length > m.state.maxContext) {
    throw new ContextOverflowError(
      `${pos0 + tokens.length} positions do not fit the ${m.state.maxContext}-position KV cache`,
      "kv_cache",
    );
  }
  for (let i = 0; i < tokens.length; i += m.state.maxBatch) {
    forward(m, tokens.slice(i, i + m.state.maxBatch), pos0 + i);
  }
}
