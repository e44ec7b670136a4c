/**
 * @gemma-edge/safety/onnx — the ONNX text classifier (onnxruntime-web) and the `tokenizer.json` reader it uses. A
 * separate entry so the main entry, and workers that do not use it, never pull onnxruntime (its wasm is ~11 MB).
 */
export { type Activation, activate, createOnnxClassifier, type OnnxClassifierOptions } from "./classifier.js";
export * from "./errors.js";
export { type OnnxModelFiles, type ReadFile, type ReadOnnxModelFilesOptions, readOnnxModelFiles } from "./files.js";
export type { CompiledWasmModule, RuntimeOptions } from "./runtime.js";
export {
  createTokenizer,
  type EncodeOptions,
  type Encoding,
  type TextTokenizer,
  type WindowOptions,
} from "./tokenizer/index.js";
