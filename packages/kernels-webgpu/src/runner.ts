/**
 * Encodes one shader dispatch: stages its Params (and data), finds or makes its bind group (cached per shader and
 * buffers, so steady-state ops allocate nothing), splits its workgroups over a 2-D grid within
 * maxComputeWorkgroupsPerDimension, and routes an output that aliases an input through a scratch buffer (WebGPU
 * forbids binding one buffer as writable storage and as anything else in one dispatch), copied back afterwards.
 */
import { ShapeError } from "@gemma-edge/kernels-wasm";
import { STORAGE_USAGE } from "./flags.js";
import { type Param, Recorder } from "./recorder.js";
import { ShaderCache } from "./shaders.js";

/** Stands for the recorder's data arena in a binding list (resolved after staging, which may replace it). */
export const DATA = "data";

export type Binding = GPUBuffer | typeof DATA;

export interface Dispatch {
  /** Shader name: `add`, `matmul/q8_0`, … */
  shader: string;
  params: readonly Param[];
  /** Storage buffers, in binding order. */
  buffers: readonly Binding[];
  /** Workgroups (split over x and y), and z (e.g. token groups). */
  workgroups: number;
  z?: number;
  /** Data for the data arena; its word offset is appended to the params. */
  data?: Uint32Array | Float32Array;
  /** Bytes from offset 0 the written binding holds after the op (what to copy back when it aliases an input). */
  writtenBytes: number;
}

const MAX_GROUPS = 4096;

export class Runner {
  readonly recorder: Recorder;
  readonly shaders: ShaderCache;
  readonly #maxDim: number;
  readonly #ids = new WeakMap<GPUBuffer, number>();
  #nextId = 0;
  readonly #groups = new Map<string, GPUBindGroup>();
  #generation = -1;
  #scratch: GPUBuffer | undefined;

  constructor(
    readonly device: GPUDevice,
    maxDim = Number.POSITIVE_INFINITY,
  ) {
    this.recorder = new Recorder(device);
    this.shaders = new ShaderCache(device);
    this.#maxDim = Math.min(maxDim, device.limits.maxComputeWorkgroupsPerDimension);
  }

  run(d: Dispatch): void {
    if (d.workgroups === 0 || d.z === 0) return;
    const shader = this.shaders.get(d.shader);
    // an output that is also an input goes to the scratch (which may grow first: a submit, so before staging)
    const out = shader.access.indexOf("w");
    const target = d.buffers[out];
    const aliased = target !== undefined && d.buffers.some((b, i) => i !== out && b === target);
    const scratch = aliased ? this.#scratchOf(d.writtenBytes) : undefined;
    const staged = this.recorder.reserve(d.params, d.data);
    // the data's word offset is the last Params field of every shader that takes data
    if (d.data) this.recorder.patchParam(staged.params, d.params.length, staged.data);
    const buffers = d.buffers.map((b, i) => (i === out && scratch ? scratch : b === DATA ? this.recorder.data : b));
    const x = Math.min(d.workgroups, this.#maxDim);
    const y = Math.ceil(d.workgroups / x);
    if (y > this.#maxDim || (d.z ?? 1) > this.#maxDim)
      throw new ShapeError(`${d.shader} needs ${d.workgroups}×${d.z ?? 1} workgroups, more than a dispatch holds`);
    this.recorder.dispatch(shader, this.#group(d.shader, shader.layout, buffers), staged.params, [x, y, d.z ?? 1]);
    if (scratch && target !== undefined && target !== DATA) this.recorder.copy(scratch, 0, target, 0, d.writtenBytes);
  }

  #group(name: string, layout: GPUBindGroupLayout, buffers: readonly GPUBuffer[]): GPUBindGroup {
    if (this.#generation !== this.recorder.generation || this.#groups.size > MAX_GROUPS) {
      this.#groups.clear();
      this.#generation = this.recorder.generation;
    }
    const key = `${name}|${buffers.map((b) => this.#id(b)).join(",")}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = this.device.createBindGroup({
        layout,
        entries: [
          { binding: 0, resource: this.recorder.uniformBinding() },
          ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
        ],
      });
      this.#groups.set(key, group);
    }
    return group;
  }

  #id(b: GPUBuffer): number {
    let id = this.#ids.get(b);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(b, id);
    }
    return id;
  }

  /** A buffer for an aliased output: grows, never shrinks; the scratch's id changes with it. */
  #scratchOf(bytes: number): GPUBuffer {
    if (!this.#scratch || this.#scratch.size < bytes) {
      this.recorder.submit(); // ops recorded so far may use the old scratch
      this.#scratch?.destroy();
      this.#scratch = this.device.createBuffer({
        label: "alias scratch",
        size: Math.max(bytes, 4096),
        usage: STORAGE_USAGE,
      });
    }
    return this.#scratch;
  }
}
