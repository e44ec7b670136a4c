/**
 * The types of the kernels' TypeScript boundary: what a wasm build exports, the thread runner, and the parameter
 * shapes of the ops (shared with the WebGPU backend, which mirrors the API).
 */
import type { Buffer } from "./memory.js";

/** The ops a kernel build exports (see assembly/index.ts). Pointers are byte offsets; ranges come last. */
export interface KernelExports {
  build_relaxed(): number;
  q8a_row_bytes(n: number): number;
  quantize_q8a(x: number, out: number, n: number, r0: number, r1: number): void;
  rmsnorm(x: number, w: number, out: number, dim: number, eps: number, r0: number, r1: number): void;
  add(a: number, b: number, out: number, i0: number, i1: number): void;
  mul(a: number, b: number, out: number, i0: number, i1: number): void;
  scale(x: number, s: number, out: number, i0: number, i1: number): void;
  gelu_gate(gate: number, up: number, out: number, i0: number, i1: number): void;
  softcap(x: number, cap: number, i0: number, i1: number): void;
  softmax(x: number, n: number, r0: number, r1: number): void;
  rope(x: number, cos: number, sin: number, nheads: number, hd: number, r0: number, r1: number): void;
  attention(...args: number[]): void;
  f32_to_f16_rows(src: number, dst: number, i0: number, i1: number): void;
  dequant_rows(
    format: number,
    w: number,
    rowBytes: number,
    ids: number,
    dst: number,
    n: number,
    r0: number,
    r1: number,
  ): void;
  pack_rows(format: number, w: number, cols: number, flag: number, r0: number, r1: number): void;
  unpack_rows(format: number, src: number, dst: number, cols: number, r0: number, r1: number): void;
  pack_acts(format: number, q8a: number, out: number, n: number, t0: number, t1: number): void;
  /** Gives this instance its private scratch (memory.ts THREAD_SCRATCH_BYTES; one region per thread). */
  set_thread_scratch(p: number, bytes: number): void;
  [matmul: `matmul_${string}`]: (
    w: number,
    a: number,
    y: number,
    cols: number,
    rows: number,
    ntok: number,
    r0: number,
    r1: number,
  ) => void;
}

/** Splits an op's [0, n) range across threads; absent on one thread. */
export interface OpRunner {
  readonly threads: number;
  run(op: string, args: readonly number[], n: number, threads: number): void;
  close(): void;
}

export type BuildName = "simd" | "relaxed";

/** Parameters of `attention`, over the buffers of any backend (`B`: kernels-wasm's `Buffer`, WebGPU's `GpuBuffer`). */
export interface AttentionParams<B = Buffer> {
  /** Queries, [nq][nheads][hd]. */
  q: B;
  /** Key and value caches, [pos][nkv][hd], f32 or f16 (both the same). */
  k: B;
  v: B;
  /** Output, [nq][nheads][hd]. */
  out: B;
  nq: number;
  nheads: number;
  nkv: number;
  hd: number;
  /** Position of the first query; the cache must hold keys 0..pos0 + nq − 1. */
  pos0: number;
  /** Sliding window in positions (0 = none). @default 0 */
  window?: number;
  /** Score scale, e.g. 1/√hd or Gemma 2's query_pre_attn_scalar^−½. */
  scale: number;
  /** tanh soft-cap on scores (0 = none). @default 0 */
  softcap?: number;
}

/** Activation rows quantized to q8a in wasm memory (see `WasmKernels.quantize`). */
export interface QuantizedActivations {
  readonly ptr: number;
  readonly ntok: number;
  readonly cols: number;
  /** Bytes reserved (reusable through `into` for up to this size). */
  readonly capacity: number;
}
