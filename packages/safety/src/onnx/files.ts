/**
 * Reading the files of a Hugging Face ONNX export (`optimum-cli export onnx --task text-classification`): `model.onnx`,
 * `tokenizer.json` and `config.json`, through a caller's `read` function, so the same code loads from a folder in Node,
 * an R2 bucket in a Worker or `fetch` in a browser (no Node API here).
 */
import { OnnxConfigError } from "./errors.js";

export interface OnnxModelFiles {
  readonly model: Uint8Array;
  readonly tokenizer: object;
  readonly config: object;
}

export interface ReadOnnxModelFilesOptions {
  /** The model's file name: `model_quantized.onnx` for a quantized export, `onnx/model.onnx` in many hub repos. */
  readonly modelFile?: string;
}

/** Bytes or text of a file by name (relative to the export's folder). */
export type ReadFile = (name: string) => Promise<Uint8Array | ArrayBuffer | string>;

/** `TextDecoder` is in every runtime this package targets but not in the ES lib it builds against. */
const utf8 = new (
  globalThis as unknown as { TextDecoder: new () => { decode(bytes: Uint8Array): string } }
).TextDecoder();

async function json(read: ReadFile, name: string): Promise<object> {
  const content = await read(name);
  const text =
    typeof content === "string"
      ? content
      : utf8.decode(content instanceof Uint8Array ? content : new Uint8Array(content));
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null) return value;
  } catch {
    // reported below
  }
  throw new OnnxConfigError(`${name} is not a JSON object`);
}

/**
 * The three files of an export, read with `read`.
 *
 * @example
 * import { readFile } from "node:fs/promises";
 * const files = await readOnnxModelFiles((name) => readFile(`models/toxic-bert/${name}`));
 * const onnx = await createOnnxClassifier({ ...files, labels: { toxic: "harassment", … } });
 */
export async function readOnnxModelFiles(
  read: ReadFile,
  options: ReadOnnxModelFilesOptions = {},
): Promise<OnnxModelFiles> {
  const modelFile = options.modelFile ?? "model.onnx";
  const [model, tokenizer, config] = await Promise.all([
    read(modelFile),
    json(read, "tokenizer.json"),
    json(read, "config.json"),
  ]);
  if (typeof model === "string") throw new OnnxConfigError(`${modelFile} must be read as bytes, not text`);
  return { model: model instanceof Uint8Array ? model : new Uint8Array(model), tokenizer, config };
}
