/**
 * Typed errors of the tokenizer and the chat template. Each is a `TokenizerError` (check with
 * `TokenizerError.isInstance`, which works across copies of the package) with a stable `name`.
 */
const marker = Symbol.for("gemma-edge.gemma.tokenizer-error");

export class TokenizerError extends Error {
  readonly [marker] = true;
  override readonly name: string = "TokenizerError";

  static isInstance(value: unknown): value is TokenizerError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** A tokenizer file or GGUF metadata this tokenizer cannot use: wrong model type, missing or malformed fields. */
export class InvalidTokenizerError extends TokenizerError {
  override readonly name: string = "InvalidTokenizerError";
}

/** A token id outside the vocabulary was given to `decode` or `tokenToPiece`. */
export class TokenIdError extends TokenizerError {
  override readonly name: string = "TokenIdError";
  constructor(readonly id: number) {
    super(`token id ${id} is outside the vocabulary`);
  }
}
