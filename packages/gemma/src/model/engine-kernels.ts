/**
 * The ops `forward` needs, as one interface both backends implement: `WasmKernels` (kernels-wasm) and `WebGpuKernels`
 * (kernels-webgpu) have the same op names, argument order and semantics. Buffers and weights are opaque handles of
 * the backend that made them; method parameters use the base shapes below (TypeScript checks method parameters
 * bivariantly, so each backend's own handle types satisfy it).
 */
import type { AttentionParams, WeightFormat } from "@gemma-edge/kernels-wasm";

/** A run of values in backend memory. */
export interface EngineBuffer {
  readonly length: number;
  readonly dtype: "f32" | "f16" | "i32";
}

/** A weight matrix in its GGUF block layout in backend memory. */
export interface EngineWeight {
  readonly format: WeightFormat;
  readonly rows: number;
  readonly cols: number;
}

export type EngineAttentionParams = AttentionParams<EngineBuffer>;

export interface EngineKernels {
  alloc(length: number, dtype?: "f32" | "f16"): EngineBuffer;
  /** The first `length` values as f32 (synchronous on WASM, after the recorded ops on the GPU). */
  read(b: EngineBuffer, length?: number): Float32Array | Promise<Float32Array>;
  /** A live view of an f32 buffer, where the backend's memory is the host's (WASM): no copy. */
  view?(b: EngineBuffer): Float32Array;
  copy(src: EngineBuffer, dst: EngineBuffer, n: number, srcOffset?: number, dstOffset?: number): void;
  embed(w: EngineWeight, ids: ArrayLike<number>, out: EngineBuffer): void;
  /** What a matmul over w reads: x, or x quantized (WASM's q8a for quantized weights). */
  quantizeIfNeeded(w: EngineWeight, x: EngineBuffer, ntok: number): unknown;
  matmul(w: EngineWeight, x: unknown, y: EngineBuffer, ntok?: number): void;
  matvec(w: EngineWeight, x: unknown, y: EngineBuffer): void;
  rmsnorm(x: EngineBuffer, w: EngineBuffer, out: EngineBuffer, rows: number, dim: number, eps: number): void;
  add(a: EngineBuffer, b: EngineBuffer, out: EngineBuffer, n?: number): void;
  scale(x: EngineBuffer, s: number, out: EngineBuffer, n?: number): void;
  geluGate(gate: EngineBuffer, up: EngineBuffer, out: EngineBuffer, n?: number): void;
  softcap(x: EngineBuffer, cap: number, n?: number): void;
  rope(x: EngineBuffer, ntok: number, nheads: number, hd: number, positions: ArrayLike<number>, theta: number): void;
  attention(p: EngineAttentionParams): void;
  toF16(src: EngineBuffer, dst: EngineBuffer, n: number, dstOffset?: number): void;
}
