import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { kernelsFor } from "../test/fixture.js";
import {
  BufferRangeError,
  KernelError,
  KernelLoadError,
  KernelMemoryError,
  KernelTrapError,
  ShapeError,
  UnsupportedFormatError,
} from "./errors.js";
import { type KernelExports, WasmKernels } from "./kernels.js";
import { loadKernels, loadKernelsWithReport, newMemory } from "./loader.js";
import { randomWeights } from "./random-weights.js";

const wasm = (name: string) => readFileSync(new URL(`../dist/wasm/kernels-${name}.wasm`, import.meta.url));

describe("typed errors at the TypeScript boundary", () => {
  it("rejects weights whose bytes, shape or format do not fit", async () => {
    const k = await kernelsFor("simd", 1);
    expect(() => k.upload("q8_0", 4, 64, new Uint8Array(10))).toThrow(ShapeError);
    expect(() => k.upload("q4_k", 1, 100, new Uint8Array(144))).toThrow(/whole blocks of 256/);
    expect(() => k.upload("q3_k" as never, 1, 256, new Uint8Array(110))).toThrow(UnsupportedFormatError);
    expect(() => k.upload("f32", 0, 4, new Uint8Array(0))).toThrow(ShapeError);
  });

  it("rejects operands that are too short, foreign or of the wrong kind", async () => {
    const k = await kernelsFor("simd", 1);
    const other = await kernelsFor("relaxed", 1);
    const w = k.upload("q4_0", 8, 64, randomWeights("q4_0", 8, 64, 1));
    const x = k.alloc(64);
    expect(() => k.matvec(w, x, k.alloc(7))).toThrow(ShapeError);
    expect(() => k.matmul(w, x, k.alloc(16), 2)).toThrow(/x needs 2×64/);
    expect(() => k.matvec(w, other.alloc(64), k.alloc(8))).toThrow(BufferRangeError);
    expect(() => k.matvec(w, { ptr: x.ptr, length: 64, dtype: "f32" }, k.alloc(8))).toThrow(BufferRangeError);
    const f = k.upload("f32", 8, 64, randomWeights("f32", 8, 64, 1));
    expect(() => k.matvec(f, k.quantize(x, 1, 64), k.alloc(8))).toThrow(UnsupportedFormatError);
    expect(() => k.embed(w, [8], k.alloc(64))).toThrow(/outside 0\.\.7/);
    expect(() => k.embed(w, [1.5], k.alloc(64))).toThrow(ShapeError);
    const kv = k.alloc(64);
    expect(() =>
      k.attention({ q: kv, k: kv, v: kv, out: kv, nq: 1, nheads: 3, nkv: 2, hd: 8, pos0: 0, scale: 1 }),
    ).toThrow(/multiple of nkv/);
    expect(() =>
      k.attention({ q: kv, k: kv, v: kv, out: kv, nq: 1, nheads: 2, nkv: 1, hd: 8, pos0: 8, scale: 1 }),
    ).toThrow(/hold 9 positions/);
    expect(() => k.alloc(-1)).toThrow(ShapeError);
  });

  it("asking for more than wasm32's 4 GiB is a KernelMemoryError, and the instance stays usable", async () => {
    const k = await kernelsFor("simd", 1);
    expect(() => k.alloc(2 ** 30)).toThrow(KernelMemoryError);
    expect(() => k.alloc(2 ** 30)).toThrow(/4 GiB/);
    expect(k.alloc(16).length).toBe(16);
  });

  it("a wasm trap becomes a KernelTrapError", () => {
    const memory = newMemory(false);
    const exports = {
      add() {
        throw new WebAssembly.RuntimeError("unreachable");
      },
    } as unknown as KernelExports;
    const k = new WasmKernels(exports, memory, "simd");
    const a = k.alloc(4);
    expect(() => k.add(a, a, a)).toThrow(KernelTrapError);
  });

  it("every error is a KernelError with a stable name", () => {
    const e = new ShapeError("x");
    expect(KernelError.isInstance(e)).toBe(true);
    expect(KernelError.isInstance(new Error("x"))).toBe(false);
    expect(e.name).toBe("ShapeError");
  });
});

describe("loading", () => {
  it("auto picks relaxed SIMD on this Node (V8 flag enabled in-process) after its self-test", async () => {
    const { kernels, report } = await loadKernelsWithReport();
    expect(report).toEqual({ build: "relaxed", threads: 1 });
    expect(kernels.exports.build_relaxed()).toBe(1);
  });

  it("falls back to plain SIMD when relaxed SIMD does not load, and says why", async () => {
    const corrupt = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]);
    const { report } = await loadKernelsWithReport({ modules: { relaxed: corrupt } });
    expect(report.build).toBe("simd");
    expect(report.relaxedUnavailable).toMatch(/./);
  });

  it("refuses a module that is not the build it claims to be", async () => {
    await expect(loadKernels({ build: "relaxed", modules: { relaxed: wasm("simd") } })).rejects.toThrow(
      KernelLoadError,
    );
  });

  it("a corrupt or truncated module is a KernelLoadError", async () => {
    const bytes = wasm("simd");
    await expect(
      loadKernels({ build: "simd", modules: { simd: bytes.subarray(0, bytes.length / 2) } }),
    ).rejects.toThrow(KernelLoadError);
    await expect(loadKernels({ build: "simd", modules: { simd: new Uint8Array([1, 2, 3]) } })).rejects.toThrow(/SIMD/);
  });

  it("accepts precompiled modules (how workerd and bundlers pass them)", async () => {
    const simd = new WebAssembly.Module(wasm("simd"));
    const { kernels, report } = await loadKernelsWithReport({ build: "simd", modules: { simd } });
    expect(report.build).toBe("simd");
    kernels.close();
  });

  it("the threads builds import shared memory, the others private memory", () => {
    const env = (shared: boolean) => ({ env: { memory: newMemory(shared), abort: () => {} } });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(wasm("simd-threads")), env(false))).toThrow(
      WebAssembly.LinkError,
    );
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(wasm("simd-threads")), env(true))).not.toThrow();
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(wasm("simd")), env(true))).toThrow(
      WebAssembly.LinkError,
    );
  });
});
