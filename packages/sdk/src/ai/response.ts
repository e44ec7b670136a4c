/**
 * Pieces of a gemma-edge answer in the AI SDK's shapes: the finish reason (`content_filter` → `content-filter`), the
 * token usage, and the policy report as provider metadata under `gemmaEdge` — the wire `gemma_edge` object unchanged
 * (`policy_id`, `mode`, `decision`, `findings`), so it reads the same as everywhere else in the SDK.
 */
import type { LanguageModelV3FinishReason, LanguageModelV3Usage, SharedV3ProviderMetadata } from "@ai-sdk/provider";
import type { GemmaEdgeModeration, Usage } from "@gemma-edge/protocol";

const UNIFIED: Record<string, LanguageModelV3FinishReason["unified"]> = {
  stop: "stop",
  length: "length",
  content_filter: "content-filter",
  tool_calls: "tool-calls",
  function_call: "tool-calls",
};

/** @example toFinishReason("content_filter") // { unified: "content-filter", raw: "content_filter" } */
export function toFinishReason(raw: string | null | undefined): LanguageModelV3FinishReason {
  return { unified: (raw && UNIFIED[raw]) || "other", raw: raw ?? undefined };
}

/** Token counts; every count is `undefined` when the server sent no usage. */
export function toUsage(usage: Usage | null | undefined): LanguageModelV3Usage {
  const input = usage?.prompt_tokens;
  const output = usage?.completion_tokens;
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  return {
    inputTokens: {
      total: input,
      noCache: input !== undefined && cached !== undefined ? input - cached : input,
      cacheRead: cached,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: output,
      text: output !== undefined && reasoning !== undefined ? output - reasoning : output,
      reasoning,
    },
    ...(usage ? { raw: usage } : {}),
  };
}

/** `{ gemmaEdge: moderation }` when the server reported what its policy found or did; else nothing. */
export function toProviderMetadata(moderation: GemmaEdgeModeration | undefined): SharedV3ProviderMetadata | undefined {
  return moderation ? { gemmaEdge: moderation } : undefined;
}

/**
 * The policy report carried by a result's `providerMetadata` or by the `APICallError` of a refused input.
 *
 * @example
 * const result = await generateText({ model: gemmaEdge("gemma-2b-it"), prompt });
 * moderationOf(result.providerMetadata)?.findings;
 * // or, for a refused input: catch (error) { moderationOf(error)?.findings }
 */
export function moderationOf(source: unknown): GemmaEdgeModeration | undefined {
  if (typeof source !== "object" || source === null) return undefined;
  const value = source as { gemmaEdge?: unknown; data?: { error?: { gemma_edge?: unknown } } };
  const moderation = value.gemmaEdge ?? value.data?.error?.gemma_edge;
  return typeof moderation === "object" && moderation !== null ? (moderation as GemmaEdgeModeration) : undefined;
}
