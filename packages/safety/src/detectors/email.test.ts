import { describe, expect, it } from "vitest";
import { found } from "../testing/find.js";
import { emailDetector } from "./email.js";

describe("emailDetector", () => {
  it("finds addresses with dots, plus tags, subdomains and long TLDs", () => {
    const text = "Write jane.doe+news@mail.example.co.uk, <bob_99@example.museum> or mailto:ops@corp-x.io.";
    expect(found(emailDetector, text)).toEqual([
      ["jane.doe+news@mail.example.co.uk", "email-syntax"],
      ["bob_99@example.museum", "email-syntax"],
      ["ops@corp-x.io", "email-syntax"],
    ]);
  });

  it("reports offsets in UTF-16 code units after astral characters", () => {
    const [f] = emailDetector.detect("𝄞 é a@b.io");
    expect([f?.start, f?.end]).toEqual([5, 11]);
  });

  it("refuses addresses without a TLD, with double dots, numeric TLDs and bare @handles", () => {
    for (const text of ["user@localhost", "a..b@example.com", "x@1.2.3.4", "@handle", "a@b.c", "see foo@bar"]) {
      expect(found(emailDetector, text)).toEqual([]);
    }
  });

  it("does not match a local part longer than 64 characters", () => {
    expect(found(emailDetector, `${"a".repeat(65)}@example.com`)).toEqual([]);
  });
});
