import { afterAll, describe, expect, it } from "vitest";
import { FORMATS, WEIGHT_FORMATS, type WeightFormat } from "./formats.js";
import type { WasmKernels } from "./kernels.js";
import { loadKernels } from "./loader.js";
import { randomValues, randomWeights } from "./random-weights.js";
import { referenceMatmul } from "./reference/matmul.js";

const builds = ["simd", "relaxed"] as const;
const loaded: WasmKernels[] = [];
afterAll(() => {
  for (const k of loaded) k.close();
});

async function kernelsFor(build: "simd" | "relaxed", threads: number): Promise<WasmKernels> {
  const k = await loadKernels({ build, threads });
  loaded.push(k);
  return k;
}

/** Shapes that stress the kernels' edges: one row, row counts that are not a multiple of 4, many blocks. */
function shapesFor(format: WeightFormat): Array<[number, number, number]> {
  const b = FORMATS[format].blockSize;
  const col = (n: number) => Math.max(b, Math.ceil(n / b) * b);
  return [
    [1, col(32), 1],
    [7, col(256), 1],
    [13, col(512), 3],
    [130, col(1024), 2],
    ...(b === 1 ? ([[5, 37, 2]] as Array<[number, number, number]>) : []),
  ];
}

describe.each(builds)("matmul, %s build", (build) => {
  describe.each([1, 2])("%i thread(s)", (threads) => {
    it.each(WEIGHT_FORMATS)("%s matches the scalar reference within 1e-5 of Σ|w·x|", async (format) => {
      const k = await kernelsFor(build, threads);
      for (const [rows, cols, ntok] of shapesFor(format)) {
        const bytes = randomWeights(format, rows, cols, rows * 31 + cols);
        const xs = randomValues(ntok * cols, cols + ntok, 2);
        const w = k.upload(format, rows, cols, bytes);
        const x = k.alloc(ntok * cols);
        const y = k.alloc(ntok * rows);
        k.write(x, xs);
        k.matmul(w, x, y, ntok);
        const got = k.read(y);
        const want = referenceMatmul(format, bytes, rows, cols, xs, ntok);
        for (let i = 0; i < got.length; i++) {
          const bound = 1e-5 * (want.magnitude[i] ?? 0) + 1e-7;
          expect(
            Math.abs((got[i] ?? 0) - (want.y[i] ?? 0)),
            `${format} ${rows}×${cols} ntok ${ntok} out ${i}`,
          ).toBeLessThanOrEqual(bound);
        }
      }
    });
  });
});
