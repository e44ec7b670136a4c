/**
 * A small safetensors writer for the project's deterministic test models (and this package's tests): tensors in
 * F32/F16/BF16 from values or bytes, the JSON header padded with spaces to 8 bytes as the reference writer does.
 */
import { reference } from "@gemma-edge/kernels-wasm";
import { SAFETENSORS_DTYPES, type SafetensorsDtype } from "../safetensors/reader.js";

export interface SafetensorsTensorInput {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  /** Outermost first: `[rows, cols]`. */
  readonly shape: readonly number[];
  /** Values (encoded in `dtype`) or the bytes themselves. */
  readonly data: ArrayLike<number> | Uint8Array;
}

/**
 * Writes a safetensors file.
 * @example
 * const bytes = writeSafetensors([{ name: "model.norm.weight", dtype: "BF16", shape: [64], data: new Float32Array(64) }]);
 */
export function writeSafetensors(
  tensors: readonly SafetensorsTensorInput[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = metadata === undefined ? {} : { __metadata__: metadata };
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const bytes =
      t.data instanceof Uint8Array
        ? t.data
        : reference.quantizeWeights(SAFETENSORS_DTYPES[t.dtype].format, t.data, 1, n);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad > 0) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}
