/**
 * Deterministic tiny Gemma-architecture models (Gemma 1, 2 and 3) written as GGUF through the project's own writer,
 * read back by the same loaders a real model goes through. Random weights are scaled by fan-in so activations stay
 * O(1) and greedy output is not one repeated token. Norm vectors are stored as GGUF stores them: `1 + w`.
 */
import { FORMATS, prng, type WeightFormat } from "@gemma-edge/kernels-wasm";
import type { GemmaArchitecture } from "../config/gemma-config.js";
import type { GgufValue } from "../gguf/types.js";
import { encodeTensor, type GgufTensorInput, gguf, writeGguf } from "../gguf/writer.js";

export interface TinyModelOptions {
  version: 1 | 2 | 3;
  /** Format of the matrices (norms are always F32). @default "f32" */
  format?: WeightFormat;
  seed?: number;
  /** @default 512 (a synthetic vocabulary unless `tokenizer` gives real tokens) */
  vocabSize?: number;
  /** @default 64 */
  hiddenSize?: number;
  /** @default 2, or 6 for Gemma 3 (five sliding layers, one global) */
  numLayers?: number;
  /** @default 4 */
  numHeads?: number;
  /** @default 1 for Gemma 1 (MQA), 2 otherwise (GQA) */
  numKvHeads?: number;
  /** @default 16 */
  headDim?: number;
  /** @default 128 */
  intermediateSize?: number;
  /** @default 256 */
  contextLength?: number;
  /** Sliding window of Gemma 2/3 local layers. @default 8 */
  slidingWindow?: number;
  /** Tokenizer metadata (`tokenizer.ggml.*`) to embed instead of the synthetic vocabulary. */
  tokenizer?: Readonly<Record<string, GgufValue>>;
}

const ARCH: Record<1 | 2 | 3, GemmaArchitecture> = { 1: "gemma", 2: "gemma2", 3: "gemma3" };

/** The synthetic vocabulary: Gemma's first special tokens, then `t<i>` pieces. */
function syntheticTokenizer(vocabSize: number): Record<string, GgufValue> {
  const specials = ["<pad>", "<eos>", "<bos>", "<unk>"];
  const tokens = Array.from({ length: vocabSize }, (_, i) => specials[i] ?? `t${i}`);
  return {
    "tokenizer.ggml.model": gguf.string("llama"),
    "tokenizer.ggml.tokens": gguf.array("string", tokens),
    "tokenizer.ggml.scores": gguf.array(
      "f32",
      Float32Array.from(tokens, (_, i) => -i),
    ),
    "tokenizer.ggml.token_type": gguf.array(
      "i32",
      Int32Array.from(tokens, (_, i) => (i < specials.length ? 3 : 1)),
    ),
    "tokenizer.ggml.bos_token_id": gguf.u32(2),
    "tokenizer.ggml.eos_token_id": gguf.u32(1),
    "tokenizer.ggml.padding_token_id": gguf.u32(0),
    "tokenizer.ggml.unknown_token_id": gguf.u32(3),
  };
}

export interface TinyModel {
  bytes: Uint8Array;
  architecture: GemmaArchitecture;
  vocabSize: number;
}

export function tinyGemmaGguf(options: TinyModelOptions): TinyModel {
  const v = options.version;
  const arch = ARCH[v];
  const format = options.format ?? "f32";
  const rand = prng(options.seed ?? 1234 + v);
  const tokenizer = options.tokenizer;
  const tokens = tokenizer?.["tokenizer.ggml.tokens"];
  const V = tokens?.type === "array" ? tokens.items.length : (options.vocabSize ?? 512);
  const H = options.hiddenSize ?? 64;
  const L = options.numLayers ?? (v === 3 ? 6 : 2);
  const nh = options.numHeads ?? 4;
  const nkv = options.numKvHeads ?? (v === 1 ? 1 : 2);
  const hd = options.headDim ?? 16;
  const I = options.intermediateSize ?? 128;
  const block = FORMATS[format].blockSize;
  for (const [what, n] of [
    ["hiddenSize", H],
    ["intermediateSize", I],
    ["heads × headDim", nh * hd],
  ] as const) {
    if (n % block !== 0) throw new RangeError(`${what} (${n}) must be a multiple of ${format}'s block of ${block}`);
  }

  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const tensors: GgufTensorInput[] = [];
  const matrix = (name: string, rows: number, cols: number, scale = Math.sqrt(3 / cols)) =>
    tensors.push({
      name,
      dims: [cols, rows],
      format,
      data: encodeTensor(format, uniform(rows * cols, scale), [cols, rows]),
    });
  const norm = (name: string, n: number, gain = 1) =>
    tensors.push({
      name,
      dims: [n],
      format: "f32",
      data: encodeTensor(
        "f32",
        uniform(n, 0.2).map((x) => gain * (1 + x)),
        [n],
      ),
    });
  // Block outputs are made larger than the embedding in the residual stream: with tied embeddings, a residual
  // dominated by the input token's own embedding makes greedy decoding repeat that token forever.
  const GAIN = v === 1 ? 10 : 4;

  matrix("token_embd.weight", V, H, Math.sqrt(3 / H));
  norm("output_norm.weight", H);
  for (let l = 0; l < L; l++) {
    const p = `blk.${l}.`;
    norm(`${p}attn_norm.weight`, H);
    matrix(`${p}attn_q.weight`, nh * hd, H);
    matrix(`${p}attn_k.weight`, nkv * hd, H);
    matrix(`${p}attn_v.weight`, nkv * hd, H);
    matrix(`${p}attn_output.weight`, H, nh * hd, GAIN * Math.sqrt(3 / (nh * hd)));
    if (v === 3) {
      norm(`${p}attn_q_norm.weight`, hd);
      norm(`${p}attn_k_norm.weight`, hd);
    }
    if (v >= 2) norm(`${p}post_attention_norm.weight`, H, GAIN);
    norm(`${p}ffn_norm.weight`, H);
    matrix(`${p}ffn_gate.weight`, I, H);
    matrix(`${p}ffn_up.weight`, I, H);
    matrix(`${p}ffn_down.weight`, H, I, GAIN * Math.sqrt(3 / I));
    if (v >= 2) norm(`${p}post_ffw_norm.weight`, H, GAIN);
  }

  const metadata: Record<string, GgufValue> = {
    "general.architecture": gguf.string(arch),
    "general.name": gguf.string(`tiny-${arch}-${format}`),
    [`${arch}.context_length`]: gguf.u32(options.contextLength ?? 256),
    [`${arch}.embedding_length`]: gguf.u32(H),
    [`${arch}.block_count`]: gguf.u32(L),
    [`${arch}.feed_forward_length`]: gguf.u32(I),
    [`${arch}.attention.head_count`]: gguf.u32(nh),
    [`${arch}.attention.head_count_kv`]: gguf.u32(nkv),
    [`${arch}.attention.key_length`]: gguf.u32(hd),
    [`${arch}.attention.value_length`]: gguf.u32(hd),
    [`${arch}.attention.layer_norm_rms_epsilon`]: gguf.f32(1e-6),
    [`${arch}.rope.freq_base`]: gguf.f32(v === 3 ? 1_000_000 : 10_000),
    ...(v >= 2 ? { [`${arch}.attention.sliding_window`]: gguf.u32(options.slidingWindow ?? 8) } : {}),
    ...(v === 2
      ? { [`${arch}.attn_logit_softcapping`]: gguf.f32(50), [`${arch}.final_logit_softcapping`]: gguf.f32(30) }
      : {}),
    ...(tokenizer ?? syntheticTokenizer(V)),
  };
  return { bytes: writeGguf({ metadata, tensors }), architecture: arch, vocabSize: V };
}
