/**
 * A numeric self-test run on every load: small matmuls in each quantized format, and over packed rows (four tokens
 * and a leftover one, the two packed kernels), against the scalar reference. It is what tells a correct relaxed-SIMD
 * engine from one that only validates (Node 20 miscomputes a relaxed op).
 */
import { FORMATS, type WeightFormat } from "./formats.js";
import type { WasmKernels } from "./kernels.js";
import { randomValues, randomWeights } from "./random-weights.js";
import { referenceMatmul } from "./reference/matmul.js";

const FORMATS_TESTED: WeightFormat[] = ["q4_0", "q8_0", "q4_k", "q6_k", "f16"];

/** Returns undefined when every case matches, else a description of the first mismatch. */
export function selfTest(kernels: WasmKernels): string | undefined {
  const rows = 5;
  const cols = 512;
  const ntok = 5;
  const x = kernels.alloc(ntok * cols);
  const y = kernels.alloc(ntok * rows);
  kernels.write(x, randomValues(ntok * cols, 7));
  const cases = [...FORMATS_TESTED.map((f) => [f, false] as const), ["q4_0", true] as const, ["q8_0", true] as const];
  for (const [format, packed] of cases) {
    const bytes = randomWeights(format, rows, cols, FORMATS[format].ggmlType + 1);
    let w = kernels.upload(format, rows, cols, bytes);
    if (packed) {
      if (!kernels.canPack(w)) continue;
      w = kernels.pack(w);
    }
    kernels.matmul(w, x, y, ntok);
    const got = kernels.read(y);
    const want = referenceMatmul(format, bytes, rows, cols, kernels.read(x), ntok);
    for (let i = 0; i < got.length; i++) {
      const err = Math.abs((got[i] ?? 0) - (want.y[i] ?? 0));
      if (!(err <= 1e-4 * (want.magnitude[i] ?? 0) + 1e-6)) {
        return `${format}${packed ? " (packed)" : ""} output ${i}: got ${got[i]}, want ${want.y[i]}`;
      }
    }
  }
  return undefined;
}
