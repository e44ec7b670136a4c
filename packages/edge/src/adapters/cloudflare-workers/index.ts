/** The Cloudflare Workers adapter: build a worker from bindings (`createWorker`); `entry.ts` is wrangler's `main`. */
export {
  appOptionsFromEnv,
  backendFromEnv,
  type KernelModules,
  parseApiKeys,
  WorkerConfigError,
} from "./config.js";
export type { ModelBucket, WorkerEnv } from "./env.js";
export { createWorker, type WorkerHandler, type WorkerOptions } from "./worker.js";
