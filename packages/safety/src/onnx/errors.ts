/**
 * Typed errors of the ONNX classifier. Every error is an `OnnxClassifierError` (check with
 * `OnnxClassifierError.isInstance`, which works across copies of the package) with a stable `name`.
 */
const MARKER = Symbol.for("gemma-edge.safety.OnnxClassifierError");

export class OnnxClassifierError extends Error {
  readonly [MARKER] = true;
  override readonly name: string = "OnnxClassifierError";

  /** Whether `error` is an `OnnxClassifierError` of any kind, across package copies. */
  static isInstance(error: unknown): error is OnnxClassifierError {
    return typeof error === "object" && error !== null && MARKER in error;
  }
}

/** A `tokenizer.json` component this package does not implement, e.g. `model: Unigram`. */
export class UnsupportedTokenizerError extends OnnxClassifierError {
  override readonly name = "UnsupportedTokenizerError";
  /** Which part: `model`, `normalizer`, `pre_tokenizer`, `post_processor`. */
  readonly component: string;
  /** The `type` the file names. */
  readonly type: string;

  constructor(component: string, type: string) {
    super(`tokenizer.json ${component} "${type}" is not supported`);
    this.component = component;
    this.type = type;
  }
}

/** A `tokenizer.json`, `config.json` or label mapping that is malformed or does not fit the model. */
export class OnnxConfigError extends OnnxClassifierError {
  override readonly name = "OnnxConfigError";
}

/** onnxruntime could not load the model (corrupt bytes, unknown ops) or run it. */
export class OnnxModelError extends OnnxClassifierError {
  override readonly name = "OnnxModelError";
}
