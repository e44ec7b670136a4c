import { loadKernels, type WasmKernels } from "@gemma-edge/kernels-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ByteSource } from "../byte-source.js";
import {
  ConfigError,
  InvalidHeaderError,
  InvalidTensorError,
  LimitExceededError,
  ModelFileError,
  SourceError,
  TruncatedFileError,
  UnsupportedTensorTypeError,
} from "../errors.js";
import { type ModelFolder, memoryFolder } from "../sources/model-folder.js";
import { tinyGemmaHf } from "../testing/tiny-model-hf.js";
import { loadHfModel } from "./load-hf.js";

let kernels: WasmKernels;
beforeAll(async () => {
  kernels = await loadKernels({ threads: 1 });
});
afterAll(() => kernels?.close());

const utf8 = new TextEncoder();
type Header = Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;

/** A safetensors file with its JSON header edited (the data section kept as it is). */
function editHeader(file: Uint8Array, edit: (header: Header) => void): Uint8Array {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Header;
  edit(header);
  const json = utf8.encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + file.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(file.subarray(8 + n), 8 + json.length);
  return out;
}

/** A tiny Gemma 1 folder with one file replaced or removed. */
function folderWith(changes: Record<string, Uint8Array | ((bytes: Uint8Array) => Uint8Array) | undefined>, shards = 1) {
  const files = new Map(tinyGemmaHf({ version: 1, shards }).files);
  for (const [name, change] of Object.entries(changes)) {
    const bytes = files.get(name);
    if (change === undefined) files.delete(name);
    else files.set(name, typeof change === "function" ? change(bytes as Uint8Array) : change);
  }
  return memoryFolder(files);
}

const editConfig = (edit: Record<string, unknown>) => (bytes: Uint8Array) =>
  utf8.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(bytes)), ...edit }));

/** Loads into the shared kernels and checks that nothing was allocated before the error. */
async function loadError(folder: ModelFolder, options: { format?: "q8_0" | "f32" } = {}) {
  const before = kernels.arena.used;
  const error = await loadHfModel(folder, { kernels, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(ModelFileError.isInstance(error), String(error)).toBe(true);
  expect(kernels.arena.used).toBe(before);
  return error as ModelFileError;
}

describe("a corrupt Hugging Face folder is a typed error, before any kernel memory is taken", () => {
  it("a missing tensor", async () => {
    const error = await loadError(
      folderWith({ "model.safetensors": (b) => editHeader(b, (h) => delete h["model.layers.0.mlp.up_proj.weight"]) }),
    );
    expect(error).toBeInstanceOf(InvalidTensorError);
    expect((error as InvalidTensorError).tensorName).toBe("blk.0.ffn_up.weight");
  });

  it("a tensor of the wrong shape (transposed)", async () => {
    const error = await loadError(
      folderWith({
        "model.safetensors": (b) =>
          editHeader(b, (h) => {
            (h["model.layers.1.mlp.gate_proj.weight"] as Header[string]).shape = [64, 128];
          }),
      }),
    );
    expect(error).toBeInstanceOf(InvalidTensorError);
    expect(error.message).toMatch(/blk\.1\.ffn_gate\.weight has shape \[64,128\], expected \[128,64\]/);
  });

  it("an unsupported dtype (I8)", async () => {
    const error = await loadError(
      folderWith({
        "model.safetensors": (b) =>
          editHeader(b, (h) => {
            h["model.layers.0.self_attn.q_proj.weight"] = {
              ...(h["model.layers.0.self_attn.q_proj.weight"] as Header[string]),
              dtype: "I8",
              shape: [64, 256],
            };
          }),
      }),
    );
    expect(error).toBeInstanceOf(UnsupportedTensorTypeError);
    expect(error.message).toMatch(/I8/);
  });

  it("a truncated shard", async () => {
    const shard = "model-00002-of-00002.safetensors";
    const error = await loadError(folderWith({ [shard]: (b) => b.subarray(0, b.length - 100) }, 2));
    expect(error).toBeInstanceOf(TruncatedFileError);
  });

  it("a shard the index names but the folder lacks, and an index that leaves the folder", async () => {
    const error = await loadError(folderWith({ "model-00001-of-00002.safetensors": undefined }, 2));
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/no shard model-00001-of-00002/);
    const escaping = utf8.encode(JSON.stringify({ weight_map: { "model.norm.weight": "../secret.safetensors" } }));
    expect(await loadError(folderWith({ "model.safetensors.index.json": escaping }, 2))).toBeInstanceOf(
      InvalidHeaderError,
    );
  });

  it.each([
    ["hidden_size", 2 ** 40, InvalidTensorError],
    ["vocab_size", 1e15, InvalidTensorError],
    ["intermediate_size", 2 ** 50, InvalidTensorError],
    ["num_hidden_layers", 1e9, ConfigError],
    ["num_attention_heads", -4, ConfigError],
    ["head_dim", "16", ConfigError],
  ] as const)("config.json with %s = %s", async (key, value, type) => {
    expect(await loadError(folderWith({ "config.json": editConfig({ [key]: value }) }))).toBeInstanceOf(type);
  });

  it("files that are missing, not JSON, or too large", async () => {
    expect(await loadError(folderWith({ "config.json": undefined }))).toBeInstanceOf(SourceError);
    expect(await loadError(folderWith({ "model.safetensors": undefined }))).toBeInstanceOf(SourceError);
    expect(await loadError(folderWith({ "config.json": utf8.encode("{model_type") }))).toBeInstanceOf(
      InvalidHeaderError,
    );
    const huge = new Uint8Array(2 << 20).fill(0x20);
    expect(await loadError(folderWith({ "config.json": huge }))).toBeInstanceOf(LimitExceededError);
  });

  it("a tokenizer larger than the model's vocabulary", async () => {
    const error = await loadError(folderWith({ "config.json": editConfig({ vocab_size: 100 }) }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/512 tokens/);
  });

  it("rows that are not whole q8_0 blocks (f32 still loads)", async () => {
    const { folder } = tinyGemmaHf({ version: 2, hiddenSize: 48, numHeads: 2, intermediateSize: 96 });
    const error = await loadError(folder, { format: "q8_0" });
    expect(error).toBeInstanceOf(InvalidTensorError);
    expect(error.message).toMatch(/not a multiple of q8_0's block of 32/);
    const model = await loadHfModel(folder, { format: "f32" });
    model.kernels.close();
  });

  it("a checkpoint that needs more than wasm's 4 GiB, without reading or reserving it", async () => {
    // Gemma-7B-like widths, one layer, a doubled vocabulary: a 5.9 GiB f32 embedding, claimed by a header over a source of zeros.
    const [V, H, I, hd, nh] = [512_000, 3072, 24_576, 256, 16];
    const config = {
      model_type: "gemma",
      vocab_size: V,
      hidden_size: H,
      intermediate_size: I,
      num_hidden_layers: 1,
      num_attention_heads: nh,
      num_key_value_heads: nh,
      head_dim: hd,
      max_position_embeddings: 8192,
      rms_norm_eps: 1e-6,
    };
    const shapes: Record<string, number[]> = {
      "model.embed_tokens.weight": [V, H],
      "model.norm.weight": [H],
      "model.layers.0.input_layernorm.weight": [H],
      "model.layers.0.post_attention_layernorm.weight": [H],
      "model.layers.0.self_attn.q_proj.weight": [nh * hd, H],
      "model.layers.0.self_attn.k_proj.weight": [nh * hd, H],
      "model.layers.0.self_attn.v_proj.weight": [nh * hd, H],
      "model.layers.0.self_attn.o_proj.weight": [H, nh * hd],
      "model.layers.0.mlp.gate_proj.weight": [I, H],
      "model.layers.0.mlp.up_proj.weight": [I, H],
      "model.layers.0.mlp.down_proj.weight": [H, I],
    };
    const header: Header = {};
    let at = 0;
    for (const [name, shape] of Object.entries(shapes)) {
      const bytes = shape.reduce((a, b) => a * b, 2);
      header[name] = { dtype: "BF16", shape, data_offsets: [at, at + bytes] };
      at += bytes;
    }
    const json = utf8.encode(JSON.stringify(header));
    const head = new Uint8Array(8 + json.length);
    new DataView(head.buffer).setBigUint64(0, BigInt(json.length), true);
    head.set(json, 8);
    let dataReads = 0;
    const weights: ByteSource = {
      size: head.length + at,
      read: async (offset, length) => {
        if (offset + length > head.length) dataReads++;
        return offset + length <= head.length ? head.subarray(offset, offset + length) : new Uint8Array(length);
      },
    };
    const files = memoryFolder({
      ...Object.fromEntries(tinyGemmaHf({ version: 1 }).files),
      "config.json": utf8.encode(JSON.stringify(config)),
    });
    const folder = { open: async (name: string) => (name === "model.safetensors" ? weights : files.open(name)) };
    const error = await loadError(folder, { format: "f32" });
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error.message).toMatch(/GiB as f32/);
    expect(dataReads).toBe(0);
  });

  it("an abort stops the load and closes the kernels it made", async () => {
    const { folder } = tinyGemmaHf({ version: 1 });
    await expect(loadHfModel(folder, { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });
});
