import { randomValues, reference } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { gpuKernels, worst } from "../test/gpu.js";

const kernels = gpuKernels();

interface Case {
  nq: number;
  nheads: number;
  nkv: number;
  hd: number;
  pos0: number;
  window: number;
  softcap: number;
}

const CASES: Array<[string, Case]> = [
  ["one query at position 0 (MHA)", { nq: 1, nheads: 2, nkv: 2, hd: 8, pos0: 0, window: 0, softcap: 0 }],
  ["decode, MQA, hd 256, 150 keys", { nq: 1, nheads: 8, nkv: 1, hd: 256, pos0: 149, window: 0, softcap: 0 }],
  ["prefill, GQA, softcap 50", { nq: 5, nheads: 4, nkv: 2, hd: 128, pos0: 70, window: 0, softcap: 50 }],
  ["sliding window 32 over 100 keys", { nq: 3, nheads: 4, nkv: 1, hd: 64, pos0: 97, window: 32, softcap: 0 }],
  ["hd 512, odd head dims", { nq: 2, nheads: 2, nkv: 1, hd: 512, pos0: 3, window: 0, softcap: 0 }],
  ["hd 40 (not a multiple of 64)", { nq: 2, nheads: 3, nkv: 3, hd: 40, pos0: 66, window: 64, softcap: 30 }],
];

describe.each(["f32", "f16"] as const)("attention over an %s cache", (dtype) => {
  it.each(CASES)("%s: within 2e-5 of the f64 reference", async (_, c) => {
    const k = await kernels;
    const positions = c.pos0 + c.nq;
    const width = c.nkv * c.hd;
    const qs = randomValues(c.nq * c.nheads * c.hd, 1 + c.hd, 2);
    const ks = randomValues(positions * width, 2 + c.hd, 2);
    const vs = randomValues(positions * width, 3 + c.hd, 1);
    const q = k.alloc(qs.length);
    k.write(q, qs);
    const [kc, vc] = [k.alloc(ks.length, dtype), k.alloc(vs.length, dtype)];
    k.write(kc, ks);
    k.write(vc, vs);
    const out = k.alloc(qs.length);
    const scale = 1 / Math.sqrt(c.hd);
    k.attention({ q, k: kc, v: vc, out, ...c, scale });
    // the reference reads the cache as stored (f16-rounded for an f16 cache)
    const [kr, vr] = dtype === "f16" ? [await k.read(kc), await k.read(vc)] : [ks, vs];
    const want = reference.attention(qs, kr, vr, { ...c, scale });
    const r = worst(await k.read(out), want, () => 2e-5);
    expect(r.ratio, `out ${r.at}`).toBeLessThanOrEqual(1);
  });
});

it("attention may write over its queries", async () => {
  const k = await kernels;
  const c = { nq: 2, nheads: 2, nkv: 1, hd: 16, pos0: 5, window: 0, softcap: 0, scale: 0.25 };
  const qs = randomValues(c.nq * c.nheads * c.hd, 5, 1);
  const kv = randomValues((c.pos0 + c.nq) * c.hd, 6, 1);
  const [q, kc] = [k.alloc(qs.length), k.alloc(kv.length)];
  k.write(q, qs);
  k.write(kc, kv);
  k.attention({ q, k: kc, v: kc, out: q, ...c });
  const want = reference.attention(qs, kv, kv, c);
  expect(worst(await k.read(q), want, () => 2e-5).ratio).toBeLessThanOrEqual(1);
});
