/**
 * A `ByteSource` over a file on disk, for Node (and runtimes with its `fs`): reads with one open `FileHandle`, so the
 * file is never read whole. Node's `fs` is looked up at call time (`process.getBuiltinModule`), never imported, so
 * this module loads in any runtime; it is exported from `@gemma-edge/gemma/node` only.
 */
import type { ByteSource } from "../byte-source.js";
import { SourceError } from "../errors.js";

/** The slice of `node:fs/promises` this module uses (the package builds without Node's types). */
interface FileHandleLike {
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}
export interface FsPromisesLike {
  open(path: string, flags: string): Promise<FileHandleLike>;
  stat(path: string): Promise<{ isFile(): boolean }>;
}
interface ProcessLike {
  getBuiltinModule?(name: string): unknown;
}

/** Node's `fs/promises`, looked up at call time. */
export function nodeFs(): FsPromisesLike {
  const proc = (globalThis as { process?: ProcessLike }).process;
  const fs = proc?.getBuiltinModule?.("node:fs/promises") as FsPromisesLike | undefined;
  if (fs === undefined) throw new SourceError("file sources need Node 20.16+ (process.getBuiltinModule)");
  return fs;
}

/**
 * Opens a file as a byte source; `close()` it when done.
 * @example
 * const src = await fileSource("models/gemma-2b-it-q4_0.gguf");
 * try { const header = await readGgufHeader(src); } finally { await src.close?.(); }
 */
export async function fileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle = await nodeFs()
    .open(path, "r")
    .catch((e: unknown) => {
      throw new SourceError(`cannot open ${path}: ${(e as Error).message}`);
    });
  const { size } = await handle.stat();
  let closed = false;
  return {
    size,
    async read(offset, length) {
      if (closed) throw new SourceError(`${path} is closed`);
      const out = new Uint8Array(length);
      let at = 0;
      while (at < length) {
        const { bytesRead } = await handle.read(out, at, length - at, offset + at);
        if (bytesRead === 0) throw new SourceError(`${path} ended at byte ${offset + at}; it shrank while open?`);
        at += bytesRead;
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
