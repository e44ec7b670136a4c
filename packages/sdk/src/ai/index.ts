/**
 * @gemma-edge/sdk/ai — a Vercel AI SDK provider for a gemma-edge server: `streamText({ model: gemmaEdge(id) })`.
 * A separate entry point, so the plain client (`@gemma-edge/sdk`) never carries the AI SDK.
 */
export type { GemmaEdgeChatSettings } from "./call-options.js";
export { GemmaEdgeChatLanguageModel } from "./language-model.js";
export {
  createGemmaEdge,
  type GemmaEdgeModelId,
  type GemmaEdgeProvider,
  type GemmaEdgeProviderSettings,
  gemmaEdge,
} from "./provider.js";
export { moderationOf } from "./response.js";
