/**
 * The local engine: the model (downloaded or cached, see model-source.ts) on the best backend there is, behind the
 * same edge app a server runs — `createApp` with the Gemma backend and the client's policy — so a local client gets
 * exactly the remote API: OpenAI-shaped responses, SSE streams, input and output guards, `content_filter` findings.
 */
import { createApp, gemmaBackend, memoryPolicyStore, sha256Hex } from "@gemma-edge/edge";
import { loadModel, type ModelInfo } from "@gemma-edge/gemma";
import { LOCAL_API_KEY, type LocalEngineInit, type LocalProgress } from "./messages.js";
import { modelSource } from "./model-source.js";

export interface LocalEngine {
  info: ModelInfo;
  fetch(request: Request): Promise<Response>;
  close(): void;
}

export async function startLocalEngine(
  init: LocalEngineInit,
  onProgress?: (progress: LocalProgress) => void,
): Promise<LocalEngine> {
  // the policy first: a bad one fails before a download
  const policyId = typeof init.policy?.id === "string" ? init.policy.id : "default";
  const policies = memoryPolicyStore(
    init.policy ? [init.policy as NonNullable<Parameters<typeof memoryPolicyStore>[0]>[number]] : [],
  );
  const source = await modelSource(init.model, { cache: init.cache ?? true, ...(onProgress ? { onProgress } : {}) });
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  const model = await loadModel(source, {
    backend: init.backend ?? "auto",
    threads: init.threads ?? (isolated ? Math.max(1, Math.min(4, cores)) : 1),
    ...(init.maxContext ? { maxContext: init.maxContext } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  const app = createApp({
    backend: gemmaBackend(model, { modelId: init.modelId ?? "gemma-local" }),
    keys: [{ id: "local", policyId, sha256: await sha256Hex(LOCAL_API_KEY) }],
    policies,
    rateLimit: { capacity: 1_000_000, refillPerSecond: 1_000_000 },
    logger: () => {},
  });
  return {
    info: model.info,
    fetch: async (request) => app.fetch(request),
    close: () => model.dispose(),
  };
}
