import type { WeightTensor } from "@gemma-edge/kernels-wasm";
import { afterAll, describe, expect, it } from "vitest";
import { hfToInternalName } from "../config/tensor-names.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { tinyGemmaHf, tinyHfName } from "../testing/tiny-model-hf.js";
import { loadGgufModel, type WasmModel } from "./load.js";
import { loadHfModel } from "./load-hf.js";
import { prefill } from "./prefill.js";

const models: WasmModel[] = [];
afterAll(() => {
  for (const m of models) m.kernels.close();
});
const track = <T extends WasmModel>(m: T): T => {
  models.push(m);
  return m;
};

const PROMPT = [2, 17, 305, 42, 42, 9, 480, 111, 64, 3, 250, 77, 18, 5];

/** Logits of the last prompt token. */
function logits(m: WasmModel): Float32Array {
  prefill(m, PROMPT, 0);
  const out = m.kernels.read(m.state.logits);
  expect(Math.max(...out.map(Math.abs))).toBeGreaterThan(0.1);
  return out;
}

/** The matrices of loaded weights by internal name. */
function matrices(m: WasmModel): Map<string, WeightTensor> {
  const out = new Map<string, WeightTensor>([["token_embd.weight", m.weights.embed]]);
  const names = {
    wq: "attn_q",
    wk: "attn_k",
    wv: "attn_v",
    wo: "attn_output",
    wGate: "ffn_gate",
    wUp: "ffn_up",
    wDown: "ffn_down",
  } as const;
  m.weights.layers.forEach((layer, i) => {
    for (const [key, name] of Object.entries(names))
      out.set(`blk.${i}.${name}.weight`, layer[key as keyof typeof names]);
  });
  return out;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

describe.each([1, 2, 3] as const)("Gemma %i: a Hugging Face folder and the GGUF of the same values", (version) => {
  it("have the same config, bar where the norms' 1 is added", async () => {
    const hf = track(await loadHfModel(tinyGemmaHf({ version }).folder, { format: "f32", maxBatch: 16 }));
    const gguf = track(await loadGgufModel(tinyGemmaGguf({ version }).bytes, { maxBatch: 16 }));
    expect({ ...hf.config, source: "gguf", normPlusOne: false }).toEqual(gguf.config);
    expect(hf.config.normPlusOne).toBe(true);
    // f32 safetensors → f32: the same numbers in kernel memory, so the same logits
    expect(maxDiff(logits(hf), logits(gguf))).toBeLessThanOrEqual(1e-4);
  });

  it("bf16 shards → f32 give the logits of the GGUF of the bf16 values", async () => {
    const tiny = tinyGemmaHf({ version, dtype: "BF16", shards: 2 });
    expect([...tiny.files.keys()].filter((f) => f.startsWith("model-"))).toHaveLength(2);
    const hf = track(await loadHfModel(tiny.folder, { format: "f32", maxBatch: 16 }));
    const gguf = track(await loadGgufModel(tinyGemmaGguf({ version, valuesAs: "bf16" }).bytes, { maxBatch: 16 }));
    expect(maxDiff(logits(hf), logits(gguf))).toBeLessThanOrEqual(1e-4);
  });

  it("f32 safetensors quantized at load to q8_0 equal a Q8_0 GGUF: same bytes, identical logits", async () => {
    const hf = track(await loadHfModel(tinyGemmaHf({ version }).folder, { maxBatch: 16 }));
    const gguf = track(await loadGgufModel(tinyGemmaGguf({ version, format: "q8_0" }).bytes, { maxBatch: 16 }));
    expect(hf.placed.get("blk.0.attn_q.weight")?.format).toBe("q8_0");
    expect(hf.placed.get("blk.0.attn_norm.weight")?.format).toBe("f32");
    const twins = matrices(gguf);
    expect(twins.size).toBe(1 + 7 * gguf.config.numLayers);
    for (const [name, w] of matrices(hf)) {
      const twin = twins.get(name) as WeightTensor;
      expect(Buffer.from(hf.kernels.ggufBytes(w)).equals(gguf.kernels.ggufBytes(twin)), name).toBe(true);
    }
    expect(logits(hf)).toEqual(logits(gguf));
  });
});

describe("formats and layouts", () => {
  it.each(["q4_0", "f16"] as const)("%s at load equals the GGUF of that format", async (format) => {
    const hf = track(await loadHfModel(tinyGemmaHf({ version: 2, shards: 3 }).folder, { format }));
    const gguf = track(await loadGgufModel(tinyGemmaGguf({ version: 2, format }).bytes));
    expect(logits(hf)).toEqual(logits(gguf));
  });

  it("reads Gemma 3's multimodal layout and skips the vision tower", async () => {
    const tiny = tinyGemmaHf({ version: 3, multimodal: true, dtype: "BF16" });
    const hf = track(await loadHfModel(tiny.folder, { format: "f32" }));
    expect(hf.tensors.some((t) => t.name.includes("vision_tower"))).toBe(true);
    expect(hf.placed.has("token_embd.weight")).toBe(true);
    const gguf = track(await loadGgufModel(tinyGemmaGguf({ version: 3, valuesAs: "bf16" }).bytes));
    expect(maxDiff(logits(hf), logits(gguf))).toBeLessThanOrEqual(1e-4);
  });

  it("writes Hugging Face names that map back (the Gemma 1 post_attention_layernorm trap included)", () => {
    for (const version of [1, 2, 3] as const) {
      for (const t of tinyGemmaHf({ version }).weights.tensors) {
        expect(hfToInternalName(tinyHfName(t.name, version), version)).toBe(t.name);
      }
    }
    expect(tinyHfName("blk.0.ffn_norm.weight", 1)).toBe("model.layers.0.post_attention_layernorm.weight");
    expect(tinyHfName("blk.0.post_attention_norm.weight", 2)).toBe("model.layers.0.post_attention_layernorm.weight");
  });

  it("reports the weights' progress, from initiate to done", async () => {
    const seen: string[] = [];
    let last = { loaded: 0, total: -1 };
    const tiny = tinyGemmaHf({ version: 1, shards: 2 });
    track(
      await loadHfModel(tiny.folder, {
        onProgress: (p) => {
          seen.push(p.status);
          if (p.status !== "initiate") last = p;
        },
      }),
    );
    expect(seen[0]).toBe("initiate");
    expect(seen.at(-1)).toBe("done");
    expect(last.loaded).toBe(last.total);
  });
});
