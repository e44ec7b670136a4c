/**
 * The WebGPU backend in headless Chromium (Debian's chromium with --enable-unsafe-webgpu: SwiftShader's CPU adapter):
 * a page loads tiny Gemma 1/2/3 models over HTTP, generates 32 greedy tokens on WebGPU and on WASM, and the ids must
 * be the same; `backend: "auto"` must pick WASM on that fallback adapter.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium, pageResult } from "../../../../test-support/chromium.js";
import { type IsolatedServer, serveIsolated } from "../../../../test-support/isolated-server.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";

const WASM_DIR = fileURLToPath(new URL("../../../kernels-wasm/dist/wasm/", import.meta.url));
const MODELS = {
  "gemma1-q8_0.gguf": tinyGemmaGguf({ version: 1, format: "q8_0", seed: 7 }).bytes,
  "gemma2-q4_0.gguf": tinyGemmaGguf({ version: 2, format: "q4_0", seed: 7 }).bytes,
  "gemma3-f16.gguf": tinyGemmaGguf({ version: 3, format: "f16", seed: 7 }).bytes,
};
const PAGE = `<!doctype html><meta charset="utf-8"><script>window.models = ${JSON.stringify(Object.keys(MODELS))}</script>
<script type="module" src="/app/check.js"></script>`;

let server: IsolatedServer;
let browser: Chromium;
let base: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../../test/browser/webgpu-check.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["@gemma-edge/source"],
    write: false,
  });
  const script = bundle.outputFiles[0]?.text ?? "";
  server = await serveIsolated(async (path) => {
    if (path === "/") return { body: PAGE, type: "text/html" };
    if (path === "/app/check.js") return { body: script };
    const model = MODELS[path.replace("/models/", "") as keyof typeof MODELS];
    if (path.startsWith("/models/") && model) return { body: model };
    // the kernels' loader fetches ../dist/wasm/kernels-<build>.wasm relative to the bundle
    const wasm = /^\/dist\/wasm\/(kernels-[a-z-]+\.wasm)$/.exec(path)?.[1];
    return wasm ? { body: await readFile(WASM_DIR + wasm) } : undefined;
  });
  base = server.url;
  browser = await launchChromium(["--enable-unsafe-webgpu"]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the WebGPU backend in headless Chromium", () => {
  it("gives the WASM backend's 32 greedy ids for tiny Gemma 1, 2 and 3; 'auto' keeps WASM on SwiftShader", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    const result = await pageResult<{
      error?: string;
      hasGpu: boolean;
      results: Array<{ name: string; info: object; auto: string; webgpu: number[]; wasm: number[] }>;
    }>(page, 120_000);
    expect(result.error).toBeUndefined();
    expect(result.hasGpu).toBe(true);
    expect(result.results).toHaveLength(3);
    for (const r of result.results) {
      expect(r.info, r.name).toEqual({ backend: "webgpu", kernels: "webgpu-fallback-adapter" });
      expect(r.auto, r.name).toMatch(/^wasm-/);
      expect(r.wasm, r.name).toHaveLength(32);
      expect(r.webgpu, r.name).toEqual(r.wasm);
    }
  }, 180_000);
});
