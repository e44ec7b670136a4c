/**
 * Streams the bytes of tensors laid out in one file (GGUF or safetensors) to a sink, in file order and bounded chunks,
 * so a loader can copy each chunk straight into wasm memory and the file is never held in the JS heap. Consecutive
 * selected tensors are read as one range (one request for a URL source).
 */
import { type ByteSource, streamRange } from "./byte-source.js";

/** Where a tensor's bytes lie in its file. */
export interface TensorSpan {
  readonly name: string;
  readonly fileOffset: number;
  readonly byteLength: number;
}

/**
 * Receives tensor data: `chunk` holds the tensor's bytes from `offsetInTensor` on. The view is only valid during the
 * call (copy what you keep); the stream waits for a returned promise before reading on.
 */
export type TensorSink<T extends TensorSpan> = (
  tensor: T,
  chunk: Uint8Array,
  offsetInTensor: number,
) => void | Promise<void>;

/** Progress of a tensor stream, tagged by `status`. */
export type StreamProgress =
  | { readonly status: "progress"; readonly loaded: number; readonly total: number }
  | { readonly status: "done"; readonly loaded: number; readonly total: number };

export interface StreamTensorsOptions<T extends TensorSpan> {
  /** Only these tensors (default: all). */
  filter?: (tensor: T) => boolean;
  /** Largest chunk read at a time from sources without their own stream. @default 4 MiB */
  chunkBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: StreamProgress) => void;
}

/** Streams the data of `tensors` (non-overlapping spans of `source`) to `sink`, in file order. */
export async function streamTensorData<T extends TensorSpan>(
  source: ByteSource,
  tensors: readonly T[],
  sink: TensorSink<T>,
  options: StreamTensorsOptions<T> = {},
): Promise<void> {
  const selected = (t: T) => t.byteLength > 0 && (options.filter?.(t) ?? true);
  const runs: T[][] = [];
  let run: T[] = [];
  for (const t of [...tensors].sort((a, b) => a.fileOffset - b.fileOffset)) {
    if (selected(t)) run.push(t);
    else if (run.length > 0 && t.byteLength > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  const total = runs.flat().reduce((n, t) => n + t.byteLength, 0);
  let loaded = 0;
  for (const group of runs) {
    const first = group[0];
    const last = group[group.length - 1];
    if (first === undefined || last === undefined) continue;
    let pos = first.fileOffset;
    let i = 0;
    const stream = streamRange(source, pos, last.fileOffset + last.byteLength - pos, {
      ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      what: `tensor data from ${first.name}`,
    });
    for await (const chunk of stream) {
      const chunkEnd = pos + chunk.length;
      // Hand each tensor the part of this chunk that is its own; skip the alignment padding between tensors.
      for (let t = group[i]; t !== undefined; t = group[i]) {
        const tEnd = t.fileOffset + t.byteLength;
        const from = Math.max(pos, t.fileOffset);
        const to = Math.min(chunkEnd, tEnd);
        if (from < to) {
          await sink(t, chunk.subarray(from - pos, to - pos), from - t.fileOffset);
          loaded += to - from;
        }
        if (tEnd > chunkEnd) break;
        i++;
      }
      pos = chunkEnd;
      options.onProgress?.({ status: "progress", loaded, total });
    }
  }
  options.onProgress?.({ status: "done", loaded, total });
}
