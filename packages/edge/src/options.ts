/** Options of `createApp`, with their defaults. */
import type { GuardOptions } from "@gemma-edge/safety";
import type { Backend } from "./backends/types.js";
import type { ApiKeyRecord } from "./middleware/auth/index.js";
import type { Logger } from "./middleware/logger/index.js";
import type { RateLimit, RateLimiter } from "./middleware/rate-limit/index.js";
import type { PolicyStore } from "./policies.js";

export interface Limits {
  /** Largest request body. @default 1 MiB */
  maxBodyBytes: number;
  /** Most messages in one chat request. @default 256 */
  maxMessages: number;
  /** Most characters over all messages / the prompt. @default 200_000 */
  maxChars: number;
  /** Largest `max_tokens` a caller may ask for. @default 4096 */
  maxTokens: number;
  /** `max_tokens` when the caller sets none. @default 512 */
  defaultMaxTokens: number;
  /** A generation still running after this is stopped. @default 120_000 */
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 1 << 20,
  maxMessages: 256,
  maxChars: 200_000,
  maxTokens: 4096,
  defaultMaxTokens: 512,
  requestTimeoutMs: 120_000,
};

export interface AppOptions {
  backend: Backend;
  /** API keys (as SHA-256 hashes) with their key ids and policy ids. */
  keys: readonly ApiKeyRecord[];
  /** Moderation policies by id; each API key names one. @default memoryPolicyStore() (holds DEFAULT_POLICY as "default") */
  policies?: PolicyStore;
  /** SHA-256 of the admin key for the policy routes; without it those routes answer 403. */
  adminKeySha256?: string;
  /** Per-key token bucket. @default { capacity: 60, refillPerSecond: 1 } */
  rateLimit?: RateLimit;
  /**
   * Replaces the in-memory token buckets (`rateLimit`): e.g. `workersRateLimiter(env.RATE_LIMITER)` to share the
   * counters across every isolate of a Cloudflare deployment.
   */
  rateLimiter?: RateLimiter;
  limits?: Partial<Limits>;
  /** Allowed CORS origins; none by default. */
  corsOrigins?: string | string[];
  /** @default jsonLogger (one JSON line per request on stdout) */
  logger?: Logger;
  /**
   * For every guard call: classifiers beyond the built-in `lexical` and `injection` that policies select by name (e.g.
   * `createShieldGemmaClassifier` over a ShieldGemma-2B model), the secrets the `hash` action names, the detectors.
   */
  guard?: GuardOptions;
  /** Clock for rate limits (tests). @default Date.now */
  now?: () => number;
}
