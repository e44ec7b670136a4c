import { describe, expect, it } from "vitest";
import { bytesSource } from "../byte-source.js";
import { InvalidHeaderError } from "../errors.js";
import { writeSafetensors } from "../testing/safetensors-writer.js";
import { openShardedSafetensors, readSafetensorsIndex } from "./sharded.js";

const shards: Record<string, Uint8Array> = {
  "model-00001-of-00002.safetensors": writeSafetensors([
    { name: "model.embed_tokens.weight", dtype: "F32", shape: [2, 2], data: [1, 2, 3, 4] },
    { name: "unindexed", dtype: "F32", shape: [1], data: [0] },
  ]),
  "model-00002-of-00002.safetensors": writeSafetensors([
    { name: "model.norm.weight", dtype: "BF16", shape: [2], data: [1, 1] },
  ]),
};
const index = {
  metadata: { total_size: 20 },
  weight_map: {
    "model.embed_tokens.weight": "model-00001-of-00002.safetensors",
    "model.norm.weight": "model-00002-of-00002.safetensors",
  },
};
const open = async (file: string) => {
  const bytes = shards[file];
  if (bytes === undefined) throw new Error(`no shard ${file}`);
  return bytesSource(bytes);
};

describe("sharded safetensors", () => {
  it("opens each shard once and finds every indexed tensor in its shard", async () => {
    const opened: string[] = [];
    const model = await openShardedSafetensors(readSafetensorsIndex(index), (f) => {
      opened.push(f);
      return open(f);
    });
    expect(opened).toEqual(Object.keys(shards));
    expect(model.tensors.map((t) => [t.name, t.shard, t.format])).toEqual([
      ["model.embed_tokens.weight", "model-00001-of-00002.safetensors", "f32"],
      ["model.norm.weight", "model-00002-of-00002.safetensors", "bf16"],
    ]);
  });

  it("rejects an index that is malformed, escapes its folder, or names tensors a shard lacks", async () => {
    expect(() => readSafetensorsIndex({})).toThrow(InvalidHeaderError);
    expect(() => readSafetensorsIndex({ weight_map: { a: 3 } })).toThrow(/invalid shard name/);
    expect(() => readSafetensorsIndex({ weight_map: { a: "../../etc/passwd" } })).toThrow(/invalid shard name/);
    expect(() => readSafetensorsIndex({ weight_map: { a: "/abs.safetensors" } })).toThrow(/invalid shard name/);
    const wrong = readSafetensorsIndex({ weight_map: { "model.norm.weight": "model-00001-of-00002.safetensors" } });
    await expect(openShardedSafetensors(wrong, open)).rejects.toThrow(/do not hold: model.norm.weight/);
  });
});
