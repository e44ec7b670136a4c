/**
 * @gemma-edge/kernels-webgpu — the Gemma engine's ops (kernels-wasm's names and semantics) in WGSL for WebGPU:
 * weights in their GGUF block layouts dequantized in the shaders, f32 activations, ops batched per command encoder.
 */
// Declares WebGPU's types for consumers of the emitted .d.ts files (see webgpu-types.d.ts).
/// <reference types="@webgpu/types" preserve="true" />
export type { CreateOptions } from "./device.js";
export {
  DeviceLostError,
  GpuOutOfMemoryError,
  GpuValidationError,
  WebGpuError,
  WebGpuUnavailableError,
} from "./errors.js";
export { type GpuAttentionParams, WebGpuKernels } from "./kernels.js";
export type { GpuBuffer, GpuWeightTensor } from "./memory.js";
