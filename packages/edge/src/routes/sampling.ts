/** The sampling fields of a request, in the backend's names, leaving out what the caller did not set. */
import type { ChatCompletionRequest } from "@gemma-edge/protocol";
import type { GenerateRequest } from "../backends/types.js";

type Sampling = Pick<
  ChatCompletionRequest,
  "temperature" | "top_p" | "top_k" | "min_p" | "repetition_penalty" | "presence_penalty" | "frequency_penalty" | "seed"
>;

export function sampling(body: Sampling): Partial<GenerateRequest> {
  const out: Partial<GenerateRequest> = {};
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.topP = body.top_p;
  if (body.top_k != null) out.topK = body.top_k;
  if (body.min_p != null) out.minP = body.min_p;
  if (body.repetition_penalty != null) out.repetitionPenalty = body.repetition_penalty;
  if (body.presence_penalty != null) out.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) out.frequencyPenalty = body.frequency_penalty;
  if (body.seed != null) out.seed = body.seed;
  return out;
}
