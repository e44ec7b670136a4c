import { randomValues, randomWeights, reference, rowBytes, WEIGHT_FORMATS } from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { blockSize, gpuKernels, referenceMatmul, worst } from "../test/gpu.js";

const kernels = gpuKernels();

describe("embed", () => {
  it.each(WEIGHT_FORMATS)("%s rows are dequantized exactly (f32 of the reference)", async (format) => {
    const k = await kernels;
    const rows = 70;
    const cols = blockSize(format) === 1 ? 45 : 2 * blockSize(format) * (format.endsWith("_k") ? 1 : 4);
    const bytes = randomWeights(format, rows, cols, 3);
    const w = k.upload(format, rows, cols, bytes);
    const ids = [69, 0, 33, 33, 1];
    const out = k.alloc(ids.length * cols);
    k.embed(w, ids, out);
    const got = await k.read(out);
    const rb = rowBytes(format, cols);
    ids.forEach((id, i) => {
      const want = Float32Array.from(reference.dequantize(format, bytes, id * rb, cols));
      const r = worst(got.subarray(i * cols, (i + 1) * cols), want, (j) => 2e-7 * Math.abs(want[j] ?? 0) + 1e-30);
      expect(r.ratio, `${format} id ${id} value ${r.at}`).toBeLessThanOrEqual(1);
    });
  });
});

describe("a 256000-row matrix (Gemma's vocabulary) split across bindings and dispatch rows", () => {
  it.each(["q8_0", "q4_0"] as const)("%s: matvec and embed over 4 parts", async (format) => {
    // capping a binding at a quarter of the tensor (+4 KiB) splits it into 4 parts, and 256000 rows need a 2-D
    // grid of workgroups (8000 workgroups with x capped at 1000 here, as 256000 rows × 2048 are on a real GPU)
    const rows = 256000;
    const cols = 64;
    const bytes = randomWeights(format, rows, cols, 17);
    const k = await gpuKernels({ maxBindingBytes: bytes.length / 4 + 4096, maxWorkgroupsPerDimension: 1000 });
    const w = k.upload(format, rows, cols, bytes);
    expect(w.parts).toBe(4);
    const xs = randomValues(cols, 5, 1);
    const x = k.alloc(cols);
    const y = k.alloc(rows);
    k.write(x, xs);
    k.matvec(w, x, y);
    const got = await k.read(y);
    const want = referenceMatmul(format, bytes, rows, cols, xs, 1);
    const r = worst(got, want.y, (i) => 2e-6 * (want.magnitude[i] ?? 0) + 1e-6);
    expect(r.ratio, `row ${r.at}`).toBeLessThanOrEqual(1);
    const ids = [255999, 0, 70000, 191999, 192000, 128000];
    const out = k.alloc(ids.length * cols);
    k.embed(w, ids, out);
    const emb = await k.read(out);
    const rb = rowBytes(format, cols);
    ids.forEach((id, i) => {
      const row = Float32Array.from(reference.dequantize(format, bytes, id * rb, cols));
      expect(emb.subarray(i * cols, (i + 1) * cols), `id ${id}`).toEqual(row);
    });
    k.destroy();
  });
});
