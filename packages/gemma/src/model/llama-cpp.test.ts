/**
 * Our forward pass against llama.cpp (node-llama-cpp's CPU binary) on the same GGUF: f32 tiny Gemma 1, 2 and 3 models
 * with the real 256000-token vocabulary, the same prompt ids, greedy decoding — 32 of 32 token ids must be equal.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheDir, gemmaTokenizerJson } from "../../test/tokenizer/fixtures.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { vocabFromHfJson } from "../tokenizer/from-hf.js";
import { vocabToGguf } from "../tokenizer/to-gguf.js";
import { loadGgufModel } from "./load.js";
import { prefill } from "./prefill.js";
import { argmax } from "./sampler.js";

type Llama = Awaited<ReturnType<typeof import("node-llama-cpp")["getLlama"]>>;
let llama: Llama;
let tokenizerMeta: ReturnType<typeof vocabToGguf>;

beforeAll(async () => {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  llama = await getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
    logger: () => {},
  });
  tokenizerMeta = vocabToGguf(vocabFromHfJson(gemmaTokenizerJson()));
}, 60_000);
afterAll(async () => {
  await llama?.dispose();
});

function cached(bytes: Uint8Array, name: string): string {
  const path = join(cacheDir, `${name}-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.gguf`);
  if (!existsSync(path)) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, bytes);
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  return path;
}

// "<bos>The quick brown fox" and a few more real Gemma ids
const PROMPT = [2, 651, 4320, 8426, 25341, 36271, 1163, 573, 27894, 5929];

describe.each([1, 2, 3] as const)("Gemma %i, f32 tiny model, greedy", (version) => {
  it("32 of 32 token ids equal llama.cpp's", async () => {
    const tiny = tinyGemmaGguf({ version, tokenizer: tokenizerMeta, slidingWindow: 8 });
    const path = cached(tiny.bytes, `tiny-gemma${version}-f32`);

    const ours = await loadGgufModel(tiny.bytes, { maxContext: 64 });
    const mine: number[] = [];
    prefill(ours, PROMPT, 0);
    for (let i = 0; i < 32; i++) {
      const next = argmax(ours.kernels.view(ours.state.logits));
      mine.push(next);
      prefill(ours, [next], PROMPT.length + i);
    }
    ours.kernels.close();

    const model = await llama.loadModel({ modelPath: path });
    const context = await model.createContext({ contextSize: 64, threads: 1 });
    const sequence = context.getSequence();
    const theirs: number[] = [];
    for await (const token of sequence.evaluate(PROMPT as never, { temperature: 0 })) {
      theirs.push(Number(token));
      if (theirs.length === 32) break;
    }
    await context.dispose();
    await model.dispose();

    expect(new Set(mine).size).toBeGreaterThan(3); // a meaningful comparison, not one repeated token
    expect(mine).toEqual(theirs);
  }, 120_000);
});
