// The driver both packed formats' matmuls go through (packed-q4_0.ts, packed-q8_0.ts): which tile kernel takes which
// rows and tokens. Rows [r0, r1) of Y (ntok × rows) = W · A, W packed rows, A packed activations (pack.ts).
//   decode (ntok < 4): four rows a quarter of the range apart per pass (each a long sequential stream, see matmul.ts),
//   then the leftover rows one at a time;
//   prefill: per pair of rows (formats with a 2 × 4 tile) or per row, the rows' scales converted once into this
//   thread's scratch (f32, four per group), the full batches of four tokens through the 2 × 4 or 1 × 4 tile, then
//   the leftover tokens one at a time.
import { packedScales } from "./pack";
import { threadScratch } from "./thread-scratch";

/**
 * One row × the four token slots of a batch (a: the batch's activations; sc: the row's scales as f32, 16 bytes a
 * group — converting them once per row instead of once per batch: 185 → 164 instructions a group, measured).
 */
export type PackedTile1x4 = (w: usize, a: usize, groups: i32, y: usize, yTok: usize, sc: usize) => void;
/**
 * Two rows `rowBytes` apart × the four token slots of a batch (outputs 4 bytes apart); sc: both rows' scales as f32,
 * interleaved (row a's group k at 32k, row b's at 32k + 16); acc: 128 bytes of this thread's scratch.
 */
export type PackedTile2x4 = (
  w: usize,
  rowBytes: usize,
  a: usize,
  groups: i32,
  y: usize,
  yTok: usize,
  sc: usize,
  acc: usize,
) => void;
/** Four rows `stride` bytes apart × one token slot; outputs `yStride` bytes apart. */
export type PackedTile4x1 = (w: usize, stride: usize, a: usize, slot: usize, groups: i32, y: usize, yStride: usize) => void;
/** One row × one token slot. */
export type PackedTile1x1 = (w: usize, a: usize, slot: usize, groups: i32) => f32;

export function packedMatmul(
  tile2x4: PackedTile2x4 | null,
  tile1x4: PackedTile1x4,
  tile4x1: PackedTile4x1,
  tile1x1: PackedTile1x1,
  groupBytes: i32,
  actGroupBytes: i32,
  w: usize,
  a: usize,
  y: usize,
  cols: i32,
  rows: i32,
  ntok: i32,
  r0: i32,
  r1: i32,
): void {
  const groups = cols >> 7;
  const rowBytes = <usize>(groups * groupBytes);
  const batchBytes = <usize>(groups * actGroupBytes);
  const yTok = <usize>rows * 4;
  const full = ntok & ~3;
  let r = r0;
  if (ntok < 4) {
    const q = (r1 - r0) >> 2;
    const stride = <usize>q * rowBytes;
    for (let i = 0; i < q; i++) {
      const wr = w + <usize>(r0 + i) * rowBytes;
      for (let t = 0; t < ntok; t++) {
        tile4x1(wr, stride, a, <usize>t, groups, y + (<usize>t * <usize>rows + <usize>(r0 + i)) * 4, <usize>q * 4);
      }
    }
    r = r0 + 4 * q;
  }
  // scales: 32 bytes a group (a pair's, interleaved), then the 2 × 4 tile's accumulators (memory.ts sizes the scratch)
  const sc = full > 0 ? threadScratch(groups * 32 + 128) : 0;
  if (full > 0 && tile2x4) {
    const acc = sc + <usize>groups * 32;
    for (; r + 1 < r1; r += 2) {
      const wr = w + <usize>r * rowBytes;
      const yr = y + <usize>r * 4;
      rowScales(sc, 32, wr, groups, groupBytes);
      rowScales(sc + 16, 32, wr + rowBytes, groups, groupBytes);
      for (let t = 0; t < full; t += 4) {
        tile2x4(wr, rowBytes, a + <usize>(t >> 2) * batchBytes, groups, yr + <usize>t * yTok, yTok, sc, acc);
      }
      leftoverTokens(tile1x1, wr, a, batchBytes, groups, yr, yTok, full, ntok);
      leftoverTokens(tile1x1, wr + rowBytes, a, batchBytes, groups, yr + 4, yTok, full, ntok);
    }
  }
  for (; r < r1; r++) {
    const wr = w + <usize>r * rowBytes;
    const yr = y + <usize>r * 4;
    if (full > 0) rowScales(sc, 16, wr, groups, groupBytes);
    for (let t = 0; t < full; t += 4) tile1x4(wr, a + <usize>(t >> 2) * batchBytes, groups, yr + <usize>t * yTok, yTok, sc);
    leftoverTokens(tile1x1, wr, a, batchBytes, groups, yr, yTok, full, ntok);
  }
}

/** Row wr's scales as f32 into sc: a group's four every `stride` bytes (16: one row; 32: a pair's, interleaved). */
@inline
function rowScales(sc: usize, stride: usize, wr: usize, groups: i32, groupBytes: i32): void {
  for (let k = 0; k < groups; k++) v128.store(sc + <usize>k * stride, packedScales(wr + <usize>(k * groupBytes)));
}

/** Row wr's outputs (at yr) for the tokens past the last full batch of four, one at a time. */
@inline
function leftoverTokens(
  tile1x1: PackedTile1x1,
  wr: usize,
  a: usize,
  batchBytes: usize,
  groups: i32,
  yr: usize,
  yTok: usize,
  full: i32,
  ntok: i32,
): void {
  for (let t = full; t < ntok; t++) {
    store<f32>(yr + <usize>t * yTok, tile1x1(wr, a + <usize>(t >> 2) * batchBytes, <usize>(t & 3), groups));
  }
}
