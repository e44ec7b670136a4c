/**
 * The WebGPU backend against the WASM one, in Node through the `webgpu` package (Dawn) on SwiftShader's CPU adapter
 * (vitest.config.ts sets VK_ICD_FILENAMES): tiny Gemma 1/2/3 models (and Gemma 2 in Q4_K and Q6_K) must produce the
 * same greedy token ids for 32 tokens, score alike, reuse the KV prefix, and fall back to WASM mid-generation when the
 * device is lost.
 */
import type { WeightFormat } from "@gemma-edge/kernels-wasm";
import { DeviceLostError, type WebGpuKernels, WebGpuUnavailableError } from "@gemma-edge/kernels-webgpu";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, globals } from "webgpu";
import { K_QUANT_SHAPES, tinyGemmaGguf } from "../testing/tiny-model.js";
import { type GemmaModel, loadModel } from "./gemma-model.js";
import type { GenerationPart } from "./generate.js";

Object.assign(globalThis, globals);
let gpu: GPU;
beforeAll(() => {
  gpu = create([]);
});

const PROMPT = [2, 40, 41, 42, 43, 44, 45];
const open: GemmaModel[] = [];
afterAll(() => {
  for (const m of open) m.dispose();
});

async function load(bytes: Uint8Array, backend: "wasm" | "webgpu", extra: { fallbackToWasm?: boolean } = {}) {
  const model = await loadModel(bytes, { backend, webgpu: { gpu }, maxContext: 96, maxBatch: 8, ...extra });
  open.push(model);
  return model;
}

async function greedy(model: GemmaModel, promptIds = PROMPT, maxTokens = 32, onToken?: (n: number) => void) {
  const ids: number[] = [];
  let finish: Extract<GenerationPart, { type: "finish" }> | undefined;
  for await (const part of model.generate({ promptIds, maxTokens, temperature: 0, stopTokens: [] })) {
    if (part.type === "text-delta") {
      ids.push(...part.tokens);
      onToken?.(ids.length);
    } else finish = part;
  }
  return { ids, finish };
}

/** The WASM and WebGPU backends of one GGUF give the same 32 greedy ids. */
async function expectSameGreedyIds(bytes: Uint8Array) {
  const wasm = await load(bytes, "wasm");
  const webgpu = await load(bytes, "webgpu");
  expect(webgpu.info).toMatchObject({ backend: "webgpu", kernels: "webgpu-fallback-adapter" });
  const want = await greedy(wasm);
  const got = await greedy(webgpu);
  expect(want.ids).toHaveLength(32);
  expect(new Set(want.ids).size).toBeGreaterThan(3); // not one repeated token
  expect(got.ids).toEqual(want.ids);
}

describe.each([1, 2, 3] as const)("Gemma %i on WebGPU", (version) => {
  it.each(["f32", "f16", "q8_0", "q4_0"] as WeightFormat[])(
    "%s: 32 greedy ids equal the WASM backend's",
    async (format) => {
      const { bytes } = tinyGemmaGguf({ version, format, seed: 7 });
      await expectSameGreedyIds(bytes);
    },
  );
});

// K-quant rows are super-blocks of 256 values: these tiny models are 4× wider (hidden 256, 4 heads × 64); seed 8
// gives a greedy path of 6+ distinct tokens in both formats
describe("Gemma 2 on WebGPU, K-quants", () => {
  it.each(["q4_k", "q6_k"] as WeightFormat[])("%s: 32 greedy ids equal the WASM backend's", async (format) => {
    const { bytes } = tinyGemmaGguf({ version: 2, format, seed: 8, ...K_QUANT_SHAPES });
    await expectSameGreedyIds(bytes);
  });
});

describe("the WebGPU engine", () => {
  let bytes: Uint8Array;
  beforeAll(() => {
    bytes = tinyGemmaGguf({ version: 2, format: "q8_0", seed: 11 }).bytes;
  });

  it("scores next tokens like the WASM backend", async () => {
    const wasm = await load(bytes, "wasm");
    const webgpu = await load(bytes, "webgpu");
    const candidates = [5, 6, 7, 100, 300];
    const want = await wasm.score(PROMPT, candidates);
    const got = await webgpu.score(PROMPT, candidates);
    for (let i = 0; i < candidates.length; i++) expect(got[i]).toBeCloseTo(want[i] as number, 1);
  });

  it("reuses the cached prefix of the previous prompt", async () => {
    const webgpu = await load(bytes, "webgpu");
    const wasm = await load(bytes, "wasm");
    await greedy(webgpu, PROMPT, 4);
    const longer = [...PROMPT, 50, 51];
    const got = await greedy(webgpu, longer, 8);
    expect(got.finish?.usage.cachedTokens).toBe(PROMPT.length);
    expect(got.ids).toEqual((await greedy(wasm, longer, 8)).ids);
  });

  it("is not chosen by 'auto' on a CPU fallback adapter, nor without WebGPU", async () => {
    const auto = await loadModel(bytes, { backend: "auto", webgpu: { gpu }, maxContext: 16 });
    open.push(auto);
    expect(auto.info).toMatchObject({ backend: "wasm", kernels: expect.stringMatching(/^wasm-/) });
    const none = { requestAdapter: async () => null } as unknown as GPU;
    const fallback = await loadModel(bytes, { backend: "auto", webgpu: { gpu: none }, maxContext: 16 });
    open.push(fallback);
    expect(fallback.info.backend).toBe("wasm");
  });

  it("refuses a forced WebGPU backend without an adapter, with a typed error", async () => {
    const none = { requestAdapter: async () => null } as unknown as GPU;
    await expect(loadModel(bytes, { backend: "webgpu", webgpu: { gpu: none } })).rejects.toBeInstanceOf(
      WebGpuUnavailableError,
    );
  });

  it("throws DeviceLostError when the device goes, unless asked to fall back", async () => {
    const webgpu = await load(bytes, "webgpu");
    const kernels = webgpu.loaded.kernels as unknown as WebGpuKernels;
    await expect(greedy(webgpu, PROMPT, 16, (n) => n === 3 && kernels.destroy())).rejects.toBeInstanceOf(
      DeviceLostError,
    );
  });

  it("falls back to WASM mid-generation when asked to, with the same ids", async () => {
    const wasm = await load(bytes, "wasm");
    const webgpu = await load(bytes, "webgpu", { fallbackToWasm: true });
    const kernels = webgpu.loaded.kernels as unknown as WebGpuKernels;
    const got = await greedy(webgpu, PROMPT, 16, (n) => n === 5 && kernels.destroy());
    expect(webgpu.info.backend).toBe("wasm");
    expect(got.ids).toEqual((await greedy(wasm, PROMPT, 16)).ids);
    expect(got.finish?.reason).toBe("length");
  });
});
