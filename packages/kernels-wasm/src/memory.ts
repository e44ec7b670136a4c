/**
 * The kernels' view of their WebAssembly.Memory: a bump allocator above the module's statics, and typed handles
 * for what lives there. Weights are written once and never expanded; scratch is allocated once per run state.
 * wasm32 memory tops out at 4 GiB: Gemma 2B at Q8_0 (≈2.7 GB) fits, at F32 (≈10 GB) it does not.
 */
import { BufferRangeError, KernelMemoryError } from "./errors.js";
import type { WeightFormat } from "./formats.js";

/** Bytes below this offset belong to the wasm module's static data (checked by scripts/build-wasm.mjs). */
export const STATIC_LIMIT = 65536;
export const PAGE = 65536;
export const MAX_PAGES = 65536;

/**
 * Private scratch of each kernel instance (the calling thread's and every worker's: assembly/thread-scratch.ts). The
 * prefill matmul keeps two rows' f32 scales there, 32 bytes per 128 columns, and the Q4_0 2 × 4 tile's 128 bytes of
 * accumulators, so packing stops at MAX_PACKED_COLS (131072); attention keeps four heads' running max and sum (32 bytes)
 * at its start.
 */
export const THREAD_SCRATCH_BYTES = 32768 + 128;

/** A run of f32 (or, for an f16 KV cache, u16) values in wasm memory. */
export interface Buffer {
  readonly ptr: number;
  /** Number of elements. */
  readonly length: number;
  readonly dtype: "f32" | "f16" | "i32";
}

/** A weight matrix stored in its GGUF block layout, or, when `packed`, in the kernels' packed layout (reference/pack.ts). */
export interface WeightTensor {
  readonly ptr: number;
  readonly format: WeightFormat;
  readonly rows: number;
  readonly cols: number;
  readonly byteLength: number;
  /** Rows regrouped by `WasmKernels.pack` for the prefill kernels (same size, other byte order). */
  readonly packed?: boolean;
}

const BYTES = { f32: 4, f16: 2, i32: 4 } as const;

/** Wasm memory for an op's temporaries: grows (at least doubling) when asked for more, never shrinks. */
export class Scratch {
  #ptr = 0;
  #bytes = 0;

  constructor(readonly arena: Arena) {}

  /** The start of at least `bytes` bytes; earlier contents survive only a call that did not grow. */
  reserve(bytes: number): number {
    if (bytes > this.#bytes) {
      this.#bytes = Math.max(bytes, 2 * this.#bytes);
      this.#ptr = this.arena.alloc(this.#bytes);
    }
    return this.#ptr;
  }
}

export class Arena {
  #top = STATIC_LIMIT;
  readonly #owned = new WeakSet<object>();

  constructor(readonly memory: WebAssembly.Memory) {
    const bytes = memory.buffer.byteLength;
    if (bytes < STATIC_LIMIT) this.#grow(STATIC_LIMIT);
  }

  /** Bytes handed out so far (statics included). */
  get used(): number {
    return this.#top;
  }

  /** Reserves `bytes` at `align`, growing the memory; throws KernelMemoryError past 4 GiB or when the host refuses. */
  alloc(bytes: number, align = 64): number {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new BufferRangeError(`cannot allocate ${bytes} bytes`);
    const ptr = Math.ceil(this.#top / align) * align;
    const end = ptr + bytes;
    if (end > MAX_PAGES * PAGE) {
      throw new KernelMemoryError(
        `allocating ${bytes} bytes needs ${(end / 2 ** 30).toFixed(2)} GiB of wasm memory; wasm32 tops out at 4 GiB`,
      );
    }
    if (end > this.memory.buffer.byteLength) this.#grow(end);
    this.#top = end;
    return ptr;
  }

  buffer(length: number, dtype: Buffer["dtype"] = "f32"): Buffer {
    return this.#own({ ptr: this.alloc(length * BYTES[dtype]), length, dtype });
  }

  weight(format: WeightFormat, rows: number, cols: number, byteLength: number): WeightTensor {
    return this.#own({ ptr: this.alloc(byteLength), format, rows, cols, byteLength });
  }

  /** Registers a handle over memory this arena already handed out (a reinterpreted tensor). */
  adopt<T extends WeightTensor>(value: T): T {
    return this.#own(value);
  }

  /** Throws unless `b` was allocated by this arena and lies inside the memory. */
  check(b: Buffer | WeightTensor, what: string): void {
    if (!this.#owned.has(b)) throw new BufferRangeError(`${what} was not allocated by these kernels`);
    const bytes = "dtype" in b ? b.length * BYTES[b.dtype] : b.byteLength;
    if (b.ptr < STATIC_LIMIT || b.ptr + bytes > this.memory.buffer.byteLength) {
      throw new BufferRangeError(`${what} lies outside the kernels' memory`);
    }
  }

  f32(b: Buffer): Float32Array {
    return new Float32Array(this.memory.buffer, b.ptr, b.length);
  }

  bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  #own<T extends object>(value: T): T {
    const frozen = Object.freeze(value);
    this.#owned.add(frozen);
    return frozen;
  }

  #grow(end: number): void {
    const pages = Math.ceil((end - this.memory.buffer.byteLength) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (cause) {
      throw new KernelMemoryError(`the host refused to grow wasm memory to ${(end / 2 ** 20).toFixed(0)} MiB`, {
        cause,
      });
    }
  }
}
