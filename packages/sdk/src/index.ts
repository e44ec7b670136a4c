/**
 * @gemma-edge/sdk — the typed client for apps (browsers, Node, workers). OpenAI-shaped, so code written for the
 * official client reads the same; adds typed moderation results and errors.
 */

export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatMessage,
  Completion,
  CompletionChunk,
  Finding,
  GemmaEdgeModeration,
  Model,
  ModerationResponse,
} from "@gemma-edge/protocol";
export {
  type ChatParams,
  type Client,
  type ClientOptions,
  type CompletionParams,
  createClient,
  type RequestOptions,
} from "./client.js";
export * from "./errors.js";
export { Stream } from "./stream.js";
