/**
 * Getting a device with the adapter's full buffer limits (WebGPU's defaults cap a storage binding at 128 MiB), and
 * watching it: device loss and uncaptured errors become typed errors at the next op, read or flush.
 */
import { DeviceLostError, GpuOutOfMemoryError, GpuValidationError, WebGpuUnavailableError } from "./errors.js";

export interface CreateOptions {
  /** The adapter to open a device on. @default navigator.gpu.requestAdapter() */
  adapter?: GPUAdapter;
  /** A device to use as is (its limits are what it was created with). */
  device?: GPUDevice;
  /** Caps bytes per weight part and buffer below the device limit (tests use it to force splitting). */
  maxBindingBytes?: number;
  /** Caps workgroups per grid dimension below the device limit (tests use it to force 2-D grids). */
  maxWorkgroupsPerDimension?: number;
  /**
   * What matmuls over quantized weights read: the f32 activations as they are, or those activations rounded the way
   * kernels-wasm quantizes them to q8a (per 32 values, max|x|/127 steps), so both backends — and llama.cpp — compute
   * the same products. @default "f32"
   */
  activations?: "f32" | "q8a";
}

export interface OpenDevice {
  device: GPUDevice;
  /** Whether the adapter is a CPU fallback (SwiftShader, WARP): slower than the WASM kernels. */
  fallback: boolean;
}

export async function openDevice(options: CreateOptions): Promise<OpenDevice> {
  if (options.device) return { device: options.device, fallback: false };
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const adapter = options.adapter ?? (await gpu?.requestAdapter());
  if (!adapter) throw new WebGpuUnavailableError("no WebGPU adapter (navigator.gpu is missing or returned none)");
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  const fallback = Boolean(info?.isFallbackAdapter ?? legacy.isFallbackAdapter);
  const { maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
  try {
    const device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize } });
    return { device, fallback };
  } catch (cause) {
    throw new WebGpuUnavailableError("the adapter refused a device", { cause });
  }
}

/** Loss and errors of one device, raised as typed errors where the kernels can throw them. */
export class DeviceWatch {
  #lost: GPUDeviceLostInfo | undefined;
  #error: GPUError | undefined;

  constructor(device: GPUDevice) {
    device.lost.then((info) => {
      this.#lost = info;
    });
    device.addEventListener("uncapturederror", (event) => {
      this.#error ??= (event as GPUUncapturedErrorEvent).error;
    });
  }

  /** Throws DeviceLostError once the device is gone. */
  alive(): void {
    if (this.#lost) throw new DeviceLostError(`the GPU device was lost (${this.#lost.reason}): ${this.#lost.message}`);
  }

  /** Throws (once) the first error WebGPU reported since the last call. */
  check(): void {
    this.alive();
    const error = this.#error;
    if (!error) return;
    this.#error = undefined;
    if (typeof GPUOutOfMemoryError === "function" && error instanceof GPUOutOfMemoryError)
      throw new GpuOutOfMemoryError(`the GPU ran out of memory: ${error.message}`);
    throw new GpuValidationError(`WebGPU reported: ${error.message}`);
  }

  /** Runs a GPU allocation, turning a RangeError (a failed mappedAtCreation) into GpuOutOfMemoryError. */
  allocating<T>(what: string, fn: () => T): T {
    this.alive();
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof RangeError) throw new GpuOutOfMemoryError(`could not allocate ${what}`, { cause });
      throw cause;
    }
  }
}
