/** Loads each build at 1 and 2 threads once per test file, and closes them afterwards. */
import { afterAll } from "vitest";
import type { WasmKernels } from "../src/kernels.js";
import { loadKernels } from "../src/loader.js";

export const VARIANTS = [
  ["simd", 1],
  ["simd", 2],
  ["relaxed", 1],
  ["relaxed", 2],
] as const;

const cache = new Map<string, Promise<WasmKernels>>();
afterAll(async () => {
  for (const k of cache.values()) (await k).close();
});

export function kernelsFor(build: "simd" | "relaxed", threads: number): Promise<WasmKernels> {
  const key = `${build}/${threads}`;
  let k = cache.get(key);
  if (!k) {
    k = loadKernels({ build, threads });
    cache.set(key, k);
  }
  return k;
}

/** max |got − want| over the arrays. */
export function maxError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < want.length; i++) e = Math.max(e, Math.abs((got[i] ?? Number.NaN) - (want[i] ?? 0)));
  return e;
}

/** max |x|. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] ?? 0));
  return m;
}

/** How many entries differ (bitwise equality of f32 values; NaN never matches). */
export function mismatches(got: Float32Array, want: Float32Array): number {
  let n = got.length === want.length ? 0 : Math.abs(got.length - want.length);
  for (let i = 0; i < Math.min(got.length, want.length); i++) if (got[i] !== want[i]) n++;
  return n;
}
