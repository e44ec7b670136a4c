import { describe, expect, it } from "vitest";
import { base64UrlDecode, utf8Decode } from "./base64url.js";

const decodeText = (s: string) => {
  const bytes = base64UrlDecode(s);
  return bytes === undefined ? undefined : utf8Decode(bytes);
};

describe("base64UrlDecode", () => {
  it("decodes with and without padding, and the url-safe characters", () => {
    expect(decodeText("eyJhbGciOiJIUzI1NiJ9")).toBe('{"alg":"HS256"}');
    expect(decodeText("YWI")).toBe("ab");
    expect(decodeText("YWI=")).toBe("ab");
    expect(Array.from(base64UrlDecode("-_8") ?? [])).toEqual([0xfb, 0xff]);
  });

  it("refuses foreign characters and impossible lengths", () => {
    expect(base64UrlDecode("ab+c")).toBeUndefined();
    expect(base64UrlDecode("abcde")).toBeUndefined();
  });
});

describe("utf8Decode", () => {
  it("decodes multi-byte characters and refuses broken sequences", () => {
    expect(utf8Decode(new TextEncoder().encode("é€𝄞"))).toBe("é€𝄞");
    expect(utf8Decode(Uint8Array.from([0xc3]))).toBeUndefined();
    expect(utf8Decode(Uint8Array.from([0xc0, 0x80]))).toBeUndefined(); // overlong
    expect(utf8Decode(Uint8Array.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // encoded surrogate
  });
});
