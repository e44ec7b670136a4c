/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding 0x01…0x80, not SHA3-256's 0x06), for the
 * EIP-55 address checksum. Keccak-f[1600] on 25 64-bit lanes held as 32-bit halves, so no BigInt.
 * Lane `x + 5y` is the lane at column x, row y; lanes are little-endian in the byte stream.
 */

/** Round constants ι, as [hi, lo] 32-bit halves. */
const RC: readonly (readonly [number, number])[] = [
  [0x00000000, 0x00000001],
  [0x00000000, 0x00008082],
  [0x80000000, 0x0000808a],
  [0x80000000, 0x80008000],
  [0x00000000, 0x0000808b],
  [0x00000000, 0x80000001],
  [0x80000000, 0x80008081],
  [0x80000000, 0x00008009],
  [0x00000000, 0x0000008a],
  [0x00000000, 0x00000088],
  [0x00000000, 0x80008009],
  [0x00000000, 0x8000000a],
  [0x00000000, 0x8000808b],
  [0x80000000, 0x0000008b],
  [0x80000000, 0x00008089],
  [0x80000000, 0x00008003],
  [0x80000000, 0x00008002],
  [0x80000000, 0x00000080],
  [0x00000000, 0x0000800a],
  [0x80000000, 0x8000000a],
  [0x80000000, 0x80008081],
  [0x80000000, 0x00008080],
  [0x00000000, 0x80000001],
  [0x80000000, 0x80008008],
];

/** Rotation offsets ρ of lane `x + 5y`. */
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

/** The bytes absorbed per block for a 256-bit output: 1600/8 − 2·32. */
const RATE = 136;

/** Keccak-f[1600] in place on lanes split into high and low halves. */
function keccakF(hi: Uint32Array, lo: Uint32Array): void {
  const cHi = new Uint32Array(5);
  const cLo = new Uint32Array(5);
  const bHi = new Uint32Array(25);
  const bLo = new Uint32Array(25);
  for (const [rcHi, rcLo] of RC) {
    // θ: xor every lane with the parities of two neighbouring columns.
    for (let x = 0; x < 5; x++) {
      cHi[x] =
        (hi[x] as number) ^
        (hi[x + 5] as number) ^
        (hi[x + 10] as number) ^
        (hi[x + 15] as number) ^
        (hi[x + 20] as number);
      cLo[x] =
        (lo[x] as number) ^
        (lo[x + 5] as number) ^
        (lo[x + 10] as number) ^
        (lo[x + 15] as number) ^
        (lo[x + 20] as number);
    }
    for (let x = 0; x < 5; x++) {
      const nHi = cHi[(x + 1) % 5] as number;
      const nLo = cLo[(x + 1) % 5] as number;
      const dHi = (cHi[(x + 4) % 5] as number) ^ ((nHi << 1) | (nLo >>> 31));
      const dLo = (cLo[(x + 4) % 5] as number) ^ ((nLo << 1) | (nHi >>> 31));
      for (let y = 0; y < 25; y += 5) {
        hi[x + y] = (hi[x + y] as number) ^ dHi;
        lo[x + y] = (lo[x + y] as number) ^ dLo;
      }
    }
    // ρ and π: rotate each lane and move lane (x, y) to (y, 2x + 3y).
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) {
        const i = x + 5 * y;
        const [rHi, rLo] = rotl(hi[i] as number, lo[i] as number, RHO[i] as number);
        const j = y + 5 * ((2 * x + 3 * y) % 5);
        bHi[j] = rHi;
        bLo[j] = rLo;
      }
    }
    // χ: the only non-linear step.
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++) {
        const b1 = y + ((x + 1) % 5);
        const b2 = y + ((x + 2) % 5);
        hi[y + x] = (bHi[y + x] as number) ^ (~(bHi[b1] as number) & (bHi[b2] as number));
        lo[y + x] = (bLo[y + x] as number) ^ (~(bLo[b1] as number) & (bLo[b2] as number));
      }
    }
    // ι
    hi[0] = (hi[0] as number) ^ rcHi;
    lo[0] = (lo[0] as number) ^ rcLo;
  }
}

/** Rotates the 64-bit value `hi:lo` left by `n` bits. */
function rotl(hi: number, lo: number, n: number): [number, number] {
  if (n === 0) return [hi, lo];
  if (n < 32) return [(hi << n) | (lo >>> (32 - n)), (lo << n) | (hi >>> (32 - n))];
  if (n === 32) return [lo, hi];
  const m = n - 32;
  return [(lo << m) | (hi >>> (32 - m)), (hi << m) | (lo >>> (32 - m))];
}

/** The Keccak-256 digest of `data` (32 bytes). */
export function keccak256(data: Uint8Array): Uint8Array {
  const blocks = Math.floor(data.length / RATE) + 1;
  const padded = new Uint8Array(blocks * RATE);
  padded.set(data);
  padded[data.length] = (padded[data.length] as number) | 0x01;
  padded[padded.length - 1] = (padded[padded.length - 1] as number) | 0x80;

  const hi = new Uint32Array(25);
  const lo = new Uint32Array(25);
  const view = new DataView(padded.buffer);
  for (let block = 0; block < blocks; block++) {
    for (let lane = 0; lane < RATE / 8; lane++) {
      const at = block * RATE + lane * 8;
      lo[lane] = (lo[lane] as number) ^ view.getUint32(at, true);
      hi[lane] = (hi[lane] as number) ^ view.getUint32(at + 4, true);
    }
    keccakF(hi, lo);
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let lane = 0; lane < 4; lane++) {
    outView.setUint32(lane * 8, lo[lane] as number, true);
    outView.setUint32(lane * 8 + 4, hi[lane] as number, true);
  }
  return out;
}
