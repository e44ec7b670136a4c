/**
 * The ONNX classifier (`onnx`): a Hugging Face text-classification model exported to ONNX (`model.onnx`,
 * `tokenizer.json`, `config.json`), run by onnxruntime-web's wasm backend. Text → token ids (`tokenizer/`) →
 * `logits` [1, L] → sigmoid or softmax → each label's probability reported as the categories the caller maps it to
 * (the highest where labels share a category; labels mapped to null are ignored).
 */
import { type Category, isCategory } from "../classifiers/taxonomy.js";
import type { CategoryScores, Classifier } from "../classifiers/types.js";
import { OnnxConfigError, OnnxModelError } from "./errors.js";
import { createSession, ort, type RuntimeOptions } from "./runtime.js";
import { createTokenizer, type TextTokenizer } from "./tokenizer/index.js";

/** How logits become probabilities: `sigmoid` per label (multi-label models), `softmax` across labels. */
export type Activation = "sigmoid" | "softmax";

export interface OnnxClassifierOptions extends RuntimeOptions {
  /** The `model.onnx` bytes. */
  readonly model: Uint8Array | ArrayBuffer;
  /** The parsed `tokenizer.json`. */
  readonly tokenizer: object;
  /** The parsed `config.json`: its `id2label` names the outputs, its `problem_type` picks the activation. */
  readonly config: object;
  /**
   * Every `id2label` name → the categories its probability reports as, or null to ignore it (`neutral`, `SAFE`).
   * A label left out, or a name the config does not have, is an `OnnxConfigError`, so a typo cannot silently drop a
   * label.
   */
  readonly labels: Readonly<Record<string, Category | readonly Category[] | null>>;
  /** The name policies select it by. @default "onnx" */
  readonly name?: string;
  /**
   * The most tokens one model run sees, special tokens included; longer texts are cut at the end (as the tokenizer's
   * truncation does). @default min(512, config.max_position_embeddings)
   */
  readonly maxTokens?: number;
  /**
   * How many consecutive windows of `maxTokens` a long text is scored in (one model run each; the highest score per
   * category counts). 1 scores only the beginning, so text past it is not seen. @default 1
   */
  readonly maxWindows?: number;
  /**
   * @default "sigmoid" when `config.problem_type` is `multi_label_classification`, else "softmax" (what
   * transformers' text-classification pipeline does)
   */
  readonly activation?: Activation;
}

interface Config {
  readonly id2label?: unknown;
  readonly problem_type?: unknown;
  readonly max_position_embeddings?: unknown;
}

/** The label names by output index. */
function labelNames(config: Config): string[] {
  const map = config.id2label;
  if (typeof map !== "object" || map === null) throw new OnnxConfigError("config.json has no id2label object");
  const entries = Object.entries(map);
  const names: string[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= entries.length || typeof name !== "string") {
      throw new OnnxConfigError(`config.json id2label has a bad entry "${key}": ${JSON.stringify(name)}`);
    }
    names[index] = name;
  }
  return names;
}

/** For each output index, the categories it reports as. */
function labelCategories(names: readonly string[], labels: OnnxClassifierOptions["labels"]): Category[][] {
  for (const key of Object.keys(labels)) {
    if (!names.includes(key)) {
      throw new OnnxConfigError(`labels maps "${key}", which config.json id2label does not name (${names.join(", ")})`);
    }
  }
  return names.map((name) => {
    if (!Object.hasOwn(labels, name)) {
      throw new OnnxConfigError(`labels does not map the model's label "${name}" (map it to null to ignore it)`);
    }
    const value = labels[name];
    const list: readonly string[] =
      value === null || value === undefined ? [] : typeof value === "string" ? [value] : value;
    for (const category of list) {
      if (!isCategory(category)) throw new OnnxConfigError(`labels maps "${name}" to "${category}", not a category`);
    }
    return list as Category[];
  });
}

/** Probabilities of `logits` under `activation`; softmax subtracts the maximum first, so large logits stay finite. */
export function activate(logits: readonly number[], activation: Activation): number[] {
  if (activation === "sigmoid") return logits.map((x) => 1 / (1 + Math.exp(-x)));
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** IEEE half-precision bits → number. */
function halfToNumber(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** A float32 or float16 (`optimum --dtype fp16` exports) tensor's values; ORT gives float16 as raw bits or Float16Array. */
function floats(tensor: ort.Tensor): number[] {
  const data = tensor.data as ArrayLike<number>;
  return tensor.type === "float16" && data instanceof Uint16Array ? Array.from(data, halfToNumber) : Array.from(data);
}

const FEEDABLE = new Set(["input_ids", "attention_mask", "token_type_ids"]);

/** The output size a session declares for `name` ([batch, L]), when it is a fixed number. */
function declaredLabels(session: ort.InferenceSession, name: string): number | undefined {
  const meta = session.outputMetadata.find((m) => m.name === name);
  const last = meta?.isTensor ? meta.shape.at(-1) : undefined;
  return typeof last === "number" ? last : undefined;
}

/** The name of the logits output, after checking the session's inputs and outputs fit `labels` labels. */
function checkSession(session: ort.InferenceSession, labels: number): string {
  for (const name of session.inputNames) {
    if (!FEEDABLE.has(name)) throw new OnnxConfigError(`the model takes an input "${name}" the classifier cannot feed`);
  }
  if (!session.inputNames.includes("input_ids")) throw new OnnxConfigError("the model has no input_ids input");
  const output = session.outputNames.includes("logits") ? "logits" : session.outputNames[0];
  if (output === undefined || (session.outputNames.length > 1 && output !== "logits")) {
    throw new OnnxConfigError(`the model has no logits output (${session.outputNames.join(", ")})`);
  }
  const declared = declaredLabels(session, output);
  if (declared !== undefined && declared !== labels) {
    throw new OnnxConfigError(`config.json id2label names ${labels} labels; the model outputs ${declared}`);
  }
  return output;
}

/**
 * The ONNX classifier. Creates the onnxruntime session now (so a corrupt model, a config that does not fit it or a
 * label mapping with gaps fails here, not on a request); `classify` calls run one at a time on that session.
 *
 * @example
 * const onnx = await createOnnxClassifier({
 *   model: await readFile("toxic-bert/model.onnx"),
 *   tokenizer: JSON.parse(await readFile("toxic-bert/tokenizer.json", "utf8")),
 *   config: JSON.parse(await readFile("toxic-bert/config.json", "utf8")),
 *   labels: { toxic: "harassment", severe_toxic: "harassment", obscene: "profanity", threat: "violence",
 *             insult: "harassment", identity_hate: "hate" },
 * });
 * await onnx.classify("I will kill you", { stage: "input" }); // { violence: 0.9…, harassment: 0.8…, … }
 */
export async function createOnnxClassifier(options: OnnxClassifierOptions): Promise<Classifier> {
  const config = options.config as Config;
  const names = labelNames(config);
  const categories = labelCategories(names, options.labels);
  const tokenizer: TextTokenizer = createTokenizer(options.tokenizer);
  const positions = typeof config.max_position_embeddings === "number" ? config.max_position_embeddings : 512;
  const maxTokens = options.maxTokens ?? Math.min(512, positions);
  const maxWindows = options.maxWindows ?? 1;
  if (!(Number.isInteger(maxTokens) && maxTokens > tokenizer.specialTokens)) {
    throw new RangeError(`maxTokens must be an integer above the ${tokenizer.specialTokens} special tokens`);
  }
  if (!(Number.isInteger(maxWindows) && maxWindows >= 1)) throw new RangeError("maxWindows must be an integer ≥ 1");
  const activation =
    options.activation ?? (config.problem_type === "multi_label_classification" ? "sigmoid" : "softmax");

  const bytes = options.model instanceof Uint8Array ? options.model : new Uint8Array(options.model);
  const session = await createSession(bytes, options);
  let output: string;
  try {
    output = checkSession(session, names.length);
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }

  const int64 = (values: readonly number[]) =>
    new ort.Tensor(
      "int64",
      BigInt64Array.from(values, (v) => BigInt(v)),
      [1, values.length],
    );
  /** Label probabilities of one window. */
  const run = async (ids: readonly number[], typeIds: readonly number[]): Promise<number[]> => {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      if (name === "input_ids") feeds[name] = int64(ids);
      else if (name === "attention_mask") feeds[name] = int64(ids.map(() => 1));
      else feeds[name] = int64(typeIds);
    }
    let logits: ort.Tensor | undefined;
    try {
      logits = (await session.run(feeds))[output];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new OnnxModelError(`onnxruntime failed to run the model: ${message}`, { cause: error });
    }
    if (
      logits === undefined ||
      logits.size !== names.length ||
      !(logits.type === "float32" || logits.type === "float16")
    ) {
      throw new OnnxConfigError(
        `config.json id2label names ${names.length} labels; the model's ${output} has ${logits?.size} ${logits?.type} values`,
      );
    }
    return activate(floats(logits), activation);
  };

  let queue: Promise<unknown> = Promise.resolve();
  const score = (text: string): Promise<CategoryScores> => {
    const result = queue.then(async () => {
      const scores: CategoryScores = {};
      for (const { ids, typeIds } of tokenizer.windows(text, { maxTokens, maxWindows })) {
        const probabilities = await run(ids, typeIds);
        probabilities.forEach((p, i) => {
          if (!(p >= 0 && p <= 1)) return; // a NaN logit scores nothing
          for (const category of categories[i] ?? []) scores[category] = Math.max(scores[category] ?? 0, p);
        });
      }
      return scores;
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    name: options.name ?? "onnx",
    async classify(text) {
      if (text.trim() === "") return {};
      return score(text);
    },
  };
}
