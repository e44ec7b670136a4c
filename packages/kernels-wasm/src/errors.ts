/**
 * Typed errors of the kernels' TypeScript boundary. Every error is a `KernelError` (check with
 * `KernelError.isInstance`, which works across copies of the package) with a stable `name`.
 */
const marker = Symbol.for("gemma-edge.kernels-wasm.error");

export class KernelError extends Error {
  readonly [marker] = true;
  override readonly name: string = "KernelError";

  static isInstance(value: unknown): value is KernelError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** Operand shapes do not fit the op (lengths, block multiples, head counts). */
export class ShapeError extends KernelError {
  override readonly name = "ShapeError";
}

/** A weight format the kernels do not read, or an op that format does not support. */
export class UnsupportedFormatError extends KernelError {
  override readonly name = "UnsupportedFormatError";
}

/** A buffer that is not from this kernel instance, misaligned, released, or out of the memory's range. */
export class BufferRangeError extends KernelError {
  override readonly name = "BufferRangeError";
}

/** The wasm memory cannot grow to what was asked (wasm32 tops out at 4 GiB). */
export class KernelMemoryError extends KernelError {
  override readonly name = "KernelMemoryError";
}

/** The wasm code trapped. The op's output is undefined; the instance stays usable. */
export class KernelTrapError extends KernelError {
  override readonly name = "KernelTrapError";
}

/** No build could be loaded (no SIMD, a missing or corrupt .wasm, a failed self-test). */
export class KernelLoadError extends KernelError {
  override readonly name = "KernelLoadError";
}
