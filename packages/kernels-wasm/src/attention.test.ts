import { describe, expect, it } from "vitest";
import { kernelsFor, maxAbs, maxError, VARIANTS } from "../test/fixture.js";
import { randomValues } from "./random-weights.js";
import { type AttentionShape, attention } from "./reference/attention.js";
import { f16ToF32, f32ToF16 } from "./reference/half.js";

/** Gemma-like shapes: MQA (Gemma 1/2B), GQA (Gemma 2), sliding windows, softcap, prefill batches, decode at depth. */
const CASES: Array<[string, AttentionShape]> = [
  [
    "Gemma 1 2B decode, MQA 8:1, hd 256",
    { nq: 1, nheads: 8, nkv: 1, hd: 256, pos0: 40, window: 0, scale: 1 / 16, softcap: 0 },
  ],
  [
    "Gemma 2 2B prefill, GQA 8:4, softcap 50",
    { nq: 6, nheads: 8, nkv: 4, hd: 256, pos0: 0, window: 0, scale: 1 / 16, softcap: 50 },
  ],
  [
    "sliding window 4 over 30 positions",
    { nq: 3, nheads: 4, nkv: 2, hd: 64, pos0: 27, window: 4, scale: 0.125, softcap: 0 },
  ],
  [
    "window 1: each query sees itself only",
    { nq: 4, nheads: 2, nkv: 2, hd: 8, pos0: 2, window: 1, scale: 1, softcap: 0 },
  ],
  [
    "MHA, odd head dim, first position",
    { nq: 1, nheads: 3, nkv: 3, hd: 10, pos0: 0, window: 0, scale: 0.3, softcap: 0 },
  ],
  [
    // keys go in blocks of four: every query here ends on a different leftover count, a window of 7 starts blocks
    // off the cache's alignment, and scale 2 makes the running max jump (a rescale) between blocks
    "blocks of four keys: leftovers 0–3, an unaligned window, steep scores",
    { nq: 4, nheads: 2, nkv: 1, hd: 12, pos0: 17, window: 7, scale: 2, softcap: 0 },
  ],
  [
    "blocks of four keys over a long context, softcap 50",
    { nq: 2, nheads: 4, nkv: 2, hd: 32, pos0: 301, window: 0, scale: 1.5, softcap: 50 },
  ],
  // heads that share a kv head go up to four at a time, key block by key block
  [
    "Gemma 1 2B prefill, MQA 8:1: two sets of four heads a query",
    { nq: 5, nheads: 8, nkv: 1, hd: 256, pos0: 3, window: 0, scale: 1 / 16, softcap: 0 },
  ],
  [
    // with 2 threads the 30 items go in chunks of 4, so chunks start at heads 4, 2 and 0 of a query
    "six heads on one kv head: four, then two; chunks that start mid-group; window and softcap",
    { nq: 5, nheads: 6, nkv: 1, hd: 20, pos0: 9, window: 5, scale: 0.5, softcap: 30 },
  ],
  [
    "GQA 8:2, groups of four heads, steep scores",
    { nq: 3, nheads: 8, nkv: 2, hd: 64, pos0: 40, window: 0, scale: 2, softcap: 0 },
  ],
  [
    "four heads on one kv head, head dim 6: one key at a time",
    { nq: 2, nheads: 4, nkv: 1, hd: 6, pos0: 11, window: 0, scale: 0.7, softcap: 0 },
  ],
];

describe.each(VARIANTS)("attention, %s build, %i thread(s)", (build, threads) => {
  describe.each(["f32", "f16"] as const)("KV cache in %s", (dtype) => {
    it.each(CASES)("%s", async (_name, shape) => {
      const k = await kernelsFor(build, threads);
      const { nq, nheads, nkv, hd, pos0 } = shape;
      const positions = pos0 + nq;
      const qs = randomValues(nq * nheads * hd, hd + nq, 2);
      let ks = randomValues(positions * nkv * hd, hd + 1, 2);
      let vs = randomValues(positions * nkv * hd, hd + 2, 3);
      const q = k.alloc(qs.length);
      const out = k.alloc(qs.length);
      k.write(q, qs);
      const cache = (values: Float32Array) => {
        const f32 = k.alloc(values.length);
        k.write(f32, values);
        if (dtype === "f32") return f32;
        const f16 = k.alloc(values.length, "f16");
        k.toF16(f32, f16, values.length);
        return f16;
      };
      const kb = cache(ks);
      const vb = cache(vs);
      if (dtype === "f16") {
        // the reference sees what the cache holds
        ks = Float32Array.from(ks, (x) => f16ToF32(f32ToF16(x)));
        vs = Float32Array.from(vs, (x) => f16ToF32(f32ToF16(x)));
      }
      k.attention({ q, k: kb, v: vb, out, ...shape });
      const want = attention(qs, ks, vs, shape);
      expect(maxError(k.read(out), want)).toBeLessThanOrEqual(2e-6 * maxAbs(vs) * Math.sqrt(positions));
    });
  });
});

describe("attention semantics", () => {
  it("a query that sees one key returns that key's value exactly", async () => {
    const k = await kernelsFor("simd", 1);
    const hd = 16;
    const [q, kc, vc, out] = [k.alloc(hd), k.alloc(3 * hd), k.alloc(3 * hd), k.alloc(hd)];
    k.write(q, randomValues(hd, 1));
    k.write(kc, randomValues(3 * hd, 2));
    const values = randomValues(3 * hd, 3);
    k.write(vc, values);
    k.attention({ q, k: kc, v: vc, out, nq: 1, nheads: 1, nkv: 1, hd, pos0: 2, window: 1, scale: 1 });
    expect(k.read(out)).toEqual(values.subarray(2 * hd));
  });
});
