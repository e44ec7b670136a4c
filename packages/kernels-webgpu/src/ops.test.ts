import { randomValues, reference } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { gpuKernels, worst } from "../test/gpu.js";

const kernels = gpuKernels();
/** Lengths: 1, not a multiple of the 256-thread workgroup, several workgroups. */
const LENGTHS = [1, 257, 5000];

async function upload(values: Float32Array) {
  const k = await kernels;
  const b = k.alloc(values.length);
  k.write(b, values);
  return b;
}

describe("element-wise ops", () => {
  it.each(LENGTHS)("add, mul, scale are exact f32 (n = %i), in place too", async (n) => {
    const k = await kernels;
    const a = randomValues(n, 1, 3);
    const b = randomValues(n, 2, 3);
    const [ga, gb, out] = [await upload(a), await upload(b), k.alloc(n)];
    k.add(ga, gb, out);
    expect(await k.read(out)).toEqual(Float32Array.from(a, (v, i) => v + (b[i] ?? 0)));
    k.mul(ga, gb, out);
    expect(await k.read(out)).toEqual(Float32Array.from(a, (v, i) => v * (b[i] ?? 0)));
    k.scale(ga, 0.375, out);
    expect(await k.read(out)).toEqual(Float32Array.from(a, (v) => v * 0.375));
    k.add(ga, gb, ga); // out aliases an input: routed through the scratch buffer
    k.mul(ga, ga, ga);
    expect(await k.read(ga)).toEqual(
      Float32Array.from(a, (v, i) => Math.fround(v + (b[i] ?? 0)) ** 2).map(Math.fround),
    );
  });

  it.each(LENGTHS)("geluGate and softcap within 2e-6 absolute (n = %i)", async (n) => {
    const k = await kernels;
    const gate = randomValues(n, 3, 6);
    const up = randomValues(n, 4, 2);
    if (n > 2) gate.set([40, -40]); // saturated tanh
    const out = k.alloc(n);
    k.geluGate(await upload(gate), await upload(up), out);
    const want = reference.geluGate(gate, up);
    const g = worst(await k.read(out), want, (i) => 2e-6 * (1 + Math.abs(want[i] ?? 0)));
    expect(g.ratio, `geluGate at ${g.at}`).toBeLessThanOrEqual(1);
    const x = await upload(gate);
    k.softcap(x, 5);
    const capped = reference.softcap(gate, 5);
    const s = worst(await k.read(x), capped, () => 5 * 2e-6);
    expect(s.ratio, `softcap at ${s.at}`).toBeLessThanOrEqual(1);
  });
});

describe("row ops", () => {
  it.each([
    [1, 1],
    [3, 100],
    [70, 2048],
    [2, 256000],
  ])("rmsnorm and softmax over %i×%i within 1e-5 relative", async (rows, dim) => {
    const k = await kernels;
    const xs = randomValues(rows * dim, rows + dim, 4);
    const ws = randomValues(dim, 7, 2);
    const [x, w, out] = [await upload(xs), await upload(ws), k.alloc(rows * dim)];
    k.rmsnorm(x, w, out, rows, dim, 1e-6);
    const want = reference.rmsnorm(xs, ws, rows, dim, 1e-6);
    const r = worst(await k.read(out), want, (i) => 1e-5 * Math.abs(want[i] ?? 0) + 1e-6);
    expect(r.ratio, `rmsnorm at ${r.at}`).toBeLessThanOrEqual(1);
    k.rmsnorm(x, w, x, rows, dim, 1e-6); // in place
    const inPlace = worst(await k.read(x), want, (i) => 1e-5 * Math.abs(want[i] ?? 0) + 1e-6);
    expect(inPlace.ratio).toBeLessThanOrEqual(1);
    const y = await upload(xs);
    k.softmax(y, rows, dim);
    const p = reference.softmax(xs, rows, dim);
    const s = worst(await k.read(y), p, (i) => 1e-5 * Math.abs(p[i] ?? 0) + 1e-9);
    expect(s.ratio, `softmax at ${s.at}`).toBeLessThanOrEqual(1);
  });

  it.each([
    [1, 1, 2, 10000],
    [3, 8, 256, 10000],
    [2, 5, 128, 1_000_000],
  ])("rope (%i tokens × %i heads × hd %i, θ %i) within 1e-6 of |x|", async (ntok, nheads, hd, theta) => {
    const k = await kernels;
    const xs = randomValues(ntok * nheads * hd, hd, 3);
    const positions = Array.from({ length: ntok }, (_, t) => 4093 + 7 * t);
    const x = await upload(xs);
    k.rope(x, ntok, nheads, hd, positions, theta);
    k.rope(x, ntok, nheads, hd, positions, theta); // twice in one batch: each dispatch keeps its own tables
    const { cos, sin } = reference.ropeTables(positions, hd, theta);
    const once = Float32Array.from(reference.rope(xs, ntok, nheads, hd, cos, sin));
    const want = reference.rope(once, ntok, nheads, hd, cos, sin);
    const r = worst(await k.read(x), want, () => 1e-6 * 2 * 3);
    expect(r.ratio, `rope at ${r.at}`).toBeLessThanOrEqual(1);
  });
});

describe("f16 KV cache, copies and writes", () => {
  it("toF16 rounds like the reference (ties, subnormals, overflow) at odd offsets", async () => {
    const k = await kernels;
    const xs = Float32Array.from([
      ...randomValues(61, 9, 70000),
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      2 ** -20,
      -(2 ** -25),
      65520,
      0,
    ]);
    const cache = k.alloc(200, "f16");
    k.write(
      cache,
      Array.from({ length: 200 }, () => 7),
    ); // the neighbours of odd offsets must survive
    k.toF16(await upload(xs), cache, xs.length, 3);
    const got = await k.read(cache);
    const want = Float32Array.from(xs, (v) => reference.f16ToF32(reference.f32ToF16(v)));
    expect(got.subarray(3, 3 + xs.length)).toEqual(want);
    expect([got[2], got[3 + xs.length]]).toEqual([7, 7]);
  });

  it("copy moves f32 and f16 runs at any offsets; write stages in op order", async () => {
    const k = await kernels;
    const xs = randomValues(300, 11, 2);
    const src = await upload(xs);
    const dst = k.alloc(400);
    k.copy(src, dst, 100, 17, 201);
    expect((await k.read(dst)).subarray(201, 301)).toEqual(xs.subarray(17, 117));
    const h = k.alloc(301, "f16");
    const h2 = k.alloc(301, "f16");
    k.toF16(src, h, 300);
    k.copy(h, h2, 99, 5, 100); // odd length and offsets: the word-wise shader
    k.copy(h, h2, 100, 0, 200); // even: a buffer copy
    const hv = await k.read(h);
    const h2v = await k.read(h2);
    expect(h2v.subarray(100, 199)).toEqual(hv.subarray(5, 104));
    expect(h2v.subarray(200, 300)).toEqual(hv.subarray(0, 100));
    expect(h2v[99]).toBe(0);
    const b = await upload(Float32Array.of(1, 2, 3));
    k.scale(b, 2, b);
    k.write(b, [10], 1); // after the scale, before the add
    k.add(b, b, b);
    expect(await k.read(b)).toEqual(Float32Array.of(4, 20, 12));
  });
});
