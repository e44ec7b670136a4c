import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createHasher } from "./hmac.js";

describe("createHasher", () => {
  it("is HMAC-SHA256 of the UTF-8 value, hex, truncated", async () => {
    const expected = createHmac("sha256", "k3y").update("jane@example.com").digest("hex");
    expect(await createHasher("k3y").hash("jane@example.com")).toBe(expected.slice(0, 8));
    expect(await createHasher(new TextEncoder().encode("k3y"), 64).hash("jane@example.com")).toBe(expected);
  });

  it("depends on the key and the value, and hashes lone surrogates as U+FFFD", async () => {
    const hasher = createHasher("k3y");
    expect(await hasher.hash("a")).not.toBe(await createHasher("other").hash("a"));
    expect(await hasher.hash("a")).not.toBe(await hasher.hash("b"));
    expect(await hasher.hash("x\uD800")).toBe(await hasher.hash("x\uFFFD"));
  });

  it("refuses empty keys and lengths outside 4–64", () => {
    expect(() => createHasher("")).toThrow(RangeError);
    expect(() => createHasher("k", 3)).toThrow(RangeError);
    expect(() => createHasher("k", 65)).toThrow(RangeError);
  });
});
