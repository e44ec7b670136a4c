import {
  BufferRangeError,
  KernelError,
  randomWeights,
  ShapeError,
  UnsupportedFormatError,
  type WeightFormat,
} from "@gemma-edge/kernels-wasm";
import { describe, expect, it } from "vitest";
import { gpuKernels } from "../test/gpu.js";
import { DeviceLostError, GpuOutOfMemoryError, WebGpuError } from "./errors.js";

const kernels = gpuKernels();

describe("typed errors", () => {
  it("bad shapes and formats", async () => {
    const k = await kernels;
    expect(() => k.upload("q4_0", 2, 48, new Uint8Array(54))).toThrow(ShapeError); // not whole blocks
    expect(() => k.upload("q4_0", 2, 64, new Uint8Array(10))).toThrow(ShapeError); // wrong byte count
    expect(() => k.upload("q5_0" as WeightFormat, 1, 32, new Uint8Array(22))).toThrow(UnsupportedFormatError);
    const w = k.upload("q8_0", 4, 64, randomWeights("q8_0", 4, 64, 1));
    const x = k.alloc(64);
    expect(() => k.matmul(w, x, k.alloc(3))).toThrow(ShapeError);
    expect(() => k.matmul(w, k.alloc(63), k.alloc(4))).toThrow(ShapeError);
    expect(() => k.matmul(w, x, k.alloc(8), 2)).toThrow(ShapeError); // x holds one token
    expect(() => k.matmul(w, x, x)).toThrow(ShapeError);
    expect(() => k.rmsnorm(x, x, x, 2, 64, 1e-6)).toThrow(ShapeError);
    expect(() => k.softcap(x, 0)).toThrow(ShapeError);
    expect(() => k.rope(x, 1, 1, 63, [0], 10000)).toThrow(ShapeError);
    expect(() => k.embed(w, [4], k.alloc(64))).toThrow(ShapeError);
    expect(() => k.alloc(0)).toThrow(ShapeError);
    const base = { q: x, k: x, v: x, out: x, nq: 1, nheads: 4, nkv: 3, hd: 16, pos0: 0, scale: 1 };
    expect(() => k.attention(base)).toThrow(ShapeError); // 4 heads over 3 KV heads
    expect(() => k.attention({ ...base, nheads: 1, nkv: 1, hd: 64, pos0: 1 })).toThrow(ShapeError); // cache too short
    expect(() => k.attention({ ...base, nheads: 1, nkv: 1, hd: 64, k: k.alloc(64, "f16") })).toThrow(ShapeError);
    expect(() => k.toF16(x, k.alloc(64), 64)).toThrow(ShapeError); // dst is not f16
  });

  it("buffers from elsewhere or released", async () => {
    const k = await kernels;
    const other = await gpuKernels();
    const mine = k.alloc(8);
    expect(() => k.add(mine, other.alloc(8), mine)).toThrow(BufferRangeError);
    expect(() => k.add(mine, { length: 8, dtype: "f32" }, mine)).toThrow(BufferRangeError);
    const w = other.upload("f32", 1, 8, new Uint8Array(32));
    expect(() => k.matvec(w, mine, mine)).toThrow(BufferRangeError);
    k.release(mine);
    expect(() => k.scale(mine, 2, mine)).toThrow(BufferRangeError);
    expect(() => k.alloc(2 ** 31)).toThrow(BufferRangeError); // past the binding limit
    other.destroy();
  });

  it("a lost device raises DeviceLostError", async () => {
    const k = await gpuKernels();
    const x = k.alloc(4);
    k.destroy();
    await new Promise((r) => setTimeout(r, 10));
    let error: unknown;
    try {
      k.scale(x, 2, x);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DeviceLostError);
    expect(WebGpuError.isInstance(error) && KernelError.isInstance(error)).toBe(true);
    await expect(k.read(x)).rejects.toThrow(DeviceLostError);
  });

  it("out-of-memory and device-lost errors carry their names and markers", () => {
    const e = new GpuOutOfMemoryError("x");
    expect([e.name, WebGpuError.isInstance(e), WebGpuError.isInstance(new Error("x"))]).toEqual([
      "GpuOutOfMemoryError",
      true,
      false,
    ]);
  });
});
