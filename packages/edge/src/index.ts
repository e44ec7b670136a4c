/**
 * @gemma-edge/edge — the Hono app that serves an OpenAI-compatible API in front of a Gemma backend, runtime-agnostic.
 */
export { createApp } from "./app.js";
export { type GemmaBackendOptions, gemmaBackend } from "./backends/gemma.js";
export { type OpenAICompatibleOptions, openAICompatibleBackend } from "./backends/openai-compatible.js";
export {
  type Backend,
  BackendError,
  type GeneratePart,
  type GenerateRequest,
  type TextMessage,
  type Usage,
} from "./backends/types.js";
export {
  StopSequences,
  type WorkersAiBinding,
  type WorkersAiOptions,
  workersAiBackend,
  workersAiError,
} from "./backends/workers-ai.js";
export type { ApiKeyInfo } from "./context.js";
export { httpError } from "./errors.js";
export { type ApiKeyRecord, sha256Hex } from "./middleware/auth/index.js";
export { jsonLogger, type Logger, type LogRecord } from "./middleware/logger/index.js";
export {
  type RateLimit,
  type RateLimiter,
  TokenBuckets,
  type WorkersRateLimitBinding,
  workersRateLimiter,
} from "./middleware/rate-limit/index.js";
export { type AppOptions, DEFAULT_LIMITS, type Limits } from "./options.js";
export { type KvLike, kvPolicyStore, memoryPolicyStore, type PolicyStore } from "./policies.js";
