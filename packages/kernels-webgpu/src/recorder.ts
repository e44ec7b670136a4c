/**
 * Records ops into one command encoder until a read or flush submits it: one compute pass while dispatches follow
 * each other (a dispatch sees the writes of the one before), closed for buffer copies. Per-dispatch parameters go to
 * a uniform arena (one 256-byte slot each, bound by dynamic offset) and per-op data (RoPE tables, token ids, staged
 * writes) to a data arena; both are staged in memory and written to the GPU just before the submit, so queue order
 * keeps every op's own values. The arenas grow (a submit in between) until a forward fits; then nothing allocates.
 */

import { BUFFER, STORAGE_USAGE } from "./flags.js";
import { PARAMS_BYTES, type Shader } from "./shaders.js";

/** A Params field: a u32 or an f32. */
export type Param = { u: number } | { f: number };

export const u = (value: number): Param => ({ u: value });
export const f = (value: number): Param => ({ f: value });

const MAX_SLOTS = 8192;

export interface Reservation {
  /** Byte offset of the dispatch's Params in the uniform arena. */
  params: number;
  /** Word offset of the data in the data arena. */
  data: number;
}

export class Recorder {
  #encoder: GPUCommandEncoder | undefined;
  #pass: GPUComputePassEncoder | undefined;
  readonly #slot: number;
  #slots = 512;
  #usedSlots = 0;
  #paramStage: DataView;
  #uniforms: GPUBuffer;
  #dataWords = 1 << 16;
  #usedData = 0;
  #dataStage: Uint32Array;
  #data: GPUBuffer;
  /** Bumped when an arena buffer is replaced: bind groups made before then are stale. */
  generation = 0;
  /** Submits so far (for tests: ops of one forward share one). */
  submits = 0;

  constructor(readonly device: GPUDevice) {
    this.#slot = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
    this.#paramStage = new DataView(new ArrayBuffer(this.#slots * this.#slot));
    this.#uniforms = this.#uniformBuffer();
    this.#dataStage = new Uint32Array(this.#dataWords);
    this.#data = device.createBuffer({ label: "data arena", size: this.#dataWords * 4, usage: STORAGE_USAGE });
  }

  get uniforms(): GPUBuffer {
    return this.#uniforms;
  }

  get data(): GPUBuffer {
    return this.#data;
  }

  /** Whether ops wait to be submitted. */
  get pending(): boolean {
    return this.#encoder !== undefined;
  }

  /** Stages one dispatch's Params and optional data. May submit first (and grow the arenas), never after. */
  reserve(params: readonly Param[], data?: Uint32Array | Float32Array): Reservation {
    const words = data ? (data.length + 63) & ~63 : 0; // keep each op's data 256-byte aligned
    const slotsFull = this.#usedSlots + 1 > this.#slots;
    const dataFull = this.#usedData + words > this.#dataWords;
    if (slotsFull || dataFull) {
      this.submit();
      this.#grow(slotsFull, dataFull ? words : 0);
    }
    const at = this.#usedSlots++ * this.#slot;
    params.forEach((p, i) => {
      if ("u" in p) this.#paramStage.setUint32(at + i * 4, p.u, true);
      else this.#paramStage.setFloat32(at + i * 4, p.f, true);
    });
    const dataAt = this.#usedData;
    if (data) {
      this.#dataStage.set(
        data instanceof Float32Array ? new Uint32Array(data.buffer, data.byteOffset, data.length) : data,
        dataAt,
      );
      this.#usedData += words;
    }
    return { params: at, data: dataAt };
  }

  /** Sets u32 field `index` of staged Params at byte offset `at` (e.g. a data offset known only after staging). */
  patchParam(at: number, index: number, value: number): void {
    this.#paramStage.setUint32(at + index * 4, value, true);
  }

  dispatch(shader: Shader, group: GPUBindGroup, params: number, grid: readonly [number, number, number]): void {
    if (!this.#pass) this.#pass = this.#encode().beginComputePass();
    this.#pass.setPipeline(shader.pipeline);
    this.#pass.setBindGroup(0, group, [params]);
    this.#pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.#endPass();
    this.#encode().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Writes the staged arenas and submits the recorded ops (nothing to do when none are pending). */
  submit(): void {
    if (!this.#encoder) return;
    this.#endPass();
    const queue = this.device.queue;
    if (this.#usedSlots > 0)
      queue.writeBuffer(this.#uniforms, 0, this.#paramStage.buffer, 0, this.#usedSlots * this.#slot);
    if (this.#usedData > 0) queue.writeBuffer(this.#data, 0, this.#dataStage.buffer, 0, this.#usedData * 4);
    queue.submit([this.#encoder.finish()]);
    this.#encoder = undefined;
    this.#usedSlots = 0;
    this.#usedData = 0;
    this.submits++;
  }

  /** The uniform binding of a bind group: PARAMS_BYTES at the dynamic offset. */
  uniformBinding(): GPUBufferBinding {
    return { buffer: this.#uniforms, size: PARAMS_BYTES };
  }

  #encode(): GPUCommandEncoder {
    this.#encoder ??= this.device.createCommandEncoder();
    return this.#encoder;
  }

  #endPass(): void {
    this.#pass?.end();
    this.#pass = undefined;
  }

  #uniformBuffer(): GPUBuffer {
    const usage = BUFFER.UNIFORM | BUFFER.COPY_DST;
    return this.device.createBuffer({ label: "uniform arena", size: this.#slots * this.#slot, usage });
  }

  /** After a submit: doubles whichever arena ran out (the data arena to at least twice `words`). */
  #grow(slots: boolean, words: number): void {
    if (slots && this.#slots < MAX_SLOTS) {
      this.#uniforms.destroy();
      this.#slots *= 2;
      this.#paramStage = new DataView(new ArrayBuffer(this.#slots * this.#slot));
      this.#uniforms = this.#uniformBuffer();
    }
    if (words > 0) {
      this.#data.destroy();
      this.#dataWords = Math.max(this.#dataWords * 2, 2 * words);
      this.#dataStage = new Uint32Array(this.#dataWords);
      this.#data = this.device.createBuffer({ label: "data arena", size: this.#dataWords * 4, usage: STORAGE_USAGE });
    }
    this.generation++;
  }
}
