import { describe, expect, it } from "vitest";
import { createRegistry, defaultDetectors } from "../registry.js";
import { found } from "../testing/find.js";
import { isValidSsn, usSsnDetector } from "./ssn.js";

describe("usSsnDetector", () => {
  it("finds dashed numbers anywhere, scoring context higher", () => {
    const [plain, context] = usSsnDetector.detect("id 536-22-1849 and SSN: 536-22-1850");
    expect([plain?.text, plain?.score]).toEqual(["536-22-1849", 0.85]);
    expect([context?.text, context?.score]).toEqual(["536-22-1850", 0.95]);
  });

  it("finds undashed and spaced numbers only after a context word", () => {
    expect(found(usSsnDetector, "social security number 536221849")).toEqual([["536221849", "ssn-rules"]]);
    expect(found(usSsnDetector, "SSN 536 22 1849")).toEqual([["536 22 1849", "ssn-rules"]]);
    expect(found(usSsnDetector, "invoice 536221849")).toEqual([]);
  });

  it("wins over a phone reading of the same digits after a context word", () => {
    // Nine digits are a valid French (or German, Spanish, Italian) national number too.
    const registry = createRegistry(defaultDetectors({ defaultCountry: "FR" }));
    const entities = (text: string) => registry.detect(text).map((f) => [f.entity, f.text]);
    expect(entities("Pour info, le SSN est 636 79 7029.")).toEqual([["US_SSN", "636 79 7029"]]);
    expect(entities("SSN: 636797029")).toEqual([["US_SSN", "636797029"]]);
    expect(entities("Appelez le 636 79 7029.")).toEqual([["PHONE", "636 79 7029"]]);
  });

  it("applies the SSA rules and refuses published examples", () => {
    for (const bad of ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567", "123-45-0000", "078-05-1120"]) {
      expect(found(usSsnDetector, bad)).toEqual([]);
    }
    expect(isValidSsn("899991234")).toBe(true);
  });

  it("refuses dates, phone-like groups and longer dashed numbers", () => {
    expect(found(usSsnDetector, "2024-01-15 415-555-2671 1536-22-1849 536-22-18490")).toEqual([]);
  });
});
