import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toHex } from "./hex.js";
import { sha256 } from "./sha256.js";
import { utf8Encode } from "./utf8.js";

const ascii = (s: string) => utf8Encode(s);

describe("sha256", () => {
  it("matches the FIPS 180-4 examples", () => {
    expect(toHex(sha256(ascii("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(toHex(sha256(ascii("")))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("matches node:crypto on every length across the block boundaries", () => {
    for (let n = 0; n < 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(toHex(sha256(data))).toBe(createHash("sha256").update(data).digest("hex"));
    }
  });
});
