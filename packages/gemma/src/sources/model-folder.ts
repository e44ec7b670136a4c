/**
 * `ModelFolder`: the files of a model folder (a Hugging Face checkpoint: config.json, tokenizer.json, safetensors),
 * opened by name as `ByteSource`s. Implementations: files in memory (`memoryFolder`, here, for tests and browsers) and
 * a directory on disk (`folderSource`, `@gemma-edge/gemma/node`). Names are plain relative paths: never absolute,
 * never `..`, so a hostile index cannot reach outside the folder.
 */
import { type ByteSource, bytesSource, readRange } from "../byte-source.js";
import { InvalidHeaderError, InvalidStringError, LimitExceededError, SourceError } from "../errors.js";

export interface ModelFolder {
  /** The file `name` of the folder, or undefined when the folder has no such file. */
  open(name: string): Promise<ByteSource | undefined>;
}

/** Whether `value` is a `ModelFolder` (it opens files) rather than a `ByteSource` (it reads bytes). */
export function isModelFolder(value: unknown): value is ModelFolder {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<ModelFolder>).open === "function" &&
    !("read" in value)
  );
}

/** Throws a `SourceError` unless `name` is a plain relative file name (no `..`, not absolute, no backslash). */
export function checkFileName(name: string): void {
  if (name === "" || name.startsWith("/") || name.includes("\\") || name.includes("\0") || /^[a-z]:/i.test(name)) {
    throw new SourceError(`invalid file name ${JSON.stringify(name)}`);
  }
  if (name.split("/").some((part) => part === ".." || part === "." || part === "")) {
    throw new SourceError(`invalid file name ${JSON.stringify(name)}`);
  }
}

/**
 * A folder of files held in memory.
 * @example
 * const folder = memoryFolder({ "config.json": configBytes, "tokenizer.json": tokenizerBytes, "model.safetensors": st });
 * const model = await loadModel(folder, { format: "q8_0" });
 */
export function memoryFolder(
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
): ModelFolder {
  const map: ReadonlyMap<string, Uint8Array> = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    async open(name) {
      checkFileName(name);
      const bytes = map.get(name);
      return bytes === undefined ? undefined : bytesSource(bytes);
    },
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads and parses a JSON file of a folder, refusing files over `maxBytes` before reading them. Resolves to undefined
 * when the folder has no such file.
 */
export async function readFolderJson(folder: ModelFolder, name: string, maxBytes: number): Promise<unknown> {
  const source = await folder.open(name);
  if (source === undefined) return undefined;
  try {
    if (source.size > maxBytes) {
      throw new LimitExceededError(`${name} is ${source.size} bytes; the limit is ${maxBytes}`);
    }
    let text: string;
    try {
      text = utf8.decode(await readRange(source, 0, source.size, name));
    } catch (e) {
      if (e instanceof TypeError) throw new InvalidStringError(`${name} is not valid UTF-8`);
      throw e;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new InvalidHeaderError(`${name} is not JSON: ${(e as Error).message}`);
    }
  } finally {
    await source.close?.();
  }
}
