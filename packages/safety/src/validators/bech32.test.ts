import { describe, expect, it } from "vitest";
import { bech32Decode, segwitAddressEncoding } from "./bech32.js";

describe("segwitAddressEncoding", () => {
  it("accepts BIP 173 (v0) and BIP 350 (v1, Taproot) addresses, in either case", () => {
    expect(segwitAddressEncoding("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")).toBe("bech32");
    expect(segwitAddressEncoding("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")).toBe("bech32");
    expect(segwitAddressEncoding("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3")).toBe("bech32");
    expect(segwitAddressEncoding("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")).toBe("bech32m");
  });

  it("refuses a changed character, mixed case, another network and the wrong checksum for the version", () => {
    expect(segwitAddressEncoding("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5")).toBeUndefined();
    expect(segwitAddressEncoding("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kV8f3t4")).toBeUndefined();
    expect(segwitAddressEncoding("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")).toBeUndefined();
    // A v1 program under a Bech32 (not Bech32m) checksum: valid Bech32, invalid SegWit (BIP 350).
    expect(bech32Decode("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx")?.encoding).toBe(
      "bech32",
    );
    expect(
      segwitAddressEncoding("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx"),
    ).toBeUndefined();
  });
});
