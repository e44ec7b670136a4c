/**
 * Feeds a sequence through the model in batches of `state.maxBatch`; the logits of its last token are left in state
 * (only the last batch computes logits).
 */
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
  const batch = m.state.maxBatch;
  for (let i = 0; i < tokens.length; i += batch) {
    forward(m, tokens.slice(i, i + batch), pos0 + i, i + batch >= tokens.length);
  }
}
