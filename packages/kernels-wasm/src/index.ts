/**
 * @gemma-edge/kernels-wasm — the Gemma engine's compute primitives in WASM SIMD (plain and relaxed builds),
 * optionally split across threads over one shared memory, each with a scalar TypeScript reference.
 */
export * from "./errors.js";
export * from "./formats.js";
export {
  type AttentionParams,
  type BuildName,
  type KernelExports,
  type OpRunner,
  type QuantizedActivations,
  WasmKernels,
} from "./kernels.js";
export { type LoadOptions, type LoadReport, loadKernels, loadKernelsWithReport, type ModuleName } from "./loader.js";
export type { Buffer, WeightTensor } from "./memory.js";
export { prng, randomValues, randomWeights } from "./random-weights.js";
export * as reference from "./reference/index.js";
