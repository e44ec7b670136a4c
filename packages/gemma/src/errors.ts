/**
 * Typed errors of the model-file layer (GGUF, safetensors, config, byte sources). Every error is a
 * `ModelFileError` (check with `ModelFileError.isInstance`, which works across copies of the package) with a stable
 * `name`. Every check that can fail is made before the allocation it guards, so a corrupt or hostile file gives one of
 * these errors, never a crash, a hang or a giant allocation.
 */
const marker = Symbol.for("gemma-edge.gemma.model-file-error");

export class ModelFileError extends Error {
  readonly [marker] = true;
  override readonly name: string = "ModelFileError";

  static isInstance(value: unknown): value is ModelFileError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** The file does not start with the format's magic bytes ("GGUF"). */
export class BadMagicError extends ModelFileError {
  override readonly name = "BadMagicError";
}

/** A GGUF version this reader does not know (it reads 2 and 3). */
export class UnsupportedVersionError extends ModelFileError {
  override readonly name = "UnsupportedVersionError";
}

/** A field or a tensor's bytes lie past the end of the file. */
export class TruncatedFileError extends ModelFileError {
  override readonly name = "TruncatedFileError";
}

/** A count or length that cannot fit in the file, or that passes a configured limit. */
export class LimitExceededError extends ModelFileError {
  override readonly name = "LimitExceededError";
}

/** A string that is not valid UTF-8. */
export class InvalidStringError extends ModelFileError {
  override readonly name = "InvalidStringError";
}

/** A malformed metadata value: unknown value type, bad bool, bad alignment, too-deep nesting. */
export class InvalidMetadataError extends ModelFileError {
  override readonly name = "InvalidMetadataError";
}

/** A tensor whose shape or placement is invalid: rank, dims, overflow, misaligned, overlapping, duplicate name. */
export class InvalidTensorError extends ModelFileError {
  override readonly name = "InvalidTensorError";
  constructor(
    message: string,
    /** The tensor at fault. */
    readonly tensorName: string,
  ) {
    super(message);
  }
}

/** A tensor stored in a type (GGML type or safetensors dtype) the kernels do not read. */
export class UnsupportedTensorTypeError extends ModelFileError {
  override readonly name = "UnsupportedTensorTypeError";
  constructor(
    message: string,
    readonly tensorName: string,
    /** The GGML type id (GGUF) or dtype string (safetensors). */
    readonly tensorType: number | string,
  ) {
    super(message);
  }
}

/** The model is not a Gemma architecture this runtime knows (gemma, gemma2, gemma3). */
export class UnsupportedArchitectureError extends ModelFileError {
  override readonly name = "UnsupportedArchitectureError";
}

/** A hyperparameter that is missing, of the wrong type or out of range. */
export class ConfigError extends ModelFileError {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    /** The metadata key or config.json field at fault. */
    readonly key: string,
  ) {
    super(message);
  }
}

/** A safetensors header (or sharded index) that is not the JSON it must be. */
export class InvalidHeaderError extends ModelFileError {
  override readonly name = "InvalidHeaderError";
}

/** A byte source failed: an HTTP status, a server that sends the wrong range, a closed file. */
export class SourceError extends ModelFileError {
  override readonly name = "SourceError";
}

/** The file's SHA-256 is not the one the caller expected. */
export class ChecksumMismatchError extends ModelFileError {
  override readonly name = "ChecksumMismatchError";
}
