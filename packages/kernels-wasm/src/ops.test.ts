import { describe, expect, it } from "vitest";
import { kernelsFor, maxAbs, maxError, mismatches, VARIANTS } from "../test/fixture.js";
import { WEIGHT_FORMATS } from "./formats.js";
import { randomValues, randomWeights } from "./random-weights.js";
import { dequantize } from "./reference/dequant.js";
import { f16ToF32, f32ToF16 } from "./reference/half.js";
import * as ref from "./reference/ops.js";

describe.each(VARIANTS)("row and element ops, %s build, %i thread(s)", (build, threads) => {
  it("rmsnorm (Gemma 2B hidden 2048 and per-head 256, several rows) within 2e-6 relative", async () => {
    const k = await kernelsFor(build, threads);
    for (const [rows, dim] of [
      [1, 2048],
      [8, 256],
      [40, 130],
      [3, 7],
      [600, 64], // past the threading threshold
    ] as const) {
      const xs = randomValues(rows * dim, dim, 3);
      const ws = randomValues(dim, rows, 2);
      const [x, w, out] = [k.alloc(rows * dim), k.alloc(dim), k.alloc(rows * dim)];
      k.write(x, xs);
      k.write(w, ws);
      k.rmsnorm(x, w, out, rows, dim, 1e-6);
      const want = ref.rmsnorm(xs, ws, rows, dim, 1e-6);
      expect(maxError(k.read(out), want) / maxAbs(want)).toBeLessThan(2e-6);
    }
  });

  it("add, mul and scale are exact f32 arithmetic, in place too", async () => {
    const k = await kernelsFor(build, threads);
    const n = 300_001; // odd, and past the threading threshold
    const as = randomValues(n, 1, 100);
    const bs = randomValues(n, 2, 100);
    const [a, b, out] = [k.alloc(n), k.alloc(n), k.alloc(n)];
    k.write(a, as);
    k.write(b, bs);
    k.add(a, b, out);
    expect(
      mismatches(
        k.read(out),
        Float32Array.from(as, (v, i) => v + (bs[i] ?? 0)),
      ),
    ).toBe(0);
    k.mul(a, b, out);
    expect(
      mismatches(
        k.read(out),
        Float32Array.from(as, (v, i) => v * (bs[i] ?? 0)),
      ),
    ).toBe(0);
    k.scale(a, 45.254833995939045, a); // √2048, in place
    expect(
      mismatches(
        k.read(a),
        Float32Array.from(as, (v) => v * Math.fround(45.254833995939045)),
      ),
    ).toBe(0);
  });

  it("gelu_tanh gating within 2e-6 of max(1, |value|)", async () => {
    const k = await kernelsFor(build, threads);
    const n = 16_387;
    const gs = randomValues(n, 3, 8);
    gs.set([0, -0, 1e-8, -1e-8, 20, -20, 88, -88], 0);
    const us = randomValues(n, 4, 2);
    const [g, u, out] = [k.alloc(n), k.alloc(n), k.alloc(n)];
    k.write(g, gs);
    k.write(u, us);
    k.geluGate(g, u, out);
    const want = ref.geluGate(gs, us);
    const got = k.read(out);
    for (let i = 0; i < n; i++)
      expect(Math.abs((got[i] ?? 0) - (want[i] ?? 0))).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(want[i] ?? 0)));
  });

  it("softcap (Gemma 2: 50 on scores, 30 on logits) within 1e-6 · cap", async () => {
    const k = await kernelsFor(build, threads);
    for (const cap of [30, 50]) {
      const xs = randomValues(1001, cap, 400);
      xs.set([0, 1e-7, -1e-7, 1e6, -1e6], 0);
      const x = k.alloc(xs.length);
      k.write(x, xs);
      k.softcap(x, cap);
      expect(maxError(k.read(x), ref.softcap(xs, cap))).toBeLessThanOrEqual(1e-6 * cap);
    }
  });

  it("softmax's exp is within 1e-6 relative over its whole range (0 down to −89: the subnormals flush to 0)", async () => {
    const k = await kernelsFor(build, threads);
    const n = 512;
    const xs = Float32Array.from({ length: n }, (_, i) => -i * 0.1745); // e^0 … e^−89.2, steps that hit every rounding
    const x = k.alloc(n);
    k.write(x, xs);
    k.softmax(x, 1, n);
    const got = k.read(x);
    const want = ref.softmax(xs, 1, n);
    for (let i = 0; i < n; i++) {
      const w = want[i] ?? 0;
      const tolerance = w >= 2 ** -126 ? 1e-6 * w : 2 ** -126; // below f32's normal range: 0 is right
      expect(Math.abs((got[i] ?? 0) - w), `e^${xs[i]}`).toBeLessThanOrEqual(tolerance);
    }
  });

  it("softmax rows sum to 1 and match within 1e-6, masked (−inf) entries are exactly 0", async () => {
    const k = await kernelsFor(build, threads);
    const rows = 20;
    const n = 257;
    const xs = randomValues(rows * n, 9, 30);
    xs[5] = Number.NEGATIVE_INFINITY;
    const x = k.alloc(rows * n);
    k.write(x, xs);
    k.softmax(x, rows, n);
    const got = k.read(x);
    expect(maxError(got, ref.softmax(xs, rows, n))).toBeLessThan(1e-6);
    expect(got[5]).toBe(0);
    for (let r = 0; r < rows; r++)
      expect(got.subarray(r * n, (r + 1) * n).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("rope (half rotation, θ 10k and 1M, positions past 8k) within 2e-6 of the row scale", async () => {
    const k = await kernelsFor(build, threads);
    for (const [ntok, nheads, hd, theta, p0] of [
      [1, 8, 256, 10_000, 0],
      [5, 4, 128, 1_000_000, 8190],
      [3, 2, 6, 10_000, 17],
      [260, 8, 8, 10_000, 3], // past the threading threshold
    ] as const) {
      const xs = randomValues(ntok * nheads * hd, hd + ntok, 4);
      const positions = Array.from({ length: ntok }, (_, t) => p0 + t);
      const x = k.alloc(xs.length);
      k.write(x, xs);
      k.rope(x, ntok, nheads, hd, positions, theta);
      const { cos, sin } = ref.ropeTables(positions, hd, theta);
      expect(maxError(k.read(x), ref.rope(xs, ntok, nheads, hd, cos, sin))).toBeLessThan(2e-6 * 4);
    }
  });

  it("rope keeps its tables only while positions, width and θ stay the same (an array changed in place too)", async () => {
    const k = await kernelsFor(build, threads);
    const [ntok, nheads, hd] = [3, 2, 8];
    const xs = randomValues(ntok * nheads * hd, 21, 1);
    const positions = [4, 5, 6];
    const check = (theta: number, width = hd) => {
      const x = k.alloc(ntok * nheads * width);
      k.write(x, xs.subarray(0, ntok * nheads * width));
      k.rope(x, ntok, nheads, width, positions, theta);
      const { cos, sin } = ref.ropeTables(positions, width, theta);
      const want = ref.rope(xs.subarray(0, ntok * nheads * width), ntok, nheads, width, cos, sin);
      expect(maxError(k.read(x), want)).toBeLessThan(1e-5);
    };
    check(10_000);
    check(10_000); // cached
    check(1_000_000); // another θ
    positions[1] = 900; // the same array, changed
    check(1_000_000);
    check(1_000_000, 4); // another width
  });

  it.each(WEIGHT_FORMATS)("embedding lookup dequantizes %s rows exactly", async (format) => {
    const k = await kernelsFor(build, threads);
    const cols = 512;
    const rows = 40;
    const bytes = randomWeights(format, rows, cols, 11);
    const w = k.upload(format, rows, cols, bytes);
    // every row, then enough more to pass the threading threshold
    const ids = Array.from({ length: 600 }, (_, i) => (i < rows ? rows - 1 - i : (i * 7) % rows));
    const out = k.alloc(ids.length * cols);
    k.embed(w, ids, out);
    const got = k.read(out);
    const rb = bytes.length / rows;
    ids.forEach((id, n) => {
      const want = Float32Array.from(dequantize(format, bytes, id * rb, cols));
      expect(got.subarray(n * cols, (n + 1) * cols)).toEqual(want);
    });
  });
});

describe("half precision", () => {
  it("the f16 embedding row decodes all 65536 bit patterns as the reference does (NaN stays NaN)", async () => {
    const k = await kernelsFor("simd", 1);
    const bytes = new Uint8Array(65536 * 2);
    const view = new DataView(bytes.buffer);
    for (let h = 0; h < 65536; h++) view.setUint16(h * 2, h, true);
    const w = k.upload("f16", 1, 65536, bytes);
    const out = k.alloc(65536);
    k.embed(w, [0], out);
    const got = k.read(out);
    for (let h = 0; h < 65536; h++) {
      const want = f16ToF32(h);
      if (Number.isNaN(want)) expect(got[h]).toBeNaN();
      else expect(got[h]).toBe(want);
    }
  });

  it("f32 → f16 (the KV cache write) rounds to nearest even like the reference, specials included", async () => {
    const k = await kernelsFor("relaxed", 2);
    const values = [
      ...randomValues(100_000, 12, 70_000),
      ...randomValues(1000, 13, 1e-5),
      0,
      -0,
      65504,
      65519.99,
      65520,
      -1e9,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      Number.NaN,
      2 ** -24,
      2 ** -25,
      3 * 2 ** -26,
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
    ];
    const src = k.alloc(values.length);
    const dst = k.alloc(values.length, "f16");
    k.write(src, values);
    k.toF16(src, dst, values.length);
    const got = new Uint16Array(k.memory.buffer, dst.ptr, values.length);
    for (let i = 0; i < values.length; i++) expect(got[i], `value ${values[i]}`).toBe(f32ToF16(values[i] ?? 0));
  });

  it("the reference f16 conversions round-trip every finite half", () => {
    for (let h = 0; h < 65536; h++) {
      const v = f16ToF32(h);
      if (Number.isNaN(v)) expect(Number.isNaN(f16ToF32(f32ToF16(v)))).toBe(true);
      else expect(f32ToF16(v)).toBe(h);
    }
  });
});

describe("copy", () => {
  it("copies a range between buffers and refuses ranges that overflow", async () => {
    const k = await kernelsFor("simd", 1);
    const [a, b] = [k.alloc(10), k.alloc(10)];
    k.write(a, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    k.copy(a, b, 3, 2, 5);
    expect(Array.from(k.read(b))).toEqual([0, 0, 0, 0, 0, 2, 3, 4, 0, 0]);
    expect(() => k.copy(a, b, 6, 0, 5)).toThrow(/overflows/);
    expect(() => k.copy(a, k.alloc(4, "f16"), 1)).toThrow(/one dtype/);
  });
});
