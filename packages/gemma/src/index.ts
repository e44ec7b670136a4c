/**
 * @gemma-edge/gemma — the Gemma model runtime: byte sources (bytes, URL; files and folders from
 * `@gemma-edge/gemma/node`), GGUF and safetensors readers, `GemmaConfig` from GGUF metadata or a Hugging Face
 * config.json, the tokenizer, and `loadModel` for a GGUF or a Hugging Face folder. Safe for browsers, workers and Node.
 */
export * from "./byte-source.js";
export { sha256Hex, verifySha256 } from "./checksum.js";
export * from "./config/from-gguf.js";
export * from "./config/from-hf.js";
export * from "./config/gemma-config.js";
export * from "./config/tensor-names.js";
export * from "./errors.js";
export * from "./gguf/index.js";
export { type CacheState, Engine, type Fallback } from "./model/engine.js";
export type { EngineBuffer, EngineKernels, EngineWeight } from "./model/engine-kernels.js";
export { forward, type Model } from "./model/forward.js";
export {
  GemmaModel,
  type GenerateRequest,
  type LoadModelOptions,
  type LoadProgress,
  loadModel,
  type ModelInfo,
} from "./model/gemma-model.js";
export * from "./model/generate.js";
export {
  type HfWeightsOptions,
  type LoadedHfWeights,
  loadHfWeights,
} from "./model/hf-weights.js";
export { type LoadedModel, type LoadGgufOptions, loadGgufModel, type WasmModel } from "./model/load.js";
export { type HfLoadProgress, type LoadedHfModel, type LoadHfOptions, loadHfModel } from "./model/load-hf.js";
export { ContextOverflowError, prefill } from "./model/prefill.js";
export { dequantizeAll, referenceLogits } from "./model/reference-forward.js";
export { CONVERT_FORMATS, type ConvertFormat, checkConvertible, rowConverter } from "./model/row-converter.js";
export { argmax, Sampler, type SamplingOptions } from "./model/sampler.js";
export { createRunState, type RunState, type RunStateOptions } from "./model/state.js";
export {
  type BackendChoice,
  openWebGpu,
  toWebGpu,
  type WebGpuOptions,
  wasmFallback,
} from "./model/webgpu-backend.js";
export { expectedShape, type PlannedTensor, planWeights, type TensorShapeInfo } from "./model/weight-shapes.js";
export { assembleWeights, type GemmaWeights, type LayerWeights } from "./model/weights.js";
export * from "./safetensors/reader.js";
export * from "./safetensors/sharded.js";
export * from "./sources/blob.js";
export * from "./sources/model-folder.js";
export * from "./sources/url.js";
export * from "./tensor-stream.js";
export { GEMMA_2B, gemma2bShapedParts } from "./testing/gemma-2b-shaped.js";
export * from "./testing/safetensors-writer.js";
export {
  K_QUANT_SHAPES,
  type TinyModel,
  type TinyModelOptions,
  type TinyTensor,
  type TinyWeights,
  tinyGemmaGguf,
  tinyGemmaWeights,
} from "./testing/tiny-model.js";
export { type TinyHfModel, type TinyHfOptions, tinyGemmaHf, tinyHfName } from "./testing/tiny-model-hf.js";
export * from "./tokenizer/index.js";
