/**
 * The model's weights in kernel memory, llama2.c style: one plain structure with a shape comment on every tensor.
 * Matrices stay in their file's block layout (never expanded to f32); norm vectors become f32 buffers holding the
 * multiplier Gemma uses, `1 + w` (GGUF already stores it; Hugging Face stores `w`, so 1 is added here — the one place
 * that knows, for every file format).
 */
import type { Buffer, WasmKernels, WeightTensor } from "@gemma-edge/kernels-wasm";
import type { ByteSource } from "../byte-source.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import type { GgufTensorInfo } from "../gguf/types.js";
import { type StreamProgress, streamTensorData } from "../tensor-stream.js";
import type { EngineBuffer, EngineWeight } from "./engine-kernels.js";
import { planWeights } from "./weight-shapes.js";

export interface LayerWeights<B extends EngineBuffer = EngineBuffer, W extends EngineWeight = EngineWeight> {
  attnNorm: B; // [H]
  wq: W; // [nh·hd, H]
  wk: W; // [nkv·hd, H]
  wv: W; // [nkv·hd, H]
  wo: W; // [H, nh·hd]
  qNorm?: B; // [hd] (Gemma 3)
  kNorm?: B; // [hd] (Gemma 3)
  postAttnNorm?: B; // [H] (Gemma 2, 3)
  ffnNorm: B; // [H]
  wGate: W; // [I, H]
  wUp: W; // [I, H]
  wDown: W; // [H, I]
  postFfnNorm?: B; // [H] (Gemma 2, 3)
}

export interface GemmaWeights<B extends EngineBuffer = EngineBuffer, W extends EngineWeight = EngineWeight> {
  embed: W; // [V, H] token_embd, also the output projection when `output` is absent (tied)
  output: W; // [V, H]
  outputNorm: B; // [H]
  layers: LayerWeights<B, W>[];
}

export interface LoadWeightsOptions {
  /**
   * Pack the layers' Q4_0 and Q8_0 matrices for the batched matmul (`WasmKernels.pack`: prefill ≈1.5× faster, same
   * memory). Off keeps every matrix in its file layout. @default true
   */
  pack?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

/**
 * Streams a GGUF file's tensors into kernel memory as stored (no second copy of the file in the JS heap) and
 * assembles the weights. `tensors` are the file's tensor infos.
 */
export async function loadWeights(
  kernels: WasmKernels,
  config: GemmaConfig,
  source: ByteSource,
  tensors: readonly GgufTensorInfo[],
  options: LoadWeightsOptions = {},
): Promise<GemmaWeights<Buffer, WeightTensor>> {
  // GGUF dims are innermost first; the plan reads shapes outermost first.
  const plan = planWeights(
    config,
    tensors.map((t) => ({ name: t.name, shape: [...t.dims].reverse(), info: t })),
  );
  const placed = new Map<string, WeightTensor>();
  for (const [name, p] of plan) placed.set(name, kernels.reserve(p.tensor.info.format, p.rows, p.cols));
  await streamTensorData(
    source,
    tensors.filter((t) => placed.has(t.name)),
    (tensor, chunk, offset) => {
      kernels.weightBytes(placed.get(tensor.name) as WeightTensor).set(chunk, offset);
    },
    options,
  );
  return assembleWeights(kernels, config, placed, options);
}

/**
 * Assembles the weights from tensors already in kernel memory, by internal name (all of `gemmaTensorNames(config)`,
 * `output.weight` optional). Norms (`1 × n` tensors in any format) become f32 buffers, plus 1 when
 * `config.normPlusOne` says the file holds `w`. The layers' Q4_0 and Q8_0 matrices are packed in place for the batched
 * matmul (`WasmKernels.pack`; the prefill ≈1.5× faster) unless `options.pack` is false; `placed` is updated to the
 * packed tensors. The embedding is packed too (the logits are its matmul; a lookup unpacks the rows it reads).
 */
export function assembleWeights(
  kernels: WasmKernels,
  config: GemmaConfig,
  placed: Map<string, WeightTensor>,
  options: { pack?: boolean } = {},
): GemmaWeights<Buffer, WeightTensor> {
  const matrix = (name: string) => placed.get(name) as WeightTensor;
  const packed = (name: string) => {
    if (options.pack === false) return matrix(name);
    const w = kernels.pack(matrix(name));
    placed.set(name, w);
    return w;
  };
  const norm = (name: string): Buffer => {
    const w = matrix(name);
    const out = kernels.alloc(w.cols);
    kernels.embed(w, [0], out);
    if (config.normPlusOne) {
      const view = kernels.view(out);
      for (let i = 0; i < view.length; i++) view[i] = (view[i] ?? 0) + 1;
    }
    return out;
  };
  const layers = config.layers.map((_, i): LayerWeights<Buffer, WeightTensor> => {
    const p = `blk.${i}.`;
    const layer: LayerWeights<Buffer, WeightTensor> = {
      attnNorm: norm(`${p}attn_norm.weight`),
      wq: packed(`${p}attn_q.weight`),
      wk: packed(`${p}attn_k.weight`),
      wv: packed(`${p}attn_v.weight`),
      wo: packed(`${p}attn_output.weight`),
      ffnNorm: norm(`${p}ffn_norm.weight`),
      wGate: packed(`${p}ffn_gate.weight`),
      wUp: packed(`${p}ffn_up.weight`),
      wDown: packed(`${p}ffn_down.weight`),
    };
    if (config.qkNorm) {
      layer.qNorm = norm(`${p}attn_q_norm.weight`);
      layer.kNorm = norm(`${p}attn_k_norm.weight`);
    }
    if (config.postNorms) {
      layer.postAttnNorm = norm(`${p}post_attention_norm.weight`);
      layer.postFfnNorm = norm(`${p}post_ffw_norm.weight`);
    }
    return layer;
  });
  const embed = packed("token_embd.weight");
  const output = placed.has("output.weight") ? packed("output.weight") : embed;
  return { embed, output, outputNorm: norm("output_norm.weight"), layers };
}
