/**
 * Per-API-key rate limits behind one interface, `RateLimiter`: in memory (a token bucket per key: `capacity` requests
 * at once, refilled at `refillPerSecond`; per process / per isolate) or shared by every isolate of a Cloudflare
 * deployment (`workersRateLimiter`: the Workers Rate Limiting binding). A refused request → 429 with `Retry-After`.
 */
import type { MiddlewareHandler } from "hono";
import { httpError } from "../../errors.js";

export interface RateLimit {
  /** Bucket size: the burst a key may send. @default 60 */
  capacity: number;
  /** Tokens added per second. @default 1 */
  refillPerSecond: number;
}

/** Decides whether a key may send one more request: 0 when it may, else the seconds to wait. */
export interface RateLimiter {
  /** `limit`: the key's own limit, when its record has one (limiters configured elsewhere may ignore it). */
  take(key: string, limit?: RateLimit): number | Promise<number>;
}

/** The Workers Rate Limiting binding (`ratelimits` in wrangler.jsonc): counters shared across isolates. */
export interface WorkersRateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/**
 * A limiter over the Workers Rate Limiting binding; a refusal asks the caller to wait one `periodSeconds` (the
 * binding's window, 10 or 60, as configured in wrangler.jsonc).
 * @example
 * createApp({ ..., rateLimiter: workersRateLimiter(env.RATE_LIMITER, 60) });
 */
export function workersRateLimiter(binding: WorkersRateLimitBinding, periodSeconds = 60): RateLimiter {
  return {
    async take(key) {
      const { success } = await binding.limit({ key });
      return success ? 0 : periodSeconds;
    },
  };
}

export class TokenBuckets implements RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly limit: RateLimit,
    readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `key` (from a bucket of `limit`, else the default); 0 when granted, else seconds to wait. */
  take(key: string, limit: RateLimit = this.limit): number {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: limit.capacity, at: t };
    b.tokens = Math.min(limit.capacity, b.tokens + ((t - b.at) / 1000) * limit.refillPerSecond);
    b.at = t;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.refillPerSecond));
  }
}

export function rateLimit(limiter: RateLimiter): MiddlewareHandler {
  return async function rateLimit(c, next) {
    const key = c.get("apiKey");
    const wait = await limiter.take(key?.id ?? "anonymous", key?.rateLimit);
    if (wait > 0) {
      throw httpError(429, {
        message: `Rate limit reached for this API key; retry in ${wait} s.`,
        type: "rate_limit_error",
        code: "rate_limit_exceeded",
        headers: { "retry-after": String(wait) },
      });
    }
    await next();
  };
}
