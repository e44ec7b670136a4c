/**
 * Where moderation policies live: a store keyed by policy id (in memory on Node; a KV namespace on Cloudflare).
 * Policies are parsed with `@gemma-edge/safety`'s schema on the way in, so a stored policy is always valid.
 */
import { DEFAULT_POLICY, type Policy, type PolicyInput, parsePolicy } from "@gemma-edge/safety";

export interface PolicyStore {
  get(id: string): Promise<Policy | undefined>;
  put(policy: Policy): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** An in-memory store, seeded with `DEFAULT_POLICY` (id "default") and the given policies. */
export function memoryPolicyStore(initial: ReadonlyArray<PolicyInput | Policy> = []): PolicyStore {
  const policies = new Map<string, Policy>([[DEFAULT_POLICY.id, DEFAULT_POLICY]]);
  for (const p of initial) {
    const policy = parsePolicy(p);
    policies.set(policy.id, policy);
  }
  return {
    async get(id) {
      return policies.get(id);
    },
    async put(policy) {
      policies.set(policy.id, policy);
    },
    async delete(id) {
      return policies.delete(id);
    },
  };
}

/** The subset of Cloudflare's KVNamespace the store needs. */
export interface KvLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Policies as JSON values under `policy:<id>` in a KV namespace; "default" falls back to DEFAULT_POLICY. */
export function kvPolicyStore(kv: KvLike): PolicyStore {
  return {
    async get(id) {
      const json = await kv.get(`policy:${id}`);
      if (json === null) return id === DEFAULT_POLICY.id ? DEFAULT_POLICY : undefined;
      return parsePolicy(json);
    },
    async put(policy) {
      await kv.put(`policy:${policy.id}`, JSON.stringify(policy));
    },
    async delete(id) {
      const had = (await kv.get(`policy:${id}`)) !== null;
      await kv.delete(`policy:${id}`);
      return had;
    },
  };
}
