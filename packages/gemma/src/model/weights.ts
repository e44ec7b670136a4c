/**
 * The model's weights in kernel memory, llama2.c style: one plain structure with a shape comment on every tensor.
 * Matrices stay in their file's block layout (never expanded to f32); norm vectors become f32 buffers holding the
 * multiplier Gemma uses, `1 + w` (GGUF already stores it; Hugging Face stores `w`, so 1 is added here).
 */
import type { Buffer, WasmKernels, WeightTensor } from "@gemma-edge/kernels-wasm";
import type { ByteSource } from "../byte-source.js";
import type { GemmaConfig } from "../config/gemma-config.js";
import { gemmaTensorNames } from "../config/tensor-names.js";
import { InvalidTensorError } from "../errors.js";
import type { GgufTensorInfo } from "../gguf/types.js";
import { type StreamProgress, streamTensorData } from "../tensor-stream.js";

export interface LayerWeights {
  attnNorm: Buffer; // [H]
  wq: WeightTensor; // [nh·hd, H]
  wk: WeightTensor; // [nkv·hd, H]
  wv: WeightTensor; // [nkv·hd, H]
  wo: WeightTensor; // [H, nh·hd]
  qNorm?: Buffer; // [hd] (Gemma 3)
  kNorm?: Buffer; // [hd] (Gemma 3)
  postAttnNorm?: Buffer; // [H] (Gemma 2, 3)
  ffnNorm: Buffer; // [H]
  wGate: WeightTensor; // [I, H]
  wUp: WeightTensor; // [I, H]
  wDown: WeightTensor; // [H, I]
  postFfnNorm?: Buffer; // [H] (Gemma 2, 3)
}

export interface GemmaWeights {
  embed: WeightTensor; // [V, H] token_embd, also the output projection when `output` is absent (tied)
  output: WeightTensor; // [V, H]
  outputNorm: Buffer; // [H]
  layers: LayerWeights[];
}

export interface LoadWeightsOptions {
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

/** Shape a tensor must have, as (rows, cols), by its name. */
function expectedShape(name: string, c: GemmaConfig): [number, number] | undefined {
  const H = c.hiddenSize;
  const part = name.replace(/^blk\.\d+\./, "").replace(/\.weight$/, "");
  const table: Record<string, [number, number]> = {
    token_embd: [c.vocabSize, H],
    output: [c.vocabSize, H],
    output_norm: [1, H],
    attn_norm: [1, H],
    ffn_norm: [1, H],
    post_attention_norm: [1, H],
    post_ffw_norm: [1, H],
    attn_q_norm: [1, c.headDim],
    attn_k_norm: [1, c.headDim],
    attn_q: [c.numHeads * c.headDim, H],
    attn_k: [c.numKvHeads * c.headDim, H],
    attn_v: [c.numKvHeads * c.valueHeadDim, H],
    attn_output: [H, c.numHeads * c.valueHeadDim],
    ffn_gate: [c.intermediateSize, H],
    ffn_up: [c.intermediateSize, H],
    ffn_down: [H, c.intermediateSize],
  };
  return table[part];
}

/**
 * Streams a model file's tensors into kernel memory (no second copy of the file in the JS heap) and assembles the
 * weights. `tensors` are the file's tensor infos with internal (GGUF) names.
 */
export async function loadWeights(
  kernels: WasmKernels,
  config: GemmaConfig,
  source: ByteSource,
  tensors: readonly GgufTensorInfo[],
  options: LoadWeightsOptions = {},
): Promise<GemmaWeights> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const needed = gemmaTensorNames(config);
  for (const name of needed) {
    if (!byName.has(name)) throw new InvalidTensorError(`the model file has no tensor ${name}`, name);
  }
  const wanted = new Set([...needed, "output.weight"]);
  const placed = new Map<string, WeightTensor>();
  for (const t of tensors) {
    if (!wanted.has(t.name)) continue;
    const shape = expectedShape(t.name, config);
    const count = t.dims.reduce((a, b) => a * b, 1);
    if (!shape || shape[0] * shape[1] !== count || t.dims[0] !== shape[1]) {
      throw new InvalidTensorError(
        `tensor ${t.name} has dims [${t.dims}], expected [${shape?.[1]}, ${shape?.[0]}]`,
        t.name,
      );
    }
    placed.set(t.name, kernels.reserve(t.format, shape[0], shape[1]));
  }
  await streamTensorData(
    source,
    tensors.filter((t) => placed.has(t.name)),
    (tensor, chunk, offset) => {
      const w = placed.get(tensor.name) as WeightTensor;
      kernels.weightBytes(w).set(chunk, offset);
    },
    options,
  );

  const matrix = (name: string) => placed.get(name) as WeightTensor;
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
  const layers = config.layers.map((_, i): LayerWeights => {
    const p = `blk.${i}.`;
    const layer: LayerWeights = {
      attnNorm: norm(`${p}attn_norm.weight`),
      wq: matrix(`${p}attn_q.weight`),
      wk: matrix(`${p}attn_k.weight`),
      wv: matrix(`${p}attn_v.weight`),
      wo: matrix(`${p}attn_output.weight`),
      ffnNorm: norm(`${p}ffn_norm.weight`),
      wGate: matrix(`${p}ffn_gate.weight`),
      wUp: matrix(`${p}ffn_up.weight`),
      wDown: matrix(`${p}ffn_down.weight`),
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
  const embed = matrix("token_embd.weight");
  return { embed, output: placed.get("output.weight") ?? embed, outputNorm: norm("output_norm.weight"), layers };
}
