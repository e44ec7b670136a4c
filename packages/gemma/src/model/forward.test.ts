import { afterAll, describe, expect, it } from "vitest";
import { bytesSource } from "../byte-source.js";
import { gemmaConfigFromGguf } from "../config/from-gguf.js";
import { readGgufHeader } from "../gguf/reader.js";
import { K_QUANT_SHAPES, tinyGemmaGguf } from "../testing/tiny-model.js";
import { type LoadedModel, loadGgufModel } from "./load.js";
import { prefill } from "./prefill.js";
import { dequantizeAll, referenceLogits } from "./reference-forward.js";

const models: LoadedModel[] = [];
afterAll(() => {
  for (const m of models) m.kernels.close();
});

async function load(bytes: Uint8Array, options: Parameters<typeof loadGgufModel>[1] = {}) {
  const m = await loadGgufModel(bytes, options);
  models.push(m);
  return m;
}

const PROMPT = [2, 17, 305, 42, 42, 9, 480, 111, 64, 3, 250, 77, 18, 5];

/** What the scalar reference forward needs of a GGUF: its config and dequantized weights. */
async function reference(bytes: Uint8Array) {
  const header = await readGgufHeader(bytesSource(bytes));
  const config = gemmaConfigFromGguf(header.metadata, header.tensors);
  return { config, weights: await dequantizeAll(bytesSource(bytes), header.tensors) };
}

/** max |a[i] − b[i]| over b's length. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

describe.each([1, 2, 3] as const)("Gemma %i on an f32 tiny model", (version) => {
  it("logits match the independent scalar forward within 1e-3 at every prefix", async () => {
    const tiny = tinyGemmaGguf({ version });
    const m = await load(tiny.bytes, { maxBatch: 4 });
    const { config, weights } = await reference(tiny.bytes);
    // one token at a time (decode) …
    for (let n = 1; n <= PROMPT.length; n++) {
      prefill(m, PROMPT.slice(n - 1, n), n - 1);
      const got = m.kernels.read(m.state.logits);
      expect(maxDiff(got, referenceLogits(config, weights, PROMPT.slice(0, n))), `prefix ${n}`).toBeLessThanOrEqual(
        1e-3,
      );
    }
    const decoded = m.kernels.read(m.state.logits);
    // … and the whole prompt in batches (prefill) give the same logits
    prefill(m, PROMPT, 0);
    expect(maxDiff(m.kernels.read(m.state.logits), decoded)).toBeLessThanOrEqual(1e-4);
  });

  it("a prompt prefilled in batches, then one more token: every layer cached every position", async () => {
    // the last layer runs its keys and values for whole batches and the rest for the last token only
    const tiny = tinyGemmaGguf({ version });
    const m = await load(tiny.bytes, { maxBatch: 4 });
    const { config, weights } = await reference(tiny.bytes);
    prefill(m, PROMPT, 0);
    prefill(m, [99], PROMPT.length);
    const want = referenceLogits(config, weights, [...PROMPT, 99]);
    expect(maxDiff(m.kernels.read(m.state.logits), want)).toBeLessThanOrEqual(1e-3);
  });

  it("the prompt is longer than the sliding window, and the window matters", async () => {
    const tiny = tinyGemmaGguf({ version, slidingWindow: 4 });
    const m = await load(tiny.bytes);
    expect(PROMPT.length).toBeGreaterThan(4);
    if (version === 1) expect(m.config.slidingWindow).toBeNull();
    else expect(m.config.layers.some((l) => l.sliding)).toBe(true);
  });
});

describe("prefill", () => {
  it("multiplies by the output matrix once, for the last batch, and leaves that batch's logits", async () => {
    const tiny = tinyGemmaGguf({ version: 2 });
    const whole = await load(tiny.bytes, { maxBatch: 32 });
    prefill(whole, PROMPT, 0);
    const want = whole.kernels.read(whole.state.logits);

    const m = await load(tiny.bytes, { maxBatch: 4 });
    const k = m.kernels;
    const matvec = k.matvec.bind(k);
    let outputs = 0;
    k.matvec = (w, x, y) => {
      if (w === m.weights.output) outputs++;
      matvec(w, x, y);
    };
    // … and the last layer's MLP only for the token whose logits are wanted
    const matmul = k.matmul.bind(k);
    const lastGate: number[] = [];
    k.matmul = (w, x, y, ntok) => {
      if (w === m.weights.layers.at(-1)?.wGate) lastGate.push(ntok ?? 1);
      matmul(w, x, y, ntok);
    };
    prefill(m, PROMPT, 0); // 14 tokens: batches of 4, 4, 4, 2
    expect(outputs).toBe(1);
    expect(lastGate).toEqual([1]);
    expect(maxDiff(k.read(m.state.logits), want)).toBeLessThanOrEqual(1e-4);
    prefill(m, PROMPT.slice(0, 8), 0); // a prompt that ends on a batch boundary
    expect(outputs).toBe(2);
  });
});

describe("quantized tiny models", () => {
  it.each(["q8_0", "q4_0", "f16", "bf16"] as const)("%s loads and stays close to its f32 twin", async (format) => {
    const f32 = await load(tinyGemmaGguf({ version: 2, seed: 9 }).bytes);
    const q = await load(tinyGemmaGguf({ version: 2, seed: 9, format }).bytes);
    prefill(f32, PROMPT, 0);
    prefill(q, PROMPT, 0);
    const worst = maxDiff(f32.kernels.read(f32.state.logits), q.kernels.read(q.state.logits));
    const tolerance = { q8_0: 0.15, q4_0: 1.5, f16: 0.01, bf16: 0.1 }[format];
    expect(worst).toBeLessThan(tolerance);
    expect(worst).toBeGreaterThan(0);
  });
});

describe("packed layers", () => {
  it.each(["q8_0", "q4_0"] as const)("%s: the packed matrices give the logits of the file layout", async (format) => {
    // K-quant shapes: every layer matrix is 256 or 512 columns wide, so all of them pack
    const { bytes } = tinyGemmaGguf({ version: 2, seed: 4, format, ...K_QUANT_SHAPES });
    const packed = await load(bytes);
    const plain = await load(bytes, { pack: false });
    const layer = packed.weights.layers[0];
    for (const w of [layer?.wq, layer?.wk, layer?.wv, layer?.wo, layer?.wGate, layer?.wUp, layer?.wDown]) {
      expect(w?.packed).toBe(true);
    }
    expect(packed.weights.embed.packed).toBe(true); // the tied output projection: 256 columns
    expect(plain.weights.layers[0]?.wq.packed).toBeUndefined();
    // 14 tokens: three batches of four through the packed tile kernel and two left over; then one decode step
    for (const m of [packed, plain]) prefill(m, PROMPT, 0);
    const a = plain.kernels.read(plain.state.logits);
    const b = packed.kernels.read(packed.state.logits);
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
      scale = Math.max(scale, Math.abs(a[i] ?? 0));
    }
    expect(worst).toBeLessThanOrEqual(1e-4 * scale);
    for (const m of [packed, plain]) prefill(m, [99], PROMPT.length);
    const c = plain.kernels.read(plain.state.logits);
    const d = packed.kernels.read(packed.state.logits);
    for (let i = 0; i < c.length; i += 7) expect(Math.abs((c[i] ?? 0) - (d[i] ?? 0))).toBeLessThanOrEqual(1e-4 * scale);
  });
});
