import { describe, expect, it } from "vitest";
import { OnnxConfigError } from "./errors.js";
import { readOnnxModelFiles } from "./files.js";
import { TINY_BERT_TOKENIZER, TINY_TOXIC_CONFIG } from "./testing.js";

const folder = (files: Record<string, Uint8Array | string>) => async (name: string) => {
  const file = files[name];
  if (file === undefined) throw new Error(`ENOENT: ${name}`);
  return file;
};
const bytes = (text: string) => new TextEncoder().encode(text);

describe("readOnnxModelFiles", () => {
  it("reads model bytes and parses the two JSON files, as bytes or text", async () => {
    const model = new Uint8Array([8, 8]);
    const files = await readOnnxModelFiles(
      folder({
        "model.onnx": model,
        "tokenizer.json": bytes(JSON.stringify(TINY_BERT_TOKENIZER)),
        "config.json": JSON.stringify(TINY_TOXIC_CONFIG),
      }),
    );
    expect(files.model).toBe(model);
    expect(files.tokenizer).toEqual(TINY_BERT_TOKENIZER);
    expect(files.config).toEqual(TINY_TOXIC_CONFIG);
  });

  it("takes another model file name and reports bad JSON and missing files", async () => {
    const read = folder({ "onnx/model.onnx": new Uint8Array(1), "tokenizer.json": "{", "config.json": "{}" });
    await expect(readOnnxModelFiles(read, { modelFile: "onnx/model.onnx" })).rejects.toThrow(OnnxConfigError);
    await expect(readOnnxModelFiles(read)).rejects.toThrow(/ENOENT: model.onnx/);
  });
});
