/**
 * Sharded safetensors checkpoints: `model.safetensors.index.json` maps each tensor to a shard file (`weight_map`);
 * each shard is an ordinary safetensors file. The caller opens shards (by path or URL), so this works in any runtime.
 */
import type { ByteSource } from "../byte-source.js";
import { InvalidHeaderError } from "../errors.js";
import { readSafetensorsHeader, type SafetensorsReadOptions, type SafetensorsTensorInfo } from "./reader.js";

/**
 * The `weight_map` of a parsed `model.safetensors.index.json`: tensor name → shard file name. Shard names must be
 * plain relative file names (no `..`, no absolute paths), since callers resolve them next to the index.
 */
export function readSafetensorsIndex(json: unknown): Map<string, string> {
  const map = typeof json === "object" && json !== null ? (json as Record<string, unknown>).weight_map : undefined;
  if (typeof map !== "object" || map === null || Array.isArray(map)) {
    throw new InvalidHeaderError("safetensors index must have a weight_map object");
  }
  const out = new Map<string, string>();
  for (const [name, file] of Object.entries(map)) {
    if (typeof file !== "string" || file === "" || file.startsWith("/") || file.split(/[\\/]/).includes("..")) {
      throw new InvalidHeaderError(
        `safetensors index: tensor ${name} maps to an invalid shard name ${JSON.stringify(file)}`,
      );
    }
    out.set(name, file);
  }
  return out;
}

export interface ShardedTensorInfo extends SafetensorsTensorInfo {
  /** The shard file that holds this tensor. */
  readonly shard: string;
}

export interface ShardedSafetensors {
  readonly tensors: readonly ShardedTensorInfo[];
  /** The open source of each shard, by file name. */
  readonly shards: ReadonlyMap<string, ByteSource>;
}

/**
 * Opens every shard an index names and reads its header; checks each tensor of the index is in the shard it names.
 * @example
 * const index = readSafetensorsIndex(JSON.parse(indexText));
 * const model = await openShardedSafetensors(index, (file) => fileSource(join(dir, file)));
 */
export async function openShardedSafetensors(
  index: ReadonlyMap<string, string>,
  open: (shard: string) => Promise<ByteSource>,
  options: SafetensorsReadOptions = {},
): Promise<ShardedSafetensors> {
  const shards = new Map<string, ByteSource>();
  const tensors: ShardedTensorInfo[] = [];
  for (const shard of new Set(index.values())) {
    const source = await open(shard);
    shards.set(shard, source);
    const header = await readSafetensorsHeader(source, options);
    for (const t of header.tensors) {
      const listed = index.get(t.name);
      if (listed === undefined) continue; // present but not indexed: the index decides what the model holds
      if (listed === shard) tensors.push({ ...t, shard });
    }
  }
  const found = new Set(tensors.map((t) => t.name));
  const missing = [...index.keys()].filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new InvalidHeaderError(
      `safetensors index lists tensors its shards do not hold: ${missing.slice(0, 5).join(", ")}`,
    );
  }
  return { tensors, shards };
}
