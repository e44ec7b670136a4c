/**
 * A `ModelFolder` over a directory on disk, for Node: each file is opened as a `fileSource` when the loader asks for
 * it (and closed by the loader). Exported from `@gemma-edge/gemma/node` only; `fs` is looked up at call time.
 */
import type { ByteSource } from "../byte-source.js";
import { SourceError } from "../errors.js";
import { checkFileName, type ModelFolder } from "./model-folder.js";
import { fileSource, nodeFs } from "./node-file.js";

/**
 * The directory `dir` as a model folder (e.g. a Hugging Face checkpoint downloaded with `huggingface-cli download`).
 * @example
 * const model = await loadModel(folderSource("models/gemma-3-1b-it"), { format: "q8_0" });
 */
export function folderSource(dir: string): ModelFolder {
  const root = dir.replace(/[\\/]+$/, "") || "/";
  return {
    async open(name): Promise<ByteSource | undefined> {
      checkFileName(name);
      const path = `${root === "/" ? "" : root}/${name}`;
      const isFile = await nodeFs()
        .stat(path)
        .then(
          (s) => s.isFile(),
          (e: unknown) => {
            if ((e as { code?: unknown }).code === "ENOENT") return false;
            throw new SourceError(`cannot open ${path}: ${(e as Error).message}`);
          },
        );
      return isFile ? fileSource(path) : undefined;
    },
  };
}
