/**
 * SHA-256 of a byte source, for `loadModel({ expectedSha256 })`. Node hashes any size as a stream (node:crypto, found
 * at run time so browser bundles never import it); elsewhere Web Crypto hashes sources up to 1 GiB in one piece.
 */
import { type ByteSource, streamRange } from "./byte-source.js";
import { ChecksumMismatchError, SourceError } from "./errors.js";

type NodeHash = { update(b: Uint8Array): NodeHash; digest(enc: "hex"): string };
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.("node:crypto") as { createHash(alg: string): NodeHash } | undefined;

const WEB_CRYPTO_LIMIT = 1 << 30;

export async function sha256Hex(source: ByteSource, signal?: AbortSignal): Promise<string> {
  if (nodeCrypto) {
    const hash = nodeCrypto.createHash("sha256");
    for await (const chunk of streamRange(
      source,
      0,
      source.size,
      signal ? { signal, what: "checksum" } : { what: "checksum" },
    )) {
      hash.update(chunk);
    }
    return hash.digest("hex");
  }
  if (source.size > WEB_CRYPTO_LIMIT) {
    throw new SourceError(
      `checking the SHA-256 of a ${source.size}-byte file needs Node (Web Crypto hashes in one piece)`,
    );
  }
  const digest = await crypto.subtle.digest("SHA-256", (await source.read(0, source.size)) as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Throws ChecksumMismatchError unless the source's SHA-256 is `expected` (hex, any case). */
export async function verifySha256(source: ByteSource, expected: string, signal?: AbortSignal): Promise<void> {
  const actual = await sha256Hex(source, signal);
  if (actual !== expected.trim().toLowerCase()) {
    throw new ChecksumMismatchError(`the model file's SHA-256 is ${actual}, expected ${expected}`);
  }
}
