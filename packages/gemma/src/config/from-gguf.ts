/**
 * `GemmaConfig` from GGUF metadata, by llama.cpp's key names (`<arch>.embedding_length`, `<arch>.attention.*`, …).
 * Where llama.cpp fixes a value in code rather than the file, so do we, and say so: Gemma 2's softcaps default to
 * 50/30 and its window to 4096; Gemma 3's sliding layers use θ = 10000 and every 6th layer is global unless
 * `<arch>.attention.sliding_window_pattern` says otherwise; the 27B models scale queries by (d_model / heads)^−½.
 */
import { ConfigError, UnsupportedArchitectureError } from "../errors.js";
import { metaArray, metaNumber, metaString } from "../gguf/metadata.js";
import type { GgufMetadata, GgufTensorInfo } from "../gguf/types.js";
import { buildGemmaConfig, type GemmaArchitecture, type GemmaConfig } from "./gemma-config.js";

export const GGUF_GEMMA_ARCHITECTURES: readonly GemmaArchitecture[] = ["gemma", "gemma2", "gemma3"];

/**
 * Reads a Gemma config from GGUF metadata; `tensors` (optional) gives the vocabulary size when no key does.
 * @example
 * const header = await readGgufHeader(source);
 * const config = gemmaConfigFromGguf(header.metadata, header.tensors);
 */
export function gemmaConfigFromGguf(meta: GgufMetadata, tensors: readonly GgufTensorInfo[] = []): GemmaConfig {
  const arch = metaString(meta, "general.architecture");
  if (arch === undefined) throw new UnsupportedArchitectureError("the file has no general.architecture");
  if (!(GGUF_GEMMA_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new UnsupportedArchitectureError(`architecture ${arch} is not Gemma (gemma, gemma2, gemma3)`);
  }
  const a = arch as GemmaArchitecture;
  const opt = (key: string) => metaNumber(meta, `${a}.${key}`);
  const req = (key: string) => {
    const v = opt(key);
    if (v === undefined) throw new ConfigError(`missing ${a}.${key}`, `${a}.${key}`);
    return v;
  };
  const hiddenSize = req("embedding_length");
  const numHeads = req("attention.head_count");
  const numLayers = req("block_count");
  const headDim = opt("attention.key_length") ?? hiddenSize / numHeads;
  const v2 = a === "gemma2";
  const slidingWindow = a === "gemma" ? null : (opt("attention.sliding_window") ?? (v2 ? 4096 : null));
  const is27b = (a === "gemma2" && numLayers === 46) || (a === "gemma3" && numLayers === 62);
  const scalingType = metaString(meta, `${a}.rope.scaling.type`);
  const scalingFactor = opt("rope.scaling.factor");
  const pattern = slidingPattern(meta, `${a}.attention.sliding_window_pattern`);
  return buildGemmaConfig({
    architecture: a,
    source: "gguf",
    vocabSize: opt("vocab_size") ?? vocabFromTokenizer(meta) ?? embeddingRows(tensors) ?? 0,
    contextLength: req("context_length"),
    hiddenSize,
    intermediateSize: req("feed_forward_length"),
    numLayers,
    numHeads,
    numKvHeads: opt("attention.head_count_kv") ?? numHeads,
    headDim,
    valueHeadDim: opt("attention.value_length") ?? headDim,
    rmsNormEps: req("attention.layer_norm_rms_epsilon"),
    queryScale: 1 / Math.sqrt(is27b ? hiddenSize / numHeads : headDim),
    attnLogitSoftcap: nonZero(opt("attn_logit_softcapping") ?? (v2 ? 50 : 0)),
    finalLogitSoftcap: nonZero(opt("final_logit_softcapping") ?? (v2 ? 30 : 0)),
    slidingWindow: nonZero(slidingWindow),
    ropeTheta: opt("rope.freq_base") ?? (a === "gemma3" ? 1_000_000 : 10_000),
    ropeLocalTheta: opt("rope.freq_base_swa") ?? 10_000,
    ropeScaling:
      scalingFactor !== undefined && scalingFactor !== 1 && (scalingType ?? "linear") === "linear"
        ? { type: "linear", factor: scalingFactor }
        : null,
    normPlusOne: false,
    slidingLayers: pattern.layers,
    slidingPeriod: pattern.period,
  });
}

function nonZero(v: number | null): number | null {
  return v === null || v === 0 ? null : v;
}

function vocabFromTokenizer(meta: GgufMetadata): number | undefined {
  return metaArray(meta, "tokenizer.ggml.tokens")?.items.length;
}

function embeddingRows(tensors: readonly GgufTensorInfo[]): number | undefined {
  return tensors.find((t) => t.name === "token_embd.weight")?.dims[1];
}

/** The sliding pattern key: a per-layer bool array, or a period. */
function slidingPattern(meta: GgufMetadata, key: string): { layers?: boolean[]; period?: number } {
  const v = meta.get(key);
  if (v === undefined) return {};
  if (v.type === "array" && v.itemType === "bool") return { layers: v.items };
  if (v.type === "array") throw new ConfigError(`${key} must be an array of bool or a number`, key);
  const period = metaNumber(meta, key);
  return period === undefined ? {} : { period };
}
