/**
 * EIP-55 mixed-case checksum of Ethereum addresses: hex letter i is uppercase exactly when nibble i of
 * Keccak-256(lowercase hex address as ASCII) is 8 or more.
 */
import { keccak256 } from "../crypto/keccak.js";
import { utf8Encode } from "../crypto/utf8.js";

/** The EIP-55 checksummed spelling of 40 hex digits (without `0x`). */
export function eip55Checksum(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak256(utf8Encode(lower));
  let out = "";
  for (let i = 0; i < lower.length; i++) {
    const char = lower[i] as string;
    const byte = hash[i >> 1] as number;
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 15;
    out += nibble >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/** Whether mixed-case hex (without `0x`) carries a correct EIP-55 checksum. */
export function isEip55(hex40: string): boolean {
  return eip55Checksum(hex40) === hex40;
}
