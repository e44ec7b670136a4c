/**
 * `GemmaConfig`: the hyperparameters of a Gemma 1, 2 or 3 text model in one typed shape, whatever file they came from
 * (GGUF metadata: config/from-gguf.ts; Hugging Face config.json: config/from-hf.ts), with the per-layer facts the
 * forward pass asks (sliding or global attention, RoPE θ and scale) already worked out.
 *
 * Layer pattern (llama.cpp `set_swa_pattern`, HF `layer_types`): Gemma 2 alternates sliding (even layers) and global;
 * Gemma 3 has five sliding layers then one global, sliding layers using RoPE θ = 10k unscaled and global layers θ = 1M
 * with the model's linear RoPE scaling.
 */
import { ConfigError } from "../errors.js";

export type GemmaArchitecture = "gemma" | "gemma2" | "gemma3";
export const GEMMA_VERSION: Readonly<Record<GemmaArchitecture, 1 | 2 | 3>> = { gemma: 1, gemma2: 2, gemma3: 3 };

export interface GemmaLayerConfig {
  /** Local (sliding-window) attention; otherwise global. */
  readonly sliding: boolean;
  /** RoPE base frequency θ of this layer. */
  readonly ropeTheta: number;
  /** Linear RoPE scaling factor (positions are divided by it); 1 for none. */
  readonly ropeScale: number;
}

export interface GemmaConfig {
  readonly version: 1 | 2 | 3;
  readonly architecture: GemmaArchitecture;
  /** Where the numbers came from. */
  readonly source: "gguf" | "hf";
  readonly vocabSize: number;
  /** Longest context the model was trained for. */
  readonly contextLength: number;
  /** Residual stream width (d_model). */
  readonly hiddenSize: number;
  /** Width of the gated MLP. */
  readonly intermediateSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  /** Width of one query/key head. */
  readonly headDim: number;
  /** Width of one value head (equal to headDim in every Gemma). */
  readonly valueHeadDim: number;
  readonly rmsNormEps: number;
  /** Attention scores are q·k times this (HF: query_pre_attn_scalar^−½). */
  readonly queryScale: number;
  /** Gemma 2: `cap · tanh(score / cap)` on attention scores; null for none. */
  readonly attnLogitSoftcap: number | null;
  /** Gemma 2: softcap on the final logits; null for none. */
  readonly finalLogitSoftcap: number | null;
  /** Window of the sliding layers; null when no layer slides. */
  readonly slidingWindow: number | null;
  /** RoPE θ of global layers. */
  readonly ropeTheta: number;
  /** RoPE θ of sliding layers (Gemma 3). */
  readonly ropeLocalTheta: number;
  /** Linear RoPE scaling of global layers (Gemma 3 4B+), or null. */
  readonly ropeScaling: { readonly type: "linear"; readonly factor: number } | null;
  /** Gemma 2 and 3 norm the attention and MLP outputs too (post_attention_norm, post_ffw_norm). */
  readonly postNorms: boolean;
  /** Gemma 3 RMS-norms each query and key head (attn_q_norm, attn_k_norm). */
  readonly qkNorm: boolean;
  /**
   * RMSNorm multiplies by `1 + w` where the file holds `w` (Hugging Face); false where the file already holds `1 + w`
   * (GGUF, converted by llama.cpp).
   */
  readonly normPlusOne: boolean;
  readonly layers: readonly GemmaLayerConfig[];
}

/** What a file gives; `buildGemmaConfig` checks it and works out the rest. */
export interface GemmaConfigInput extends Omit<GemmaConfig, "version" | "layers" | "postNorms" | "qkNorm"> {
  /** Per-layer sliding flags if the file lists them; else the architecture's pattern. */
  readonly slidingLayers?: readonly boolean[] | undefined;
  /** Period of the sliding pattern if the file gives one (every `period`-th layer is global). */
  readonly slidingPeriod?: number | undefined;
}

/** More layers than any Gemma has (Gemma 3 27B: 62) by far; a guard against a config that would allocate per layer. */
export const MAX_LAYERS = 1024;

const DEFAULT_PERIOD: Readonly<Record<GemmaArchitecture, number>> = { gemma: 1, gemma2: 2, gemma3: 6 };

/** Checks a config's numbers and works out its per-layer facts. */
export function buildGemmaConfig(input: GemmaConfigInput): GemmaConfig {
  const { slidingLayers, slidingPeriod, ...rest } = input;
  for (const key of [
    "vocabSize",
    "contextLength",
    "hiddenSize",
    "intermediateSize",
    "numLayers",
    "numHeads",
    "numKvHeads",
    "headDim",
    "valueHeadDim",
  ] as const) {
    const v = input[key];
    if (!Number.isSafeInteger(v) || v <= 0) throw new ConfigError(`${key} must be a positive integer; it is ${v}`, key);
  }
  for (const key of ["rmsNormEps", "queryScale", "ropeTheta", "ropeLocalTheta"] as const) {
    const v = input[key];
    if (!Number.isFinite(v) || v <= 0) throw new ConfigError(`${key} must be a positive number; it is ${v}`, key);
  }
  for (const key of ["attnLogitSoftcap", "finalLogitSoftcap", "slidingWindow"] as const) {
    const v = input[key];
    if (v !== null && (!Number.isFinite(v) || v <= 0))
      throw new ConfigError(`${key} must be positive or null; it is ${v}`, key);
  }
  if (input.numLayers > MAX_LAYERS) {
    throw new ConfigError(`numLayers is ${input.numLayers}; more than ${MAX_LAYERS} is not a Gemma`, "numLayers");
  }
  if (input.numHeads % input.numKvHeads !== 0) {
    throw new ConfigError(
      `numHeads (${input.numHeads}) must be a multiple of numKvHeads (${input.numKvHeads})`,
      "numKvHeads",
    );
  }
  const factor = input.ropeScaling?.factor ?? 1;
  if (!Number.isFinite(factor) || factor <= 0)
    throw new ConfigError(`RoPE scaling factor ${factor} is invalid`, "ropeScaling");
  if (slidingLayers !== undefined && slidingLayers.length !== input.numLayers) {
    throw new ConfigError(`${slidingLayers.length} layer types for ${input.numLayers} layers`, "slidingLayers");
  }
  const period = slidingPeriod ?? DEFAULT_PERIOD[input.architecture];
  if (!Number.isSafeInteger(period) || period <= 0)
    throw new ConfigError(`sliding pattern period ${period} is invalid`, "slidingPeriod");
  const version = GEMMA_VERSION[input.architecture];
  const layers = Array.from({ length: input.numLayers }, (_, i): GemmaLayerConfig => {
    const sliding = input.slidingWindow !== null && (slidingLayers?.[i] ?? i % period < period - 1);
    if (version === 3 && sliding) return { sliding, ropeTheta: input.ropeLocalTheta, ropeScale: 1 };
    return { sliding, ropeTheta: input.ropeTheta, ropeScale: factor };
  });
  return { ...rest, version, postNorms: version >= 2, qkNorm: version === 3, layers };
}
