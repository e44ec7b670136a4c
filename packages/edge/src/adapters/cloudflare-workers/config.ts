/**
 * Bindings → `createApp` options: API keys from the API_KEYS secret, the admin key hash, policies from the POLICIES KV
 * namespace, and the backend the vars choose (Workers AI binding, an upstream, or a tiny model in-isolate). A missing
 * or malformed binding is a `WorkerConfigError` naming the binding, never its value.
 */
import { loadModel } from "@gemma-edge/gemma";
import { loadKernels, type ModuleName } from "@gemma-edge/kernels-wasm";
import { z } from "zod";
import { gemmaBackend } from "../../backends/gemma.js";
import { openAICompatibleBackend } from "../../backends/openai-compatible.js";
import type { Backend } from "../../backends/types.js";
import { workersAiBackend } from "../../backends/workers-ai.js";
import type { ApiKeyRecord } from "../../middleware/auth/index.js";
import { workersRateLimiter } from "../../middleware/rate-limit/index.js";
import type { AppOptions } from "../../options.js";
import { kvPolicyStore } from "../../policies.js";
import type { WorkerEnv } from "./env.js";

/** The kernels' wasm, imported as modules (workerd cannot compile bytes at run time). */
export type KernelModules = Partial<Record<ModuleName, WebAssembly.Module>>;

export class WorkerConfigError extends Error {
  override readonly name = "WorkerConfigError";
}

const Sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/)
  .transform((s) => s.toLowerCase());
const ApiKeys = z.array(
  z.object({
    id: z.string().min(1),
    policyId: z.string().min(1),
    sha256: Sha256Hex,
    rateLimit: z.object({ capacity: z.number().positive(), refillPerSecond: z.number().positive() }).optional(),
  }),
);

/** Parses the API_KEYS secret. */
export function parseApiKeys(json: string | undefined): ApiKeyRecord[] {
  if (json === undefined || json.trim() === "") throw new WorkerConfigError("the API_KEYS secret is not set");
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new WorkerConfigError("the API_KEYS secret is not JSON");
  }
  const parsed = ApiKeys.safeParse(value);
  if (!parsed.success)
    throw new WorkerConfigError(
      'API_KEYS must be [{ "id", "policyId", "sha256" (64 hex), "rateLimit"?: { "capacity", "refillPerSecond" } }]',
    );
  return parsed.data;
}

const list = (csv: string | undefined): string[] =>
  (csv ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** The backend the vars choose. */
export async function backendFromEnv(env: WorkerEnv, kernelModules: KernelModules): Promise<Backend> {
  const kind = env.BACKEND ?? (env.UPSTREAM_URL ? "upstream" : "workers-ai");
  switch (kind) {
    case "workers-ai": {
      if (!env.AI) throw new WorkerConfigError("BACKEND=workers-ai needs the AI binding");
      const models = list(env.WORKERS_AI_MODELS);
      return workersAiBackend(env.AI, { models: models.length > 0 ? models : ["@cf/google/gemma-7b-it-lora"] });
    }
    case "upstream": {
      if (!env.UPSTREAM_URL) throw new WorkerConfigError("BACKEND=upstream needs the UPSTREAM_URL var");
      return openAICompatibleBackend({
        baseURL: env.UPSTREAM_URL,
        ...(env.UPSTREAM_API_KEY ? { apiKey: env.UPSTREAM_API_KEY } : {}),
      });
    }
    case "local":
      return localBackendFromEnv(env, kernelModules);
    default:
      throw new WorkerConfigError("BACKEND must be workers-ai, upstream or local");
  }
}

/** A model small enough for a 128 MB isolate, read from R2 and run on the wasm kernels in this isolate. */
async function localBackendFromEnv(env: WorkerEnv, kernelModules: KernelModules): Promise<Backend> {
  const key = env.LOCAL_MODEL_KEY;
  if (!env.MODELS || !key) throw new WorkerConfigError("BACKEND=local needs the MODELS bucket and LOCAL_MODEL_KEY");
  const object = await env.MODELS.get(key);
  if (!object) throw new WorkerConfigError("LOCAL_MODEL_KEY names no object in the MODELS bucket");
  const bytes = new Uint8Array(await object.arrayBuffer());
  const kernels = await loadKernels({ modules: kernelModules });
  const maxContext = Number(env.LOCAL_MAX_CONTEXT ?? 512);
  if (!Number.isInteger(maxContext) || maxContext < 1)
    throw new WorkerConfigError("LOCAL_MAX_CONTEXT must be a positive integer");
  const model = await loadModel(bytes, { kernels, maxContext });
  return gemmaBackend(model, { modelId: env.LOCAL_MODEL_ID ?? key });
}

function ratePeriod(value: string | undefined): number {
  if (value === undefined) return 60;
  if (value !== "10" && value !== "60") throw new WorkerConfigError("RATE_LIMIT_PERIOD must be 10 or 60");
  return Number(value);
}

/** Every `createApp` option the bindings decide. */
export async function appOptionsFromEnv(
  env: WorkerEnv,
  kernelModules: KernelModules,
): Promise<Omit<AppOptions, "logger" | "now">> {
  const keys = parseApiKeys(env.API_KEYS);
  const admin = env.ADMIN_KEY_SHA256 === undefined ? undefined : Sha256Hex.safeParse(env.ADMIN_KEY_SHA256.trim());
  if (admin && !admin.success) throw new WorkerConfigError("ADMIN_KEY_SHA256 must be 64 hex digits");
  const cors = list(env.CORS_ORIGINS);
  return {
    backend: await backendFromEnv(env, kernelModules),
    keys,
    ...(env.POLICIES ? { policies: kvPolicyStore(env.POLICIES) } : {}),
    ...(admin?.success ? { adminKeySha256: admin.data } : {}),
    ...(cors.length > 0 ? { corsOrigins: cors } : {}),
    ...(env.RATE_LIMITER
      ? { rateLimiter: workersRateLimiter(env.RATE_LIMITER, ratePeriod(env.RATE_LIMIT_PERIOD)) }
      : {}),
  };
}
