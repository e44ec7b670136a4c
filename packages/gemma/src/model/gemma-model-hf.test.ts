import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gemmaTokenizerJson } from "../../test/tokenizer/fixtures.js";
import { SourceError } from "../errors.js";
import { folderSource } from "../sources/node-folder.js";
import { tinyGemmaGguf } from "../testing/tiny-model.js";
import { tinyGemmaHf } from "../testing/tiny-model-hf.js";
import { vocabFromHfJson } from "../tokenizer/from-hf.js";
import { vocabToGguf } from "../tokenizer/to-gguf.js";
import { type GemmaModel, type LoadProgress, loadModel } from "./gemma-model.js";
import type { GenerationPart } from "./generate.js";

// Gemma 2 with Gemma's real 256 000-token vocabulary: a bf16 checkpoint on disk, loaded through `folderSource` and
// quantized to Q8_0 at load, against the Q8_0 GGUF of the same (bf16) values.
const dir = await mkdtemp(join(tmpdir(), "gemma-hf-folder-"));
let hf: GemmaModel;
let gguf: GemmaModel;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  const json = gemmaTokenizerJson();
  const tiny = tinyGemmaHf({ version: 2, dtype: "BF16", shards: 2, tokenizerJson: json });
  for (const [name, bytes] of tiny.files) await writeFile(join(dir, name), bytes);
  hf = await loadModel(folderSource(dir), { maxContext: 64, onProgress: (p) => progress.push(p) });
  const tokenizer = vocabToGguf(vocabFromHfJson(json));
  const twin = tinyGemmaGguf({ version: 2, format: "q8_0", valuesAs: "bf16", tokenizer });
  gguf = await loadModel(twin.bytes, { maxContext: 64 });
}, 120_000);
afterAll(async () => {
  hf?.dispose();
  gguf?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function greedy(model: GemmaModel, prompt: string): Promise<number[]> {
  const parts: GenerationPart[] = [];
  for await (const p of model.generate({ prompt, temperature: 0, maxTokens: 12 })) parts.push(p);
  return parts.flatMap((p) => (p.type === "text-delta" ? p.tokens : []));
}

describe("loadModel on a Hugging Face folder", () => {
  it("reports typed progress and describes the model", () => {
    expect(progress[0]).toEqual({ status: "initiate", bytes: expect.any(Number) });
    expect(progress.some((p) => p.status === "progress")).toBe(true);
    expect(progress.at(-2)?.status).toBe("done");
    expect(progress.at(-1)?.status).toBe("ready");
    expect(hf.info).toMatchObject({ architecture: "gemma2", vocabSize: 256_000, maxContext: 64 });
    expect(hf.info.formats).toEqual({ q8_0: 15, f32: 9 });
    expect(hf.info.parameters).toBe(gguf.info.parameters);
  });

  it("tokenizes, generates and scores exactly as the Q8_0 GGUF of the same values", async () => {
    const text = "The quick brown fox <start_of_turn>user\n日本語 🙂";
    expect(hf.tokenizer.encode(text, { addBos: true })).toEqual(gguf.tokenizer.encode(text, { addBos: true }));
    const ids = await greedy(hf, "Once upon a time");
    expect(ids).toEqual(await greedy(gguf, "Once upon a time"));
    expect(new Set(ids).size).toBeGreaterThan(1);
    const candidates = [hf.tokenizer.tokenId("Yes") as number, hf.tokenizer.tokenId("No") as number];
    expect(await hf.score("Is the sky blue?", candidates)).toEqual(await gguf.score("Is the sky blue?", candidates));
  });

  it("refuses a checksum (a folder has several files) and names only inside the folder", async () => {
    await expect(loadModel(folderSource(dir), { expectedSha256: "0".repeat(64) })).rejects.toBeInstanceOf(SourceError);
    const folder = folderSource(`${dir}/`);
    expect(await folder.open("absent.json")).toBeUndefined();
    await expect(folder.open("../etc/passwd")).rejects.toBeInstanceOf(SourceError);
    await expect(folder.open("/etc/passwd")).rejects.toBeInstanceOf(SourceError);
    const config = await folder.open("config.json");
    expect(config?.size).toBeGreaterThan(0);
    await config?.close?.();
  });
});
