/**
 * A token bucket per API key: `capacity` requests at once, refilled at `refillPerSecond`. An empty bucket → 429 with
 * `Retry-After` (seconds until one token is back). Buckets live in memory (per process / per isolate).
 */
import type { MiddlewareHandler } from "hono";
import { httpError } from "../../errors.js";

export interface RateLimit {
  /** Bucket size: the burst a key may send. @default 60 */
  capacity: number;
  /** Tokens added per second. @default 1 */
  refillPerSecond: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly limit: RateLimit,
    readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `key`; returns 0 when granted, else the seconds to wait. */
  take(key: string): number {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.limit.capacity, at: t };
    b.tokens = Math.min(this.limit.capacity, b.tokens + ((t - b.at) / 1000) * this.limit.refillPerSecond);
    b.at = t;
    this.#buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.limit.refillPerSecond));
  }
}

export function rateLimit(buckets: TokenBuckets): MiddlewareHandler {
  return async function rateLimit(c, next) {
    const wait = buckets.take(c.get("apiKey")?.id ?? "anonymous");
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
