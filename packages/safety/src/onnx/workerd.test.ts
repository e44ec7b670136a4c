/**
 * The ONNX classifier inside workerd (Cloudflare Workers' runtime) through Miniflare: `@gemma-edge/safety/onnx`
 * bundled with esbuild for the worker conditions, ORT's `.wasm` imported as a module (`CompiledWasm`) and handed in
 * as `wasmModule`, the tiny model as a `Data` module. workerd cannot compile wasm from bytes, so a worker without the
 * module must get a typed error.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activate } from "./classifier.js";
import { TINY_BERT_TOKENIZER, TINY_TOXIC_CONFIG, TOXIC_LABELS, tinyToxicClassifier } from "./testing.js";
import { createTokenizer } from "./tokenizer/index.js";

const LABELS: Record<(typeof TOXIC_LABELS)[number], string> = {
  toxic: "harassment",
  severe_toxic: "harassment",
  obscene: "profanity",
  threat: "violence",
  insult: "harassment",
  identity_hate: "hate",
};

const worker = (withModule: boolean) => `
import { createOnnxClassifier } from "./onnx.js";
import model from "./model.onnx";
${withModule ? 'import wasmModule from "./ort-wasm-simd-threaded.wasm";' : "const wasmModule = undefined;"}
const options = { model, tokenizer: ${JSON.stringify(TINY_BERT_TOKENIZER)}, config: ${JSON.stringify(TINY_TOXIC_CONFIG)},
  labels: ${JSON.stringify(LABELS)}, wasmModule };
let classifier;
export default {
  async fetch(request) {
    try {
      classifier ??= await createOnnxClassifier(options);
    } catch (error) {
      return Response.json({ loaded: false, name: error.name, message: String(error.message) });
    }
    const text = new URL(request.url).searchParams.get("text") ?? "";
    return Response.json({ loaded: true, scores: await classifier.classify(text, { stage: "input" }) });
  },
};`;

const require = createRequire(import.meta.url);
const wasmPath = join(dirname(require.resolve("onnxruntime-web/wasm")), "ort-wasm-simd-threaded.wasm");

const tiny = tinyToxicClassifier();

/** The scores Node computes for `text`: the graph in JavaScript → sigmoid → max per category. */
function expected(text: string): Record<string, number> {
  const { ids, typeIds } = createTokenizer(TINY_BERT_TOKENIZER).encode(text, { maxTokens: 512 });
  const out: Record<string, number> = {};
  activate(tiny.logits(ids, typeIds), "sigmoid").forEach((p, i) => {
    const category = LABELS[TOXIC_LABELS[i] as (typeof TOXIC_LABELS)[number]];
    out[category] = Math.max(out[category] ?? 0, p);
  });
  return out;
}

let mf: Miniflare;
let bundleBytes = 0;
beforeAll(async () => {
  const bundle = await build({
    entryPoints: [new URL("./index.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["@gemma-edge/source", "workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    write: false,
  });
  const onnx = bundle.outputFiles[0]?.text ?? "";
  const wasm = readFileSync(wasmPath);
  bundleBytes = onnx.length + wasm.length;
  const modules = (withModule: boolean) => [
    { type: "ESModule" as const, path: "worker.js", contents: worker(withModule) },
    { type: "ESModule" as const, path: "onnx.js", contents: onnx },
    { type: "Data" as const, path: "model.onnx", contents: tiny.model },
    ...(withModule ? [{ type: "CompiledWasm" as const, path: "ort-wasm-simd-threaded.wasm", contents: wasm }] : []),
  ];
  mf = new Miniflare({
    workers: [
      { name: "onnx", modules: modules(true), compatibilityDate: "2026-04-01" },
      { name: "bare", modules: modules(false), compatibilityDate: "2026-04-01" },
      {
        name: "compat",
        modules: modules(true),
        compatibilityDate: "2026-04-01",
        compatibilityFlags: ["nodejs_compat"],
      },
    ],
  });
  await mf.ready;
}, 120_000);
afterAll(() => mf?.dispose());

async function call(workerName: string, text: string): Promise<Record<string, unknown>> {
  // The worker's typed `Fetcher` comes from workers-types, which this package does not load.
  const target = (await mf.getWorker(workerName)) as unknown as { fetch: Miniflare["dispatchFetch"] };
  const response = await target.fetch(`http://localhost/?text=${encodeURIComponent(text)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("the ONNX classifier inside workerd", () => {
  it("runs ORT from the imported wasm module and scores what Node computes", async () => {
    let started = performance.now();
    const threat = await call("onnx", "I will kill you");
    const first = performance.now() - started;
    expect(threat.loaded, String(threat.message)).toBe(true);
    for (const text of ["I will kill you", "what a nice day in the park", "you stupid idiot, 你好 café"]) {
      const { scores } = await call("onnx", text);
      const want = expected(text);
      expect(Object.keys(scores as object).sort()).toEqual(Object.keys(want).sort());
      for (const [category, p] of Object.entries(want)) {
        expect((scores as Record<string, number>)[category], `${text}: ${category}`).toBeCloseTo(p, 5);
      }
    }
    expect((threat.scores as Record<string, number>).violence).toBeGreaterThan(0.9);
    started = performance.now();
    for (let i = 0; i < 20; i++) await call("onnx", "I will kill you, you stupid idiot. What a nice day in the park!");
    const each = (performance.now() - started) / 20;
    console.info(
      `workerd: ORT wasm + JS ${(bundleBytes / 2 ** 20).toFixed(1)} MiB; first request (instantiate + session + classify) ${first.toFixed(0)} ms; a classify request ${each.toFixed(1)} ms round trip`,
    );
  });

  it("runs with nodejs_compat too (ORT's emscripten glue must not take its Node path there)", async () => {
    const { loaded, scores } = await call("compat", "I will kill you");
    expect(loaded).toBe(true);
    expect((scores as Record<string, number>).violence).toBeCloseTo(expected("I will kill you").violence ?? -1, 5);
  });

  it("without the wasm module, creation fails with a typed error, not a crash", async () => {
    const bare = await call("bare", "I will kill you");
    expect(bare).toMatchObject({ loaded: false, name: "OnnxModelError", message: expect.stringMatching(/wasmModule/) });
  });
});
