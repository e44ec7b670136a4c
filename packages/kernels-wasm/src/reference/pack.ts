/**
 * The packed ("x4") row layout of Q4_0 and Q8_0 weights, stated as plain loops (the oracle of assembly/pack.ts).
 *
 * A row is cut into groups of four blocks (128 values); a packed group is exactly as long as the four GGUF blocks,
 * so packing runs in place in wasm memory:
 *
 *     bytes 0…7    the four blocks' f16 scales d0 d1 d2 d3
 *     then 16-byte vectors, each holding 4 bytes of every block — block i at bytes 4i…4i+3
 *
 * Q4_0 (72 bytes, 4 vectors): vector j holds qs[4j…4j+3] of each block (their low nibbles are values 4j…4j+3, their
 * high nibbles values 16+4j…). Q8_0 (136 bytes, 8 vectors): vector j holds values 4j, 4j+1 of block i at bytes 2i,
 * 2i+1 and values 4j+2, 4j+3 at bytes 8+2i, 8+2i+1, so each 8-byte half widens to i16 lanes that
 * `i32x4.dot_i16x8_s` pairs within one block.
 *
 * Why: a SIMD dot product of such vectors leaves block i's partial sum in lane i, so the four blocks' scales apply as
 * one vector and no horizontal sum is needed per block (1.5× on the prefill matmul, see packed-q4_0.ts).
 */
import { ShapeError, UnsupportedFormatError } from "../errors.js";
import { rowBytes } from "../formats.js";
import { THREAD_SCRATCH_BYTES } from "../memory.js";

export type PackedFormat = "q4_0" | "q8_0";

/** The widest packable row: the prefill matmul converts two rows' scales into the thread's scratch (memory.ts). */
export const MAX_PACKED_COLS = ((THREAD_SCRATCH_BYTES - 128) / 32) * 128;

/** Bytes of one packed group of four blocks. */
export const PACKED_GROUP_BYTES: Readonly<Record<PackedFormat, number>> = { q4_0: 72, q8_0: 136 };

/** Bytes of packed activations for `ntok` tokens of `cols` values (batches of four token slots; assembly/pack.ts). */
export function packedActivationBytes(format: PackedFormat, ntok: number, cols: number): number {
  return Math.ceil(ntok / 4) * (cols / 128) * (format === "q4_0" ? 640 : 1088);
}

/** Where byte `k` of block `i`'s quants (after its 2-byte scale) goes in a packed group. */
export function packedQuantOffset(format: PackedFormat, i: number, k: number): number {
  if (format === "q4_0") return 8 + 16 * (k >> 2) + 4 * i + (k & 3);
  const j = k >> 2; // value k is in run j (values 4j…4j+3)
  const inRun = k & 3;
  return 8 + 16 * j + (inRun < 2 ? 2 * i + inRun : 8 + 2 * i + inRun - 2);
}

function check(format: string, cols: number, length: number, rows: number): asserts format is PackedFormat {
  if (format !== "q4_0" && format !== "q8_0") throw new UnsupportedFormatError(`${format} has no packed layout`);
  if (cols % 128 !== 0) throw new ShapeError(`packed rows need a multiple of 128 columns, got ${cols}`);
  if (length !== rows * rowBytes(format, cols))
    throw new ShapeError(`${rows}×${cols} ${format} is not ${length} bytes`);
}

/** GGUF rows → packed rows (a new array). */
export function packRows(format: PackedFormat, gguf: Uint8Array, rows: number, cols: number): Uint8Array {
  check(format, cols, gguf.length, rows);
  const blockBytes = format === "q4_0" ? 18 : 34;
  const out = new Uint8Array(gguf.length);
  for (let g = 0; g < gguf.length; g += 4 * blockBytes) {
    for (let i = 0; i < 4; i++) {
      const b = g + i * blockBytes;
      out[g + 2 * i] = gguf[b] ?? 0;
      out[g + 2 * i + 1] = gguf[b + 1] ?? 0;
      for (let k = 0; k < blockBytes - 2; k++) out[g + packedQuantOffset(format, i, k)] = gguf[b + 2 + k] ?? 0;
    }
  }
  return out;
}

/** Packed rows → GGUF rows (a new array). */
export function unpackRows(format: PackedFormat, packed: Uint8Array, rows: number, cols: number): Uint8Array {
  check(format, cols, packed.length, rows);
  const blockBytes = format === "q4_0" ? 18 : 34;
  const out = new Uint8Array(packed.length);
  for (let g = 0; g < packed.length; g += 4 * blockBytes) {
    for (let i = 0; i < 4; i++) {
      const b = g + i * blockBytes;
      out[b] = packed[g + 2 * i] ?? 0;
      out[b + 1] = packed[g + 2 * i + 1] ?? 0;
      for (let k = 0; k < blockBytes - 2; k++) out[b + 2 + k] = packed[g + packedQuantOffset(format, i, k)] ?? 0;
    }
  }
  return out;
}
