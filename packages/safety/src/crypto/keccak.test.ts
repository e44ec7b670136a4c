import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "./hex.js";
import { keccak256 } from "./keccak.js";
import { utf8Encode } from "./utf8.js";

const ascii = (s: string) => utf8Encode(s);

describe("keccak256", () => {
  it("matches the known Ethereum digests", () => {
    expect(toHex(keccak256(ascii("")))).toBe("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(toHex(keccak256(ascii("abc")))).toBe("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  });

  it("differs from SHA3-256 only by the padding byte", () => {
    // node:crypto has SHA3-256 (padding 0x06); Keccak-256 must not equal it, which catches a wrong pad.
    const data = ascii("abc");
    expect(toHex(keccak256(data))).not.toBe(createHash("sha3-256").update(data).digest("hex"));
  });

  it("absorbs inputs longer than one 136-byte block", () => {
    const a = keccak256(new Uint8Array(135));
    const b = keccak256(new Uint8Array(136));
    const c = keccak256(new Uint8Array(300));
    expect(new Set([toHex(a), toHex(b), toHex(c)]).size).toBe(3);
    expect(toHex(c)).toHaveLength(64);
  });
});
