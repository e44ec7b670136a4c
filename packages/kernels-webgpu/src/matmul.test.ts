import {
  FORMATS,
  loadKernels,
  randomValues,
  randomWeights,
  WEIGHT_FORMATS,
  type WeightFormat,
} from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { blockSize, gpuKernels, referenceMatmul, worst } from "../test/gpu.js";

/** One row, rows not a multiple of the 64-thread workgroup, several tokens (incl. a partial group of 4), a long row. */
function shapesFor(format: WeightFormat): Array<[rows: number, cols: number, ntok: number]> {
  const b = blockSize(format);
  const col = (n: number) => Math.max(b, Math.ceil(n / b) * b);
  return [
    [1, col(32), 1],
    [7, col(256), 1],
    [67, col(512), 6],
    [130, col(2048), 1],
    [3, col(8192), 2],
    ...(b === 1 ? ([[5, 37, 2]] as Array<[number, number, number]>) : []),
  ];
}

const kernels = gpuKernels();

describe("matmul", () => {
  it.each(WEIGHT_FORMATS)("%s matches the f64 reference within 2e-6 of Σ|w·x|", async (format) => {
    const k = await kernels;
    for (const [rows, cols, ntok] of shapesFor(format)) {
      const bytes = randomWeights(format, rows, cols, rows * 31 + cols);
      const xs = randomValues(ntok * cols, cols + ntok, 2);
      const w = k.upload(format, rows, cols, bytes);
      const x = k.alloc(ntok * cols);
      const y = k.alloc(ntok * rows);
      k.write(x, xs);
      k.matmul(w, x, y, ntok);
      const got = await k.read(y);
      const want = referenceMatmul(format, bytes, rows, cols, xs, ntok);
      const { ratio, at } = worst(got, want.y, (i) => 2e-6 * (want.magnitude[i] ?? 0) + 1e-6);
      expect(
        ratio,
        `${format} ${rows}×${cols} ntok ${ntok}: out ${at} = ${got[at]}, want ${want.y[at]}`,
      ).toBeLessThanOrEqual(1);
    }
  });
});

describe('matmul with activations: "q8a"', () => {
  const rounded = gpuKernels({ activations: "q8a" });
  const quantized = WEIGHT_FORMATS.filter((f) => FORMATS[f].quantized);

  it.each(quantized)(
    "%s reads the activations kernels-wasm quantizes: equal to its matmul within 1e-5",
    async (format) => {
      const k = await rounded;
      const wasm = await loadKernels({ threads: 1 });
      for (const [rows, cols, ntok] of shapesFor(format)) {
        const bytes = randomWeights(format, rows, cols, rows * 17 + cols);
        const xs = randomValues(ntok * cols, cols + 3 * ntok, 3);
        const w = k.upload(format, rows, cols, bytes);
        const x = k.alloc(ntok * cols);
        const y = k.alloc(ntok * rows);
        k.write(x, xs);
        k.matmul(w, x, y, ntok);
        const got = await k.read(y);

        const ww = wasm.upload(format, rows, cols, bytes);
        const wx = wasm.alloc(ntok * cols);
        const wy = wasm.alloc(ntok * rows);
        wasm.write(wx, xs);
        wasm.matmul(ww, wasm.quantize(wx, ntok, cols), wy, ntok);
        const want = wasm.read(wy);
        const plain = referenceMatmul(format, bytes, rows, cols, xs, ntok);
        const { ratio, at } = worst(got, want, (i) => 1e-5 * (plain.magnitude[i] ?? 0) + 1e-6);
        expect(
          ratio,
          `${format} ${rows}×${cols} ntok ${ntok}: out ${at} = ${got[at]}, want ${want[at]}`,
        ).toBeLessThanOrEqual(1);
      }
      wasm.close();
    },
  );

  it("leaves float weights' activations as they are", async () => {
    const k = await rounded;
    const x = k.alloc(64);
    expect(k.quantizeIfNeeded(k.upload("f16", 1, 64, new Uint8Array(128)), x, 1)).toBe(x);
    expect(k.quantizeIfNeeded(k.upload("q8_0", 1, 64, new Uint8Array(68)), x, 1)).not.toBe(x);
  });
});
