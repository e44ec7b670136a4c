/**
 * Keyed hashing for the `hash` action: HMAC-SHA256 through Web Crypto (`crypto.subtle`, present in
 * browsers, Workers and Node 20), hex, truncated. Keyed so that short values (a phone number, an SSN)
 * cannot be recovered by hashing every candidate; the key belongs to the operator, never the caller.
 */
import { toHex } from "../crypto/hex.js";
import { utf8Encode } from "../crypto/utf8.js";

/** The part of `SubtleCrypto` used here, typed locally: library sources build without the DOM lib. */
interface HmacSubtle {
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { name: "HMAC"; hash: "SHA-256" },
    extractable: false,
    usages: ["sign"],
  ): Promise<unknown>;
  sign(algorithm: "HMAC", key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

function subtle(): HmacSubtle {
  const subtle = (globalThis as { crypto?: { subtle?: HmacSubtle } }).crypto?.subtle;
  if (subtle === undefined) throw new Error("the hash action needs Web Crypto (globalThis.crypto.subtle)");
  return subtle;
}

export interface Hasher {
  /** Hex of HMAC-SHA256(key, UTF-8 of `value`), truncated to the hasher's length. */
  hash(value: string): Promise<string>;
}

/**
 * A hasher for one key. `length` is the number of hex digits kept (4–64).
 *
 * @example
 * const hasher = createHasher("operator secret");
 * await hasher.hash("jane@example.com"); // "…8 hex digits…"
 */
export function createHasher(key: Uint8Array | string, length = 8): Hasher {
  if (!Number.isInteger(length) || length < 4 || length > 64)
    throw new RangeError("hash length must be 4–64 hex digits");
  const keyBytes = typeof key === "string" ? utf8Encode(key) : key;
  if (keyBytes.length === 0) throw new RangeError("the hash key must not be empty");
  let imported: Promise<unknown> | undefined;
  return {
    async hash(value: string): Promise<string> {
      imported ??= subtle().importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const mac = await subtle().sign("HMAC", await imported, utf8Encode(value));
      return toHex(new Uint8Array(mac)).slice(0, length);
    },
  };
}
