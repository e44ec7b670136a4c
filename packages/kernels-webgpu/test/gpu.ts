/**
 * Test fixture: WebGPU in Node through the `webgpu` package (Dawn), on whatever adapter it finds — SwiftShader here
 * (vitest.config.ts points VK_ICD_FILENAMES at Debian chromium's driver) — and the scalar-reference helpers.
 */
import { FORMATS, reference, rowBytes, type WeightFormat } from "@gemma-edge/kernels-wasm";
import { create, globals } from "webgpu";
import { type CreateOptions, WebGpuKernels } from "../src/index.js";

Object.assign(globalThis, globals);

let gpu: GPU | undefined;

export async function adapter(): Promise<GPUAdapter> {
  gpu ??= create([]);
  const found = await gpu.requestAdapter();
  if (!found) throw new Error("no WebGPU adapter: is VK_ICD_FILENAMES set to a Vulkan driver?");
  return found;
}

/** Kernels on a fresh device of the test adapter. */
export async function gpuKernels(options: Omit<CreateOptions, "adapter" | "device"> = {}): Promise<WebGpuKernels> {
  return WebGpuKernels.create({ adapter: await adapter(), ...options });
}

/** Y = dequant(W) · X in f64 with f32 activations (the GPU path does not quantize them), and Σ|w·x| per output. */
export function referenceMatmul(
  format: WeightFormat,
  w: Uint8Array,
  rows: number,
  cols: number,
  x: Float32Array,
  ntok: number,
): { y: Float64Array; magnitude: Float64Array } {
  const y = new Float64Array(ntok * rows);
  const magnitude = new Float64Array(ntok * rows);
  const rb = rowBytes(format, cols);
  for (let r = 0; r < rows; r++) {
    const wr = reference.dequantize(format, w, r * rb, cols);
    for (let t = 0; t < ntok; t++) {
      let s = 0;
      let m = 0;
      for (let i = 0; i < cols; i++) {
        const p = (wr[i] ?? 0) * (x[t * cols + i] ?? 0);
        s += p;
        m += Math.abs(p);
      }
      y[t * rows + r] = s;
      magnitude[t * rows + r] = m;
    }
  }
  return { y, magnitude };
}

/** The largest |got − want| / (rel · |scale| + abs) over all values: ≤ 1 means within bounds. */
export function worst(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  bound: (i: number) => number,
): { ratio: number; at: number } {
  let ratio = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const r = Math.abs((got[i] ?? Number.NaN) - (want[i] ?? 0)) / bound(i);
    if (!(r <= ratio)) {
      ratio = r;
      at = i;
    }
  }
  return { ratio, at };
}

export const blockSize = (format: WeightFormat) => FORMATS[format].blockSize;
