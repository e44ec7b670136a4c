/**
 * The WebGPU backend: picking an adapter (`"auto"` takes WebGPU only on a real GPU — a CPU fallback adapter such as
 * SwiftShader is slower than the WASM kernels; `"webgpu"` forces it), and moving a model loaded into WASM memory onto
 * the GPU: every matrix uploaded once in its GGUF block layout (a tied output shares the embedding's upload), norms as
 * f32 buffers, the run state and KV cache allocated on the device. The WASM copy is then freed, or kept as the fallback
 * a lost device or GPU out-of-memory switches to. kernels-webgpu is imported only when WebGPU is asked for.
 */
import type { Buffer, WeightTensor } from "@gemma-edge/kernels-wasm";
import type { CreateOptions, GpuBuffer, GpuWeightTensor, WebGpuKernels } from "@gemma-edge/kernels-webgpu";
import type { Fallback } from "./engine.js";
import type { Model } from "./forward.js";
import type { WasmModel } from "./load.js";
import { createRunState } from "./state.js";
import type { GemmaWeights, LayerWeights } from "./weights.js";

/** Where the model runs: the WASM-SIMD kernels, WebGPU, or WebGPU when a real (non-fallback) GPU adapter exists. */
export type BackendChoice = "wasm" | "webgpu" | "auto";

export interface WebGpuOptions extends CreateOptions {
  /** The WebGPU entry point (`navigator.gpu`, or `create([])` of Node's `webgpu` package). @default navigator.gpu */
  gpu?: GPU;
  /**
   * The engine rounds activations before quantized matmuls as the WASM kernels do (`"q8a"`), so both backends give
   * the same tokens; `"f32"` skips that pass. @default "q8a"
   */
  activations?: "f32" | "q8a";
}

/**
 * Opens the WebGPU kernels the choice asks for, or undefined for WASM: `"auto"` without WebGPU, or with only a
 * fallback adapter. `"webgpu"` without WebGPU throws `WebGpuUnavailableError`.
 */
export async function openWebGpu(
  choice: BackendChoice,
  options: WebGpuOptions = {},
): Promise<WebGpuKernels | undefined> {
  if (choice === "wasm") return undefined;
  const gpu = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (choice === "auto" && !gpu && !options.adapter && !options.device) return undefined;
  const { WebGpuKernels, WebGpuUnavailableError } = await import("@gemma-edge/kernels-webgpu");
  const { gpu: _gpu, ...rest } = options;
  const create: CreateOptions = { ...rest, activations: options.activations ?? "q8a" };
  let kernels: WebGpuKernels;
  try {
    const adapter = options.adapter ?? (options.device ? undefined : await gpu?.requestAdapter());
    kernels = await WebGpuKernels.create(adapter ? { ...create, adapter } : create);
  } catch (error) {
    if (choice === "auto" && WebGpuUnavailableError.isInstance(error)) return undefined;
    throw error;
  }
  if (choice === "auto" && kernels.fallback) {
    kernels.destroy();
    return undefined;
  }
  return kernels;
}

/** Uploads a WASM-loaded model to the GPU; the run state keeps the WASM one's batch, context and KV dtype. */
export function toWebGpu(model: WasmModel, gpu: WebGpuKernels): Model {
  const wasm = model.kernels;
  const uploaded = new Map<WeightTensor, GpuWeightTensor>();
  const matrix = (w: WeightTensor): GpuWeightTensor => {
    let g = uploaded.get(w);
    if (!g) {
      g = gpu.upload(w.format, w.rows, w.cols, wasm.ggufBytes(w));
      uploaded.set(w, g);
    }
    return g;
  };
  const norm = (b: Buffer): GpuBuffer => {
    const g = gpu.alloc(b.length);
    gpu.write(g, wasm.view(b));
    return g;
  };
  const layers = model.weights.layers.map(
    (l): LayerWeights<GpuBuffer, GpuWeightTensor> => ({
      attnNorm: norm(l.attnNorm),
      wq: matrix(l.wq),
      wk: matrix(l.wk),
      wv: matrix(l.wv),
      wo: matrix(l.wo),
      ffnNorm: norm(l.ffnNorm),
      wGate: matrix(l.wGate),
      wUp: matrix(l.wUp),
      wDown: matrix(l.wDown),
      ...(l.qNorm ? { qNorm: norm(l.qNorm) } : {}),
      ...(l.kNorm ? { kNorm: norm(l.kNorm) } : {}),
      ...(l.postAttnNorm ? { postAttnNorm: norm(l.postAttnNorm) } : {}),
      ...(l.postFfnNorm ? { postFfnNorm: norm(l.postFfnNorm) } : {}),
    }),
  );
  const weights: GemmaWeights<GpuBuffer, GpuWeightTensor> = {
    embed: matrix(model.weights.embed),
    output: matrix(model.weights.output),
    outputNorm: norm(model.weights.outputNorm),
    layers,
  };
  const kvDtype = model.state.keyCache[0]?.dtype === "f16" ? "f16" : "f32";
  const state = createRunState(gpu, model.config, {
    maxBatch: model.state.maxBatch,
    maxContext: model.state.maxContext,
    kvDtype,
  });
  return { kernels: gpu, config: model.config, weights, state };
}

/** The fallback from a GPU model to its WASM copy: taken on a lost device or GPU out of memory. */
export async function wasmFallback(wasm: WasmModel, onSwitch?: (error: unknown) => void): Promise<Fallback> {
  const { WebGpuError } = await import("@gemma-edge/kernels-webgpu");
  return {
    // by marker and name, so a second copy of kernels-webgpu in a bundle is recognized too
    when: (error) =>
      WebGpuError.isInstance(error) && (error.name === "DeviceLostError" || error.name === "GpuOutOfMemoryError"),
    to: () => wasm,
    ...(onSwitch ? { onSwitch } : {}),
  };
}
