import { describe, expect, it } from "vitest";
import { utf8Encode } from "./utf8.js";

describe("utf8Encode", () => {
  it("matches TextEncoder, including lone surrogates as U+FFFD", () => {
    for (const s of ["", "abc", "é€𝄞", "a\uD800b", "\uDC00", "x\uD83D"]) {
      expect(Array.from(utf8Encode(s))).toEqual(Array.from(new TextEncoder().encode(s)));
    }
  });
});
