/**
 * Test fixtures for the ONNX classifier, built by the project itself (no model can be downloaded here):
 *
 * - the tokenizer fixtures of `testing-tokenizers.ts` (re-exported here): WordPiece and byte-level BPE `tokenizer.json`s.
 * - `buildTinyClassifier`: a text-classification ONNX graph written with `onnx-proto` (a devDependency: this module is
 *   for tests only and is left out of the build) whose weights make chosen tokens drive chosen labels, and `logits`,
 *   the same graph computed in plain JavaScript, to check the whole path against.
 *
 * The graph, opset 13, inputs int64 [1, S]:
 *   x      = Gather(embedding [V, H], input_ids) + Gather(type_embedding [2, H], token_type_ids)   [1, S, H]
 *   pooled = ReduceSum(x · attention_mask, seq) / ReduceSum(attention_mask, seq)                     [1, H]
 *   logits = pooled · W [H, L] + b [L]                                                              [1, L]
 */
import onnxProto, { type onnx } from "onnx-proto";
import { bertId, TINY_BERT_VOCAB } from "./testing-tokenizers.js";

export * from "./testing-tokenizers.js";

const proto = onnxProto.onnx;

/** `unitary/toxic-bert`'s labels (multi-label, sigmoid per label). */
export const TOXIC_LABELS = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"] as const;

/** A `config.json` as `optimum-cli export onnx` leaves beside `model.onnx` for a BERT multi-label classifier. */
export const TINY_TOXIC_CONFIG = {
  architectures: ["BertForSequenceClassification"],
  model_type: "bert",
  problem_type: "multi_label_classification",
  id2label: Object.fromEntries(TOXIC_LABELS.map((label, i) => [String(i), label])),
  label2id: Object.fromEntries(TOXIC_LABELS.map((label, i) => [label, i])),
  max_position_embeddings: 512,
  vocab_size: TINY_BERT_VOCAB.length,
  hidden_size: TOXIC_LABELS.length + 2,
};

/** Which words push which labels in `tinyToxicClassifier` (a label's logit rises by the weight / tokens in the text). */
export const TOXIC_TRIGGERS: Readonly<
  Record<string, Readonly<Partial<Record<(typeof TOXIC_LABELS)[number], number>>>>
> = {
  hate: { toxic: 30, identity_hate: 40 },
  kill: { toxic: 30, threat: 40 },
  bomb: { threat: 30, severe_toxic: 20 },
  idiot: { toxic: 30, insult: 40 },
  stupid: { toxic: 20, insult: 30 },
  damn: { obscene: 30 },
};

export interface TinyClassifierSpec {
  /** Rows of the embedding. */
  readonly vocabSize: number;
  /** Output size L. */
  readonly labels: number;
  /** Token id → label index → weight added to the token's embedding in that label's dimension. */
  readonly triggers: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** Whether the graph takes `token_type_ids` (BERT does, DistilBERT and RoBERTa exports do not). @default true */
  readonly tokenTypeIds?: boolean;
  /** Added to every logit. @default -3 */
  readonly bias?: number;
  /** The seed of the small random weights. @default 1 */
  readonly seed?: number;
  /** Cast the logits to float16, as an `optimum --dtype fp16` export outputs them. @default false */
  readonly float16Logits?: boolean;
}

export interface TinyClassifier {
  /** The serialized ONNX model. */
  readonly model: Uint8Array;
  /** The graph's logits computed in JavaScript (float64) for one unpadded sequence. */
  logits(ids: readonly number[], typeIds?: readonly number[]): number[];
}

/** A deterministic generator of floats in [-1, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
}

const FLOAT = proto.TensorProto.DataType.FLOAT;
const INT64 = proto.TensorProto.DataType.INT64;

function floats(name: string, dims: number[], values: Float32Array): onnx.ITensorProto {
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(values.buffer.slice(0)) };
}
function ints(name: string, values: number[]): onnx.ITensorProto {
  return { name, dims: [values.length], dataType: INT64, int64Data: values };
}
function input(name: string, type: number, dims: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: type,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
function node(
  op: string,
  inputs: string[],
  outputs: string[],
  attribute: onnx.IAttributeProto[] = [],
): onnx.INodeProto {
  return { opType: op, input: inputs, output: outputs, attribute, name: outputs[0] ?? op };
}

/**
 * Builds the tiny classifier. Embedding rows are small random values (±0.05); a trigger token adds its weight in its
 * labels' dimensions; W maps dimension l to label l (plus noise from the two extra dimensions).
 *
 * @example
 * const { model, logits } = buildTinyClassifier({ vocabSize: 200, labels: 2, triggers: new Map([[42, new Map([[1, 40]])]]) });
 */
export function buildTinyClassifier(spec: TinyClassifierSpec): TinyClassifier {
  const V = spec.vocabSize;
  const L = spec.labels;
  const H = L + 2;
  const rand = random(spec.seed ?? 1);
  const embedding = Float32Array.from({ length: V * H }, () => rand() * 0.05);
  for (const [token, labels] of spec.triggers) {
    for (const [label, weight] of labels) embedding[token * H + label] = (embedding[token * H + label] ?? 0) + weight;
  }
  const typeEmbedding = Float32Array.from({ length: 2 * H }, () => rand() * 0.05);
  const w = Float32Array.from({ length: H * L }, (_, i) => (Math.floor(i / L) === i % L ? 1 : 0) + rand() * 0.1);
  const b = new Float32Array(L).fill(spec.bias ?? -3);
  const withTypes = spec.tokenTypeIds !== false;

  const nodes: onnx.INodeProto[] = [node("Gather", ["embedding", "input_ids"], [withTypes ? "word" : "x"])];
  if (withTypes) {
    nodes.push(node("Gather", ["type_embedding", "token_type_ids"], ["type"]), node("Add", ["word", "type"], ["x"]));
  }
  nodes.push(
    node(
      "Cast",
      ["attention_mask"],
      ["mask"],
      [{ name: "to", type: proto.AttributeProto.AttributeType.INT, i: FLOAT }],
    ),
    node("Unsqueeze", ["mask", "axis2"], ["mask3"]),
    node("Mul", ["x", "mask3"], ["masked"]),
    node(
      "ReduceSum",
      ["masked", "axis1"],
      ["sum"],
      [{ name: "keepdims", type: proto.AttributeProto.AttributeType.INT, i: 0 }],
    ),
    node(
      "ReduceSum",
      ["mask", "axis1"],
      ["count"],
      [{ name: "keepdims", type: proto.AttributeProto.AttributeType.INT, i: 1 }],
    ),
    node("Div", ["sum", "count"], ["pooled"]),
    node("MatMul", ["pooled", "W"], ["projected"]),
    node("Add", ["projected", "b"], [spec.float16Logits ? "logits32" : "logits"]),
  );
  if (spec.float16Logits) {
    const to = { name: "to", type: proto.AttributeProto.AttributeType.INT, i: proto.TensorProto.DataType.FLOAT16 };
    nodes.push(node("Cast", ["logits32"], ["logits"], [to]));
  }
  const graph: onnx.IGraphProto = {
    name: "tiny-text-classifier",
    node: nodes,
    initializer: [
      floats("embedding", [V, H], embedding),
      ...(withTypes ? [floats("type_embedding", [2, H], typeEmbedding)] : []),
      floats("W", [H, L], w),
      floats("b", [L], b),
      ints("axis1", [1]),
      ints("axis2", [2]),
    ],
    input: [
      input("input_ids", INT64, ["batch_size", "sequence_length"]),
      input("attention_mask", INT64, ["batch_size", "sequence_length"]),
      ...(withTypes ? [input("token_type_ids", INT64, ["batch_size", "sequence_length"])] : []),
    ],
    output: [input("logits", spec.float16Logits ? proto.TensorProto.DataType.FLOAT16 : FLOAT, ["batch_size", L])],
  };
  const model = proto.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "gemma-edge tests",
    graph,
  }).finish();

  return {
    model,
    logits(ids, typeIds = []) {
      const pooled = new Array<number>(H).fill(0);
      ids.forEach((token, s) => {
        for (let h = 0; h < H; h++) {
          pooled[h] =
            (pooled[h] ?? 0) +
            (embedding[token * H + h] ?? Number.NaN) +
            (withTypes ? (typeEmbedding[(typeIds[s] ?? 0) * H + h] ?? 0) : 0);
        }
      });
      return Array.from({ length: L }, (_, l) => {
        let sum = b[l] ?? 0;
        for (let h = 0; h < H; h++) sum += ((pooled[h] ?? 0) / ids.length) * (w[h * L + l] ?? 0);
        return sum;
      });
    },
  };
}

/** The tiny toxic-comment classifier over `TINY_BERT_TOKENIZER`, with `TOXIC_TRIGGERS`. */
export function tinyToxicClassifier(
  options: Pick<TinyClassifierSpec, "tokenTypeIds" | "seed" | "float16Logits"> = {},
): TinyClassifier {
  const triggers = new Map<number, Map<number, number>>();
  for (const [word, labels] of Object.entries(TOXIC_TRIGGERS)) {
    const weights = new Map<number, number>();
    for (const [label, weight] of Object.entries(labels)) weights.set(TOXIC_LABELS.indexOf(label as never), weight);
    triggers.set(bertId(word), weights);
  }
  return buildTinyClassifier({ vocabSize: TINY_BERT_VOCAB.length, labels: TOXIC_LABELS.length, triggers, ...options });
}
