/**
 * The shaders' binding layouts and a pipeline cache. Binding 0 of every shader is its `Params` uniform (a dynamic
 * offset into the recorder's uniform arena); bindings 1… are storage buffers, read-only ("r") or written ("w"),
 * in the order each .wgsl file declares them.
 */

import { SHADER_STAGE_COMPUTE } from "./flags.js";
import { SHADERS } from "./shaders.generated.js";

export type Access = "r" | "w";

/** Storage bindings of each shader (format variants share their op's layout). */
export const BINDINGS: Readonly<Record<string, readonly Access[]>> = {
  matmul: ["r", "r", "w"],
  embed: ["r", "r", "w"],
  add: ["r", "r", "w"],
  mul: ["r", "r", "w"],
  gelu_gate: ["r", "r", "w"],
  scale: ["r", "w"],
  softcap: ["w"],
  softmax: ["w"],
  rmsnorm: ["r", "r", "w"],
  rope: ["w", "r"],
  attention: ["r", "r", "r", "w"],
  to_f16: ["r", "w"],
  copy_f16: ["r", "w"],
  quantize_q8a: ["r", "w"],
};

/** Bytes of the uniform binding (every Params struct fits in 16 scalars). */
export const PARAMS_BYTES = 64;

export interface Shader {
  readonly name: string;
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly access: readonly Access[];
}

export class ShaderCache {
  readonly #shaders = new Map<string, Shader>();

  constructor(readonly device: GPUDevice) {}

  /** The pipeline of shader `name` (`add`, `matmul/q4_k`, …), compiled on first use. */
  get(name: string): Shader {
    const cached = this.#shaders.get(name);
    if (cached) return cached;
    const code = SHADERS[name];
    const access = BINDINGS[name.split("/")[0] ?? ""];
    if (code === undefined || access === undefined) throw new Error(`no shader ${name}`);
    const layout = this.device.createBindGroupLayout({
      label: name,
      entries: [
        {
          binding: 0,
          visibility: SHADER_STAGE_COMPUTE,
          buffer: { type: "uniform", hasDynamicOffset: true, minBindingSize: PARAMS_BYTES },
        },
        ...access.map((a, i) => ({
          binding: i + 1,
          visibility: SHADER_STAGE_COMPUTE,
          buffer: { type: a === "r" ? ("read-only-storage" as const) : ("storage" as const) },
        })),
      ],
    });
    const module = this.device.createShaderModule({ label: name, code });
    const pipeline = this.device.createComputePipeline({
      label: name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: "main" },
    });
    const shader = { name, pipeline, layout, access };
    this.#shaders.set(name, shader);
    return shader;
  }
}
