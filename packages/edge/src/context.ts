/** Typed context variables every route and middleware share (`c.get("apiKey")` is typed). */

import type { GemmaEdgeModeration } from "@gemma-edge/protocol";
import type { RateLimit } from "./middleware/rate-limit/index.js";

export interface ApiKeyInfo {
  /** Stable, non-secret id of the key (logged instead of the key). */
  id: string;
  /** The moderation policy applied to this key's requests. */
  policyId: string;
  /** This key's token bucket, instead of the app's `rateLimit` (in-memory limiter only). */
  rateLimit?: RateLimit | undefined;
}

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    apiKey: ApiKeyInfo;
    /** What the policy decided, for the access log (categories and entities only, never text). */
    moderation: GemmaEdgeModeration;
  }
}
