import { describe, expect, it } from "vitest";
import { base58CheckDecode, base58Decode, isBitcoinBase58Address } from "./base58check.js";

describe("base58", () => {
  it("decodes leading ones as zero bytes and refuses foreign characters", () => {
    expect(Array.from(base58Decode("1112") ?? [])).toEqual([0, 0, 0, 1]);
    expect(Array.from(base58Decode("5R") ?? [])).toEqual([1, 0]); // 4·58 + 24 = 256
    expect(base58Decode("0OIl")).toBeUndefined();
  });
});

describe("isBitcoinBase58Address", () => {
  it("accepts mainnet P2PKH and P2SH addresses", () => {
    expect(isBitcoinBase58Address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toBe(true); // genesis block
    expect(isBitcoinBase58Address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).toBe(true); // P2SH
    expect(base58CheckDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")?.version).toBe(0);
    expect(base58CheckDecode("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")?.version).toBe(5);
    expect(isBitcoinBase58Address("1111111111111111111114oLvT2")).toBe(true); // the all-zero "burn" address
  });

  it("refuses a changed character (checksum) and strings that are not addresses", () => {
    expect(isBitcoinBase58Address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")).toBe(false);
    expect(isBitcoinBase58Address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz")).toBe(false);
    expect(isBitcoinBase58Address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN")).toBe(false); // one character short
  });
});
