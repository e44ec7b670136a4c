/**
 * A GGUF with Gemma 2B's exact shapes (Gemma 1 architecture: 18 layers, hidden 2048, 8 query heads, 1 KV head of
 * 256, MLP 16384, vocabulary 256000) and random weights, for benchmarks. At Q8_0 it is ≈2.7 GB, at Q4_0 ≈1.6 GB: it
 * is produced as a stream of parts (write it to a cache outside git), never built in memory. Weight bytes tile a
 * small random block (content does not change speed; scales stay finite).
 */
import { FORMATS, randomWeights, type WeightFormat } from "@gemma-edge/kernels-wasm";
import type { GgufValue } from "../gguf/types.js";
import { encodeTensor, type GgufTensorInput, gguf, ggufParts, type LazyTensorData } from "../gguf/writer.js";

export const GEMMA_2B = {
  vocabSize: 256_000,
  hiddenSize: 2048,
  numLayers: 18,
  numHeads: 8,
  numKvHeads: 1,
  headDim: 256,
  intermediateSize: 16_384,
  contextLength: 8192,
} as const;

/** rows × cols of `format`, tiling `rows0` random rows. */
function tiled(format: WeightFormat, rows: number, cols: number, seed: number): LazyTensorData {
  const rowBytes = (cols / FORMATS[format].blockSize) * FORMATS[format].blockBytes;
  const tileRows = Math.min(rows, 64);
  const tile = randomWeights(format, tileRows, cols, seed);
  return {
    byteLength: rows * rowBytes,
    *chunks() {
      for (let r = 0; r < rows; r += tileRows) yield tile.subarray(0, Math.min(tileRows, rows - r) * rowBytes);
    },
  };
}

/**
 * The parts of a Gemma-2B-shaped GGUF in `format` (matrices; norms F32). `tokenizer` adds real tokenizer metadata
 * (needed by llama.cpp); without it a synthetic vocabulary is written.
 */
export function gemma2bShapedParts(
  format: WeightFormat,
  tokenizer?: Readonly<Record<string, GgufValue>>,
): Iterable<Uint8Array> {
  const g = GEMMA_2B;
  const tensors: GgufTensorInput[] = [];
  const matrix = (name: string, rows: number, cols: number) =>
    tensors.push({ name, dims: [cols, rows], format, data: tiled(format, rows, cols, tensors.length + 1) });
  const norm = (name: string, n: number) =>
    tensors.push({ name, dims: [n], format: "f32", data: encodeTensor("f32", new Float32Array(n).fill(1), [n]) });
  matrix("token_embd.weight", g.vocabSize, g.hiddenSize);
  norm("output_norm.weight", g.hiddenSize);
  for (let l = 0; l < g.numLayers; l++) {
    const p = `blk.${l}.`;
    norm(`${p}attn_norm.weight`, g.hiddenSize);
    matrix(`${p}attn_q.weight`, g.numHeads * g.headDim, g.hiddenSize);
    matrix(`${p}attn_k.weight`, g.numKvHeads * g.headDim, g.hiddenSize);
    matrix(`${p}attn_v.weight`, g.numKvHeads * g.headDim, g.hiddenSize);
    matrix(`${p}attn_output.weight`, g.hiddenSize, g.numHeads * g.headDim);
    norm(`${p}ffn_norm.weight`, g.hiddenSize);
    matrix(`${p}ffn_gate.weight`, g.intermediateSize, g.hiddenSize);
    matrix(`${p}ffn_up.weight`, g.intermediateSize, g.hiddenSize);
    matrix(`${p}ffn_down.weight`, g.hiddenSize, g.intermediateSize);
  }
  const vocab = tokenizer ?? {
    "tokenizer.ggml.model": gguf.string("llama"),
    "tokenizer.ggml.tokens": gguf.array(
      "string",
      Array.from({ length: g.vocabSize }, (_, i) => `t${i}`),
    ),
  };
  const metadata: Record<string, GgufValue> = {
    "general.architecture": gguf.string("gemma"),
    "general.name": gguf.string(`gemma-2b-shaped-random-${format}`),
    "gemma.context_length": gguf.u32(g.contextLength),
    "gemma.embedding_length": gguf.u32(g.hiddenSize),
    "gemma.block_count": gguf.u32(g.numLayers),
    "gemma.feed_forward_length": gguf.u32(g.intermediateSize),
    "gemma.attention.head_count": gguf.u32(g.numHeads),
    "gemma.attention.head_count_kv": gguf.u32(g.numKvHeads),
    "gemma.attention.key_length": gguf.u32(g.headDim),
    "gemma.attention.value_length": gguf.u32(g.headDim),
    "gemma.attention.layer_norm_rms_epsilon": gguf.f32(1e-6),
    "gemma.rope.freq_base": gguf.f32(10_000),
    ...vocab,
  };
  return ggufParts({ metadata, tensors });
}
