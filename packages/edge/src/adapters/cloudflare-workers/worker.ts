/**
 * `createWorker({ kernelModules })` → a Cloudflare Workers module handler (`export default { fetch }`). The app is
 * built once per isolate, on its first request, from the bindings; a misconfigured worker answers 500 with a JSON
 * error naming the binding (and retries the build on the next request).
 */
import type { ExecutionContext, Hono } from "hono";
import { createApp } from "../../app.js";
import { jsonLogger, type Logger } from "../../middleware/logger/index.js";
import { appOptionsFromEnv, type KernelModules, WorkerConfigError } from "./config.js";
import type { WorkerEnv } from "./env.js";

export interface WorkerOptions {
  /** The kernels' wasm imported as modules, for `BACKEND=local`. @default {} */
  kernelModules?: KernelModules;
  /** @default jsonLogger (Workers Logs picks up the JSON lines) */
  logger?: Logger;
}

export interface WorkerHandler {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response>;
}

/**
 * @example
 * import relaxed from "@gemma-edge/kernels-wasm/wasm/kernels-relaxed.wasm";
 * import simd from "@gemma-edge/kernels-wasm/wasm/kernels-simd.wasm";
 * export default createWorker({ kernelModules: { simd, relaxed } });
 */
export function createWorker({ kernelModules = {}, logger = jsonLogger }: WorkerOptions = {}): WorkerHandler {
  let app: Promise<Hono> | undefined;
  const build = async (env: WorkerEnv) => createApp({ ...(await appOptionsFromEnv(env, kernelModules)), logger });
  return {
    async fetch(request, env, ctx) {
      app ??= build(env);
      let built: Hono;
      try {
        built = await app;
      } catch (error) {
        app = undefined;
        const config = error instanceof WorkerConfigError;
        logger({
          ts: new Date().toISOString(),
          level: "error",
          msg: "worker setup failed",
          error: config ? error.message : error instanceof Error ? error.name : "unknown",
        });
        const message = config ? `The worker is misconfigured: ${error.message}.` : "The worker failed to start.";
        return Response.json(
          { error: { message, type: "server_error", code: "worker_misconfigured", param: null } },
          { status: 500 },
        );
      }
      return built.fetch(request, env, ctx);
    },
  };
}
