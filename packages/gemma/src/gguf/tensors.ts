/**
 * Getting tensor bytes out of a GGUF file once its header is parsed: stream them to a sink in file order, in bounded
 * chunks (tensor-stream.ts), or read one tensor's bytes.
 */
import { type ByteSource, readRange } from "../byte-source.js";
import { InvalidTensorError } from "../errors.js";
import { type StreamTensorsOptions, streamTensorData, type TensorSink } from "../tensor-stream.js";
import type { GgufHeader, GgufTensorInfo } from "./types.js";

/** Receives GGUF tensor data; see `TensorSink`. */
export type GgufTensorSink = TensorSink<GgufTensorInfo>;

/**
 * Streams tensor data to `sink`, in file order, in bounded chunks. Consecutive selected tensors are read as one range
 * (one request for a URL source).
 * @example
 * await streamGgufTensors(source, header, (t, chunk, at) => kernels.weightBytes(weights[t.name]).set(chunk, at));
 */
export function streamGgufTensors(
  source: ByteSource,
  header: GgufHeader,
  sink: GgufTensorSink,
  options: StreamTensorsOptions<GgufTensorInfo> = {},
): Promise<void> {
  return streamTensorData(source, header.tensors, sink, options);
}

/** The tensor named `name` (an `InvalidTensorError` if the file has none). */
export function ggufTensor(header: GgufHeader, name: string): GgufTensorInfo {
  const t = header.tensors.find((x) => x.name === name);
  if (t === undefined) throw new InvalidTensorError(`the file has no tensor ${name}`, name);
  return t;
}

/** Reads all of one tensor's bytes (or `length` bytes from `offsetInTensor`). */
export async function readGgufTensor(
  source: ByteSource,
  tensor: GgufTensorInfo,
  offsetInTensor = 0,
  length = tensor.byteLength - offsetInTensor,
): Promise<Uint8Array> {
  if (offsetInTensor < 0 || length < 0 || offsetInTensor + length > tensor.byteLength) {
    throw new InvalidTensorError(
      `range ${offsetInTensor} + ${length} is outside tensor ${tensor.name} (${tensor.byteLength} bytes)`,
      tensor.name,
    );
  }
  return readRange(source, tensor.fileOffset + offsetInTensor, length, `tensor ${tensor.name}`);
}
