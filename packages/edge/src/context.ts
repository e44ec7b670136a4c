/** Typed context variables every route and middleware share (`c.get("apiKey")` is typed). */
import type { GemmaEdgeModeration } from "@gemma-edge/protocol";

export interface ApiKeyInfo {
  /** Stable, non-secret id of the key (logged instead of the key). */
  id: string;
  /** The moderation policy applied to this key's requests. */
  policyId: string;
}

declare module "hono" {
  interface ContextVariableMap {
    requestId: string;
    apiKey: ApiKeyInfo;
    /** What the policy decided, for the access log (categories and entities only, never text). */
    moderation: GemmaEdgeModeration;
  }
}
