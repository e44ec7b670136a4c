/**
 * Typed errors of the WebGPU kernels. Shapes, formats and foreign buffers raise kernels-wasm's `ShapeError`,
 * `UnsupportedFormatError` and `BufferRangeError`; what only a GPU does wrong raises the errors here. Each is also a
 * `KernelError` (kernels-wasm's marker) and a `WebGpuError` (`WebGpuError.isInstance` works across package copies).
 */
import { KernelError } from "@gemma-edge/kernels-wasm";

const marker = Symbol.for("gemma-edge.kernels-webgpu.error");

export class WebGpuError extends KernelError {
  readonly [marker] = true;
  override readonly name: string = "WebGpuError";

  static override isInstance(value: unknown): value is WebGpuError {
    return typeof value === "object" && value !== null && marker in value;
  }
}

/** The GPU device was lost (driver reset, `destroy()`, a tab in the background); every buffer on it is gone. */
export class DeviceLostError extends WebGpuError {
  override readonly name = "DeviceLostError";
}

/** The device could not allocate a buffer (reported by WebGPU as a GPUOutOfMemoryError). */
export class GpuOutOfMemoryError extends WebGpuError {
  override readonly name = "GpuOutOfMemoryError";
}

/** WebGPU rejected a command: a bug in these kernels (shapes are checked before anything is encoded). */
export class GpuValidationError extends WebGpuError {
  override readonly name = "GpuValidationError";
}

/** No WebGPU adapter or device could be obtained. */
export class WebGpuUnavailableError extends WebGpuError {
  override readonly name = "WebGpuUnavailableError";
}
