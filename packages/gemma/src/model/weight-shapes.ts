/**
 * The tensors a Gemma model needs and the shape each must have, checked in one place for every file format (GGUF and
 * Hugging Face safetensors) before any kernel memory is reserved. Shapes are (rows, cols): a matrix is `[out, in]`,
 * a norm vector is `1 × n`.
 */
import type { GemmaConfig } from "../config/gemma-config.js";
import { gemmaTensorNames } from "../config/tensor-names.js";
import { InvalidTensorError } from "../errors.js";

/** A tensor as a file describes it, by internal (GGUF) name; `shape` is outermost first (PyTorch order). */
export interface TensorShapeInfo {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A tensor the model uses, with its checked shape. */
export interface PlannedTensor<T extends TensorShapeInfo = TensorShapeInfo> {
  readonly tensor: T;
  readonly rows: number;
  readonly cols: number;
  /** A norm vector (kept as f32 with `1 + w`), not a matrix. */
  readonly isNorm: boolean;
}

/** The shape a tensor must have, as (rows, cols), by its internal name; undefined for names the model does not use. */
export function expectedShape(name: string, c: GemmaConfig): [number, number] | undefined {
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
  return Object.hasOwn(table, part) ? table[part] : undefined;
}

/**
 * Picks the tensors a model of `config` uses (every required one, plus `output.weight` when the file has it) and
 * checks that each exists once with the expected shape: the element count must match and the innermost dimension must
 * be the row width. Throws an `InvalidTensorError` naming the first tensor at fault.
 * @example
 * const plan = planWeights(config, header.tensors.map((t) => ({ ...t, shape: [...t.dims].reverse() })));
 */
export function planWeights<T extends TensorShapeInfo>(
  config: GemmaConfig,
  tensors: readonly T[],
): Map<string, PlannedTensor<T>> {
  const byName = new Map<string, T>();
  for (const t of tensors) {
    if (byName.has(t.name)) throw new InvalidTensorError(`the model has two tensors named ${t.name}`, t.name);
    byName.set(t.name, t);
  }
  const needed = gemmaTensorNames(config);
  for (const name of needed) {
    if (!byName.has(name)) throw new InvalidTensorError(`the model file has no tensor ${name}`, name);
  }
  const plan = new Map<string, PlannedTensor<T>>();
  for (const name of [...needed, "output.weight"]) {
    const tensor = byName.get(name);
    if (tensor === undefined) continue;
    const shape = expectedShape(name, config);
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (!shape || shape[0] * shape[1] !== count || tensor.shape.at(-1) !== shape[1]) {
      const want = shape?.[0] === 1 ? `[${shape[1]}]` : `[${shape}]`;
      throw new InvalidTensorError(`tensor ${name} has shape [${tensor.shape}], expected ${want}`, name);
    }
    plan.set(name, { tensor, rows: shape[0], cols: shape[1], isNorm: name.endsWith("norm.weight") });
  }
  return plan;
}
