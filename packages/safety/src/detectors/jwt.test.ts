import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { isJwtHeader, jwtDetector } from "./jwt.js";

const b64url = (s: string) => Buffer.from(s).toString("base64url");
const JWT_IO =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

describe("jwtDetector", () => {
  it("finds signed and unsigned tokens whose header has an alg", () => {
    const unsigned = `${b64url('{"alg":"none"}')}.${b64url('{"sub":"42"}')}.`;
    const text = `Authorization: Bearer ${JWT_IO}\nalso ${unsigned} here`;
    expect(found(jwtDetector, text)).toEqual([
      [JWT_IO, "jwt-header"],
      [unsigned, "jwt-header"],
    ]);
  });

  it("refuses JWT-looking strings whose header is not JSON, or has no alg", () => {
    const notJson = `${b64url('{"alg":"HS256"')}.${b64url('{"a":1}')}.c2ln`;
    const noAlg = `${b64url('{"typ":"JWT"}')}.${b64url('{"a":1}')}.c2ln`;
    const numericAlg = `${b64url('{"alg":256}')}.${b64url('{"a":1}')}.c2ln`;
    expect(found(jwtDetector, `${notJson} ${noAlg} ${numericAlg} eyJhbGciOi.eyJzdWIi.x`)).toEqual([]);
    expect(isJwtHeader(b64url('{"alg":"RS256","kid":"k1"}'))).toBe(true);
  });

  it("does not report a five-part JWE as a JWT", () => {
    expect(found(jwtDetector, `${JWT_IO}.Zm9v.YmFy`)).toEqual([]);
  });
});
