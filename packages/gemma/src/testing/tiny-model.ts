/**
 * Deterministic tiny Gemma-architecture models (Gemma 1, 2 and 3) written as GGUF through the project's own writer,
 * read back by the same loaders a real model goes through. Random weights are scaled by fan-in so activations stay
 * O(1) and greedy output is not one repeated token. Norm vectors are stored as GGUF stores them: `1 + w`. The values
 * come from `tinyGemmaWeights`, which `tinyGemmaHf` (tiny-model-hf.ts) writes as a Hugging Face folder. Matrices are
 * encoded by the kernels' reference quantizer in any format (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K); K-quant rows are
 * super-blocks of 256, so those models need K-compatible shapes (`K_QUANT_SHAPES`).
 */
import { FORMATS, prng, reference, type WeightFormat } from "@gemma-edge/kernels-wasm";
import type { GemmaArchitecture } from "../config/gemma-config.js";
import type { GgufValue } from "../gguf/types.js";
import { type GgufTensorInput, gguf, writeGguf } from "../gguf/writer.js";

export interface TinyModelOptions {
  version: 1 | 2 | 3;
  /**
   * Format of the matrices (norms are always F32). Q4_K / Q6_K need hidden, intermediate and heads × headDim sizes that
   * are multiples of 256: spread `K_QUANT_SHAPES` into the options. @default "f32"
   */
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
  /**
   * Round every weight to what a Hugging Face checkpoint of this dtype holds, so a GGUF and a `tinyGemmaHf` folder of
   * the same options hold the same numbers. @default "f32"
   */
  valuesAs?: "f32" | "bf16" | "f16";
}

/**
 * The smallest shapes whose rows are whole Q4_K / Q6_K super-blocks of 256 (4 heads × 64 = 256).
 * @example
 * const { bytes } = tinyGemmaGguf({ version: 2, format: "q4_k", ...K_QUANT_SHAPES });
 */
export const K_QUANT_SHAPES = { hiddenSize: 256, headDim: 64, intermediateSize: 512 } as const;

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

/** One tensor of a tiny model, by internal (GGUF) name, with its values as GGUF holds them (norms: `1 + w`). */
export interface TinyTensor {
  readonly name: string;
  /** Outermost first: `[rows, cols]` for a matrix, `[n]` for a norm. */
  readonly shape: readonly number[];
  readonly values: Float32Array;
  readonly isNorm: boolean;
}

/** A tiny model's hyperparameters and tensors, before any file format. */
export interface TinyWeights {
  readonly version: 1 | 2 | 3;
  readonly architecture: GemmaArchitecture;
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly intermediateSize: number;
  readonly contextLength: number;
  readonly slidingWindow: number;
  readonly tensors: readonly TinyTensor[];
}

/**
 * The tensors of a tiny model, seeded: what `tinyGemmaGguf` and `tinyGemmaHf` write. With `valuesAs` "bf16"/"f16",
 * every value is one a Hugging Face checkpoint of that dtype holds (for norms the stored `w = value − 1` is rounded).
 * @example
 * const { tensors } = tinyGemmaWeights({ version: 2 });
 */
export function tinyGemmaWeights(options: TinyModelOptions, vocabSize = options.vocabSize ?? 512): TinyWeights {
  const v = options.version;
  const format = options.format ?? "f32";
  const rand = prng(options.seed ?? 1234 + v);
  const V = vocabSize;
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
    if (n % block !== 0) {
      const hint = block === 256 ? ` (K_QUANT_SHAPES: hiddenSize 256, headDim 64, intermediateSize 512)` : "";
      throw new RangeError(`${what} (${n}) must be a multiple of ${format}'s block of ${block}${hint}`);
    }
  }
  const valuesAs = options.valuesAs ?? "f32";
  const round = roundTo(valuesAs);

  // a plain loop, and no f32 → f32 rounding pass: a real vocabulary's embedding is tens of millions of values
  const uniform = (n: number, scale: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (rand() * 2 - 1) * scale;
    return out;
  };
  const tensors: TinyTensor[] = [];
  const matrix = (name: string, rows: number, cols: number, scale = Math.sqrt(3 / cols)) =>
    tensors.push({
      name,
      shape: [rows, cols],
      values: valuesAs === "f32" ? uniform(rows * cols, scale) : uniform(rows * cols, scale).map(round),
      isNorm: false,
    });
  const norm = (name: string, n: number, gain = 1) =>
    tensors.push({
      name,
      shape: [n],
      // f32 keeps `1 + w` as computed; f32 − 1 is exact, so an f32 checkpoint's `w` gives these values back
      values: uniform(n, 0.2).map((x) => (valuesAs === "f32" ? gain * (1 + x) : 1 + round(gain * (1 + x) - 1))),
      isNorm: true,
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
  return {
    version: v,
    architecture: ARCH[v],
    vocabSize: V,
    hiddenSize: H,
    numLayers: L,
    numHeads: nh,
    numKvHeads: nkv,
    headDim: hd,
    intermediateSize: I,
    contextLength: options.contextLength ?? 256,
    slidingWindow: options.slidingWindow ?? 8,
    tensors,
  };
}

function roundTo(dtype: "f32" | "bf16" | "f16"): (x: number) => number {
  if (dtype === "bf16") return (x) => reference.bf16ToF32(reference.f32ToBf16(x));
  if (dtype === "f16") return (x) => reference.f16ToF32(reference.f32ToF16(x));
  return (x) => Math.fround(x);
}

/**
 * A tiny Gemma model as a GGUF (matrices in `format`, norms F32 holding `1 + w`, the synthetic or given vocabulary).
 * @example
 * const { bytes } = tinyGemmaGguf({ version: 3, format: "q8_0" });
 */
export function tinyGemmaGguf(options: TinyModelOptions): TinyModel {
  const format = options.format ?? "f32";
  const tokenizer = options.tokenizer;
  const tokens = tokenizer?.["tokenizer.ggml.tokens"];
  const w = tinyGemmaWeights(options, tokens?.type === "array" ? tokens.items.length : undefined);
  const { architecture: arch, version: v, vocabSize: V, hiddenSize: H, numLayers: L } = w;
  const tensors: GgufTensorInput[] = w.tensors.map((t) => {
    const f = t.isNorm ? "f32" : format;
    const cols = t.shape[t.shape.length - 1] ?? 1;
    // the reference quantizer directly: the writer's `encodeTensor` leaves K-quants to callers
    const data = reference.quantizeWeights(f, t.values, t.values.length / cols, cols);
    return { name: t.name, dims: [...t.shape].reverse(), format: f, data };
  });

  const metadata: Record<string, GgufValue> = {
    "general.architecture": gguf.string(arch),
    "general.name": gguf.string(`tiny-${arch}-${format}`),
    [`${arch}.context_length`]: gguf.u32(w.contextLength),
    [`${arch}.embedding_length`]: gguf.u32(H),
    [`${arch}.block_count`]: gguf.u32(L),
    [`${arch}.feed_forward_length`]: gguf.u32(w.intermediateSize),
    [`${arch}.attention.head_count`]: gguf.u32(w.numHeads),
    [`${arch}.attention.head_count_kv`]: gguf.u32(w.numKvHeads),
    [`${arch}.attention.key_length`]: gguf.u32(w.headDim),
    [`${arch}.attention.value_length`]: gguf.u32(w.headDim),
    [`${arch}.attention.layer_norm_rms_epsilon`]: gguf.f32(1e-6),
    [`${arch}.rope.freq_base`]: gguf.f32(v === 3 ? 1_000_000 : 10_000),
    ...(v >= 2 ? { [`${arch}.attention.sliding_window`]: gguf.u32(w.slidingWindow) } : {}),
    ...(v === 2
      ? { [`${arch}.attn_logit_softcapping`]: gguf.f32(50), [`${arch}.final_logit_softcapping`]: gguf.f32(30) }
      : {}),
    ...(tokenizer ?? syntheticTokenizer(V)),
  };
  return { bytes: writeGguf({ metadata, tensors }), architecture: arch, vocabSize: V };
}
