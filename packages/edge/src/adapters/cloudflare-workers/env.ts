/**
 * The bindings a gemma-edge worker reads (wrangler.jsonc declares them): secrets, vars, the POLICIES KV namespace, the
 * AI binding and, for a tiny model in-isolate, an R2 bucket holding its GGUF. Only the slices the worker uses are
 * typed here, so the package needs no `@cloudflare/workers-types`.
 */
import type { WorkersAiBinding } from "../../backends/workers-ai.js";
import type { WorkersRateLimitBinding } from "../../middleware/rate-limit/index.js";
import type { KvLike } from "../../policies.js";

/** The slice of an R2 bucket that reads one object. */
export interface ModelBucket {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

export interface WorkerEnv {
  /** Secret: the API keys as JSON `[{ "id", "policyId", "sha256" }]` (SHA-256 of each key, hex). */
  API_KEYS?: string;
  /** Secret or var: SHA-256 (hex) of the admin key of the policy routes; without it they answer 403. */
  ADMIN_KEY_SHA256?: string;
  /** KV namespace of moderation policies (`policy:<id>` → JSON); without it, only the built-in default policy. */
  POLICIES?: KvLike;
  /** `workers-ai`, `upstream` or `local`. @default "upstream" when UPSTREAM_URL is set, else "workers-ai" */
  BACKEND?: string;
  /** The Workers AI binding. */
  AI?: WorkersAiBinding;
  /** Comma-separated Workers AI models served. @default "@cf/google/gemma-7b-it-lora" */
  WORKERS_AI_MODELS?: string;
  /** Base URL (with `/v1`) of an OpenAI-compatible upstream, e.g. a gemma-edge on Node serving Gemma 2B. */
  UPSTREAM_URL?: string;
  /** Secret: the upstream's API key. */
  UPSTREAM_API_KEY?: string;
  /** R2 bucket holding the GGUF of a model small enough to run in the isolate (`BACKEND=local`). */
  MODELS?: ModelBucket;
  /** Key of that GGUF in MODELS. */
  LOCAL_MODEL_KEY?: string;
  /** The id clients name the local model by. @default LOCAL_MODEL_KEY */
  LOCAL_MODEL_ID?: string;
  /** KV cache length of the local model (memory!). @default 512 */
  LOCAL_MAX_CONTEXT?: string;
  /**
   * Workers Rate Limiting binding (`ratelimits` in wrangler.jsonc): per-key limits shared by every isolate. Without it,
   * each isolate keeps its own token buckets.
   */
  RATE_LIMITER?: WorkersRateLimitBinding;
  /** The binding's period in seconds (10 or 60), for `Retry-After`. @default 60 */
  RATE_LIMIT_PERIOD?: string;
  /** Comma-separated allowed CORS origins. */
  CORS_ORIGINS?: string;
}
