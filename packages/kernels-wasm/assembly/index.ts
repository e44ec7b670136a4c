// The exported ops of @gemma-edge/kernels-wasm. Every op takes the range of rows / items it owns as its last two
// arguments, so one call can be split across threads. Pointers are byte offsets into the (imported) memory; the
// TypeScript side (src/kernels.ts) validates shapes and bounds before any call.
import { matmulRows } from "./matmul";
import { dot1_bf16, dot1_f16, dot1_f32, dot4_bf16, dot4_f16, dot4_f32 } from "./matvec-float";
import { BLOCK_BYTES_Q4_K, BLOCK_BYTES_Q6_K, dot1_q4_k, dot1_q6_k, dot4_q4_k, dot4_q6_k } from "./matvec-kquants";
import { BLOCK_BYTES_Q4_0, dot1_q4_0, dot4_q4_0, dot4x4_q4_0 } from "./matvec-q4_0";
import { BLOCK_BYTES_Q8_0, dot1_q8_0, dot4_q8_0, dot4x4_q8_0 } from "./matvec-q8_0";
import { q8aRowBytes } from "./quantize";

export { attention, f32_to_f16_rows } from "./attention";
export { dequant_rows } from "./dequant";
export { add, gelu_gate, mul, rmsnorm, scale, softcap, softmax } from "./elementwise";
export { pack_acts, pack_rows, unpack_rows } from "./pack";
export { matmul_q4_0x4 } from "./packed-q4_0";
export { matmul_q8_0x4 } from "./packed-q8_0";
export { quantize_q8a } from "./quantize";
export { rope } from "./rope";
export { set_thread_scratch } from "./thread-scratch";

/** 1 when built with relaxed SIMD, else 0. */
export function build_relaxed(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/** Bytes of one q8a activation row of n values. */
export function q8a_row_bytes(n: i32): i32 {
  return q8aRowBytes(n);
}

// Y (ntok × rows) = W (rows × cols) · A, rows [r0, r1). A is q8a rows for quantized W, f32 rows for float W.
export function matmul_q8_0(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  const rb = <usize>((cols >> 5) * BLOCK_BYTES_Q8_0);
  matmulRows(dot4_q8_0, dot1_q8_0, dot4x4_q8_0, rb, q8aRowBytes(cols), w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_q4_0(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  const rb = <usize>((cols >> 5) * BLOCK_BYTES_Q4_0);
  matmulRows(dot4_q4_0, dot1_q4_0, dot4x4_q4_0, rb, q8aRowBytes(cols), w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_q4_k(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  const rb = <usize>((cols >> 8) * BLOCK_BYTES_Q4_K);
  matmulRows(dot4_q4_k, dot1_q4_k, null, rb, q8aRowBytes(cols), w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_q6_k(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  const rb = <usize>((cols >> 8) * BLOCK_BYTES_Q6_K);
  matmulRows(dot4_q6_k, dot1_q6_k, null, rb, q8aRowBytes(cols), w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_f32(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  matmulRows(dot4_f32, dot1_f32, null, <usize>cols * 4, <usize>cols * 4, w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_f16(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  matmulRows(dot4_f16, dot1_f16, null, <usize>cols * 2, <usize>cols * 4, w, a, y, cols, rows, ntok, r0, r1);
}
export function matmul_bf16(w: usize, a: usize, y: usize, cols: i32, rows: i32, ntok: i32, r0: i32, r1: i32): void {
  matmulRows(dot4_bf16, dot1_bf16, null, <usize>cols * 2, <usize>cols * 4, w, a, y, cols, rows, ntok, r0, r1);
}

/** Reads bytes [i0, i1) of p (16-byte steps) and returns a checksum: the benchmark's streaming-bandwidth ceiling. */
export function stream_read(p: usize, i0: i32, i1: i32): i32 {
  let a = i32x4.splat(0);
  let b = i32x4.splat(0);
  let i = <usize>i0;
  for (; i + 32 <= <usize>i1; i += 32) {
    a = i32x4.add(a, v128.load(p + i));
    b = i32x4.add(b, v128.load(p + i, 16));
  }
  const s = i32x4.add(a, b);
  return i32x4.extract_lane(s, 0) ^ i32x4.extract_lane(s, 3);
}

/**
 * Touches pages [i0, i1) (4 KiB each) from p, keeping their bytes: fresh memory is mapped on first write, which costs
 * more than the copy that follows (measured: 2.5 GB took 8 s to fault in, 0.13 s to copy after). Threads fault in
 * parallel (≈2.3× on 2 threads).
 */
export function prefault(p: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const q = p + (<usize>i << 12);
    store<u8>(q, load<u8>(q));
  }
}
