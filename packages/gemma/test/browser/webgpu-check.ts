/**
 * The page script of webgpu-browser.test.ts: loads the tiny model the test serves on the WebGPU backend
 * (navigator.gpu) and on the WASM one, generates 32 greedy tokens on each, and reports what it saw in
 * `window.result`.
 */
import { type GemmaModel, loadModel } from "../../src/index.js";

async function greedy(model: GemmaModel): Promise<number[]> {
  const ids: number[] = [];
  const promptIds = [2, 40, 41, 42, 43, 44, 45];
  for await (const part of model.generate({ promptIds, maxTokens: 32, temperature: 0, stopTokens: [] })) {
    if (part.type === "text-delta") ids.push(...part.tokens);
  }
  return ids;
}

async function check(name: string) {
  const bytes = new Uint8Array(await (await fetch(`/models/${name}`)).arrayBuffer());
  const webgpu = await loadModel(bytes, { backend: "webgpu", maxContext: 96, maxBatch: 8 });
  const wasm = await loadModel(bytes, { backend: "wasm", maxContext: 96, maxBatch: 8 });
  const auto = await loadModel(bytes, { backend: "auto", maxContext: 16 });
  const result = {
    name,
    info: { backend: webgpu.info.backend, kernels: webgpu.info.kernels },
    auto: auto.info.kernels,
    webgpu: await greedy(webgpu),
    wasm: await greedy(wasm),
  };
  for (const m of [webgpu, wasm, auto]) m.dispose();
  return result;
}

const w = window as unknown as { result?: unknown; models: string[] };
try {
  const results = [];
  for (const name of w.models) results.push(await check(name));
  w.result = { hasGpu: "gpu" in navigator, results };
} catch (error) {
  w.result = { error: String((error as Error)?.stack ?? error) };
}
