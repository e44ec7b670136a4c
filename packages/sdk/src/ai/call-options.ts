/**
 * The AI SDK's call options as a gemma-edge chat request. Sampling maps one to one (`maxOutputTokens` → `max_tokens`,
 * `topP` → `top_p`, `topK` → `top_k`, `stopSequences` → `stop`, penalties, `seed`); the model settings and
 * `providerOptions.gemmaEdge` add the extensions (`user`, `min_p`, `repetition_penalty`). What the edge cannot honour is
 * left out of the request with a warning: tools and a forced tool choice (it answers 400 to tools), and a JSON
 * response format (it accepts `response_format` but does not constrain the output to it).
 */
import type { LanguageModelV3CallOptions, SharedV3Warning } from "@ai-sdk/provider";
import type { ChatParams } from "../client.js";
import { toChatMessages } from "./convert-prompt.js";

/** Settings of a model, given as `gemmaEdge(modelId, settings)`; `providerOptions.gemmaEdge` overrides them per call. */
export interface GemmaEdgeChatSettings {
  /** End-user id: the edge logs it and can rate-limit by it; it never reaches the model. */
  user?: string;
  /** Drop tokens whose probability is below `minP` × the top probability (extension, as in llama.cpp). */
  minP?: number;
  /** Multiplicative penalty on tokens already present, 1 = off (extension, as in llama.cpp). */
  repetitionPenalty?: number;
}

export interface PreparedCall {
  body: ChatParams;
  warnings: SharedV3Warning[];
}

export function toChatRequest(
  modelId: string,
  options: LanguageModelV3CallOptions,
  settings: GemmaEdgeChatSettings,
): PreparedCall {
  const warnings: SharedV3Warning[] = [];
  const messages = toChatMessages(options.prompt, warnings);
  if (options.tools?.length) {
    warnings.push({ type: "unsupported", feature: "tools", details: "gemma-edge has no tool calling; not sent." });
  }
  const choice = options.toolChoice?.type;
  if (choice === "required" || choice === "tool") {
    warnings.push({ type: "unsupported", feature: "toolChoice", details: `"${choice}" cannot be honoured; not sent.` });
  }
  if (options.responseFormat?.type === "json") {
    warnings.push({
      type: "unsupported",
      feature: "responseFormat",
      details: "gemma-edge does not constrain output to JSON; describe the format in the prompt.",
    });
  }
  const extra = { ...settings, ...callSettings(options.providerOptions?.gemmaEdge) };
  const body: ChatParams = {
    model: modelId,
    messages,
    max_tokens: options.maxOutputTokens,
    temperature: options.temperature,
    top_p: options.topP,
    top_k: options.topK,
    presence_penalty: options.presencePenalty,
    frequency_penalty: options.frequencyPenalty,
    seed: options.seed,
    stop: options.stopSequences?.length ? options.stopSequences : undefined,
    min_p: extra.minP,
    repetition_penalty: extra.repetitionPenalty,
    user: extra.user,
  };
  return { body: withoutUndefined(body), warnings };
}

/** The known keys of `providerOptions.gemmaEdge`, each only when it has the right type. */
function callSettings(options: Record<string, unknown> | undefined): GemmaEdgeChatSettings {
  const out: GemmaEdgeChatSettings = {};
  if (typeof options?.user === "string") out.user = options.user;
  if (typeof options?.minP === "number") out.minP = options.minP;
  if (typeof options?.repetitionPenalty === "number") out.repetitionPenalty = options.repetitionPenalty;
  return out;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
