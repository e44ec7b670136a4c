/** Opening the `--model` file: a clear UsageError when it is missing or absent. */
import { existsSync } from "node:fs";
import type { BackendChoice, ByteSource, WebGpuOptions } from "@gemma-edge/gemma";
import { fileSource } from "@gemma-edge/gemma/node";
import { UsageError } from "../io.js";

export async function openModel(path: string | undefined): Promise<ByteSource> {
  if (!path) throw new UsageError("--model PATH is required (a Gemma GGUF file)");
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  return fileSource(path);
}

export function intOption(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got ${value}`);
  return n;
}

export function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${value}`);
  return n;
}

/**
 * `--backend wasm|webgpu|auto` as loadModel options. WebGPU in Node comes from the optional `webgpu` package (Dawn);
 * without it `webgpu` is a UsageError and `auto` means WASM.
 */
export async function backendOptions(
  value: string | undefined,
): Promise<{ backend: BackendChoice; webgpu?: WebGpuOptions }> {
  const backend = value ?? "auto";
  if (backend !== "wasm" && backend !== "webgpu" && backend !== "auto")
    throw new UsageError(`--backend must be wasm, webgpu or auto, got ${backend}`);
  if (backend === "wasm") return { backend };
  let dawn: { create(flags: string[]): GPU; globals: object };
  try {
    dawn = (await import("webgpu")) as unknown as typeof dawn;
  } catch {
    if (backend === "auto") return { backend: "wasm" };
    throw new UsageError("--backend webgpu needs the `webgpu` package (npm install webgpu)");
  }
  Object.assign(globalThis, dawn.globals);
  return { backend, webgpu: { gpu: dawn.create([]) } };
}
