import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gemmaTokenizerJson } from "../../test/tokenizer/fixtures.js";
import { ChecksumMismatchError } from "../errors.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { vocabFromHfJson } from "../tokenizer/from-hf.js";
import { vocabToGguf } from "../tokenizer/to-gguf.js";
import { type GemmaModel, type LoadProgress, loadModel } from "./gemma-model.js";
import type { GenerationPart } from "./generate.js";

let bytes: Uint8Array;
let model: GemmaModel;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  bytes = tinyGemmaGguf({ version: 2, tokenizer: vocabToGguf(vocabFromHfJson(gemmaTokenizerJson())) }).bytes;
  model = await loadModel(bytes, { maxContext: 128, onProgress: (p) => progress.push(p) });
}, 60_000);
afterAll(() => model?.dispose());

async function collect(iterable: AsyncIterable<GenerationPart>) {
  const parts: GenerationPart[] = [];
  for await (const p of iterable) parts.push(p);
  const text = parts.map((p) => (p.type === "text-delta" ? p.text : "")).join("");
  return { parts, text, finish: parts.at(-1) as Extract<GenerationPart, { type: "finish" }> };
}

describe("loadModel", () => {
  it("reports typed progress and describes the model", () => {
    expect(progress[0]).toEqual({ status: "initiate", bytes: bytes.length });
    expect(progress.some((p) => p.status === "progress")).toBe(true);
    expect(progress.at(-1)?.status).toBe("ready");
    expect(model.info).toMatchObject({
      architecture: "gemma2",
      vocabSize: 256_000,
      maxContext: 128,
      formats: { f32: expect.any(Number) },
    });
  });

  it("checks an expected SHA-256", async () => {
    const good = createHash("sha256").update(bytes).digest("hex");
    const ok = await loadModel(bytes, { expectedSha256: good.toUpperCase(), maxContext: 16 });
    ok.dispose();
    await expect(loadModel(bytes, { expectedSha256: "0".repeat(64) })).rejects.toBeInstanceOf(ChecksumMismatchError);
  });
});

describe("GemmaModel", () => {
  it("applies the chat template and streams decoded text", async () => {
    const ids = model.promptIds({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello" },
      ],
    });
    expect(model.tokenizer.decode(ids)).toBe(
      "<bos><start_of_turn>user\nBe brief.\n\nHello<end_of_turn>\n<start_of_turn>model\n",
    );
    const { parts, text, finish } = await collect(
      model.generate({ messages: [{ role: "user", content: "Hello" }], temperature: 0, maxTokens: 12 }),
    );
    const tokens = parts.flatMap((p) => (p.type === "text-delta" ? p.tokens : []));
    expect(text).toBe(model.tokenizer.decode(tokens));
    expect(finish.usage.completionTokens).toBe(tokens.length);
  });

  it("runs concurrent generations one at a time, each as if alone", async () => {
    const request = { prompt: "The quick brown fox", temperature: 0, maxTokens: 8 } as const;
    const alone = await collect(model.generate(request));
    const [a, b] = await Promise.all([
      collect(model.generate(request)),
      collect(model.generate({ ...request, prompt: "Hi" })),
    ]);
    expect(a.text).toBe(alone.text);
    expect(b.text).toBe((await collect(model.generate({ ...request, prompt: "Hi" }))).text);
  });

  it("scores candidate next tokens as log-probabilities", async () => {
    const yes = model.tokenizer.tokenId("Yes") as number;
    const no = model.tokenizer.tokenId("No") as number;
    const [ly, ln] = await model.score("Is the sky blue? Answer:", [yes, no]);
    expect(ly).toBeLessThan(0);
    expect(ln).toBeLessThan(0);
    expect(Math.exp(ly ?? 0) + Math.exp(ln ?? 0)).toBeLessThan(1);
  });
});
