import { describe, expect, it } from "vitest";
import { kernelsFor } from "../../test/fixture.js";
import { prng } from "../random-weights.js";
import { dequantize, scaleMinK4 } from "./dequant.js";
import { quantizeWeights } from "./quantize.js";
import { packScalesK4 } from "./quantize-k.js";

const ROWS = 16;
const COLS = 1024;

/** n values from N(0, 1) (Box–Muller over the seeded PRNG). */
function gaussian(n: number, seed: number): Float32Array {
  const rand = prng(seed);
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

/** Encodes rows × COLS values in `format` and decodes them with the reference dequantizer. */
function roundTrip(format: "q4_0" | "q4_k" | "q6_k", x: Float32Array, rows = x.length / COLS): Float64Array {
  return dequantize(format, quantizeWeights(format, x, rows, x.length / rows), 0, x.length);
}

/** √(Σ(x − y)² / Σx²) over [from, to). */
function relativeRms(x: ArrayLike<number>, y: ArrayLike<number>, from = 0, to = x.length): number {
  let err = 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    err += ((x[i] ?? 0) - (y[i] ?? 0)) ** 2;
    sum += (x[i] ?? 0) ** 2;
  }
  return Math.sqrt(err / sum);
}

// Relative RMS errors measured on N(0, 1), seeds 1–4: Q4_K 0.0709–0.0717 (Q4_0 0.085 on the same data), Q6_K
// 0.0175–0.0178; on one-signed data Q4_K's min makes it 0.040–0.042. That is the formats' resolution (16 or 64
// levels over a sub-block's range), as with llama.cpp's reference quantizer; the bounds sit just above.
const BOUND = { q4_k: 0.075, q6_k: 0.019 } as const;

describe.each(["q4_k", "q6_k"] as const)("%s encoder (reference)", (format) => {
  it("round-trips N(0, 1) rows within the format's resolution", () => {
    for (const seed of [1, 2]) {
      const x = gaussian(ROWS * COLS, seed);
      const err = relativeRms(x, roundTrip(format, x));
      expect(err).toBeLessThan(BOUND[format]);
      expect(err).toBeGreaterThan(BOUND[format] / 2); // the bound is not loose by much
      if (format === "q4_k") expect(err).toBeLessThan(0.9 * relativeRms(x, roundTrip("q4_0", x)));
    }
  });

  it("round-trips negative-only and positive-only rows", () => {
    const x = gaussian(ROWS * COLS, 3);
    for (const sign of [-1, 1]) {
      const y = x.map((v) => sign * Math.abs(v));
      expect(relativeRms(y, roundTrip(format, y))).toBeLessThan(format === "q4_k" ? 0.045 : BOUND.q6_k);
    }
  });

  it("writes all-zero rows as zero bytes that decode to zeros", () => {
    const bytes = quantizeWeights(format, new Float32Array(2 * COLS), 2, COLS);
    expect(bytes.every((b) => b === 0)).toBe(true);
    expect(dequantize(format, bytes, 0, 2 * COLS).every((v) => v === 0)).toBe(true);
  });

  it("keeps constant rows to f16 precision of the super-block scale", () => {
    for (const c of [1, -1, 0.37, -1234.5]) {
      const y = roundTrip(format, new Float32Array(256).fill(c));
      for (const v of y) expect(Math.abs(v - c)).toBeLessThanOrEqual(1e-3 * Math.abs(c));
    }
  });

  it("confines one large outlier's cost to its own super-block", () => {
    const x = gaussian(ROWS * COLS, 4);
    x[300] = 100; // in super-block 1 of row 0
    const y = roundTrip(format, x);
    expect(Math.abs((y[300] ?? 0) - 100)).toBeLessThan(0.05);
    expect(relativeRms(x, y, 512)).toBeLessThan(BOUND[format]); // every other super-block as usual
    // the rest of the outlier's super-block gets coarser scales (measured 0.33–0.40 for Q4_K, 0.17–0.25 for Q6_K)
    const rest = [...x.subarray(256, 512)].map((v, i) => (i === 44 ? 0 : v));
    const restGot = [...y.subarray(256, 512)].map((v, i) => (i === 44 ? 0 : v));
    expect(relativeRms(rest, restGot)).toBeLessThan(format === "q4_k" ? 0.5 : 0.3);
  });

  it("needs whole super-blocks of 256 per row", () => {
    expect(() => quantizeWeights(format, new Float32Array(128), 1, 128)).toThrow(/multiple of 256/);
  });

  it.each([
    ["simd", 1],
    ["relaxed", 2],
  ] as const)(
    "its bytes decode identically through the wasm embedding lookup (%s, %i thread(s))",
    async (build, threads) => {
      const k = await kernelsFor(build, threads);
      const x = gaussian(ROWS * COLS, 5);
      x[7] = -40;
      x.fill(0, 2 * COLS, 3 * COLS);
      const bytes = quantizeWeights(format, x, ROWS, COLS);
      const w = k.upload(format, ROWS, COLS, bytes);
      const ids = [0, 15, 2, 7, 2];
      const out = k.alloc(ids.length * COLS);
      k.embed(w, ids, out);
      const got = k.read(out);
      const rb = bytes.length / ROWS;
      ids.forEach((id, n) => {
        const want = Float32Array.from(dequantize(format, bytes, id * rb, COLS));
        expect(got.subarray(n * COLS, (n + 1) * COLS)).toEqual(want);
      });
    },
  );
});

describe("Q4_K scale packing", () => {
  it("packScalesK4 is the inverse of ggml's get_scale_min_k4 for every 6-bit scale and min", () => {
    const bytes = new Uint8Array(12);
    const wrong: string[] = [];
    for (let s = 0; s < 64; s++) {
      for (let m = 0; m < 64; m++) {
        // each sub-block gets a different (scale, min) so a swapped slot shows
        const ls = Array.from({ length: 8 }, (_, j) => (s + 9 * j) & 63);
        const lm = Array.from({ length: 8 }, (_, j) => (m + 23 * j) & 63);
        packScalesK4(ls, lm, bytes);
        for (let j = 0; j < 8; j++) {
          const [sc, mn] = scaleMinK4(j, (i) => bytes[i] ?? 0);
          if (sc !== ls[j] || mn !== lm[j]) wrong.push(`(${ls[j]}, ${lm[j]}) in slot ${j} reads (${sc}, ${mn})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
