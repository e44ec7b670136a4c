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

  it("finds undashed and spaced numbers only when an SSN word is the nearest context word, before or after", () => {
    expect(found(usSsnDetector, "social security number 536221849")).toEqual([["536221849", "ssn-rules"]]);
    expect(found(usSsnDetector, "SSN 536 22 1849")).toEqual([["536 22 1849", "ssn-rules"]]);
    expect(found(usSsnDetector, "Please use 052802270 (SSN) for the office")).toEqual([["052802270", "ssn-rules"]]);
    expect(found(usSsnDetector, "Can you check 536 22 1849? It's the SSN from case 12.")).toEqual([
      ["536 22 1849", "ssn-rules"],
    ]);
    expect(found(usSsnDetector, "854 97 0769を確認してもらえますか？チケット1518の米国の社会保障番号です。")).toEqual([
      ["854 97 0769", "ssn-rules"],
    ]);
    expect(found(usSsnDetector, "invoice 536221849")).toEqual([]);
    expect(found(usSsnDetector, "536221849")).toEqual([]);
    expect(found(usSsnDetector, "My SSN is on file. Order 536221849 shipped.")).toEqual([]);
    expect(found(usSsnDetector, "SSN: 536-22-1849, order 536221850")).toEqual([["536-22-1849", "ssn-rules"]]);
    expect(found(usSsnDetector, "SSN CH852300627D53034")).toEqual([]); // digits inside a longer code
  });

  it("drops a dashed number right after another identifier's name", () => {
    expect(found(usSsnDetector, "ticket number 536-22-1849")).toEqual([]);
    expect(found(usSsnDetector, "参照番号は085-58-6796とのことです。")).toEqual([]);
    // far away, the name does not settle it: still an SSN, at the plain score
    const [far] = usSsnDetector.detect("536-22-1849 — please keep this safe, it came with the ticket.");
    expect([far?.text, far?.score]).toEqual(["536-22-1849", 0.85]);
  });

  it("wins over a phone reading of the same digits after a context word", () => {
    // Nine digits are a valid French (or German, Spanish, Italian) national number too.
    const registry = createRegistry(defaultDetectors({ defaultCountry: "FR" }));
    const entities = (text: string) => registry.detect(text).map((f) => [f.entity, f.text]);
    expect(entities("Pour info, le SSN est 636 79 7029.")).toEqual([["US_SSN", "636 79 7029"]]);
    expect(entities("SSN: 636797029")).toEqual([["US_SSN", "636797029"]]);
    expect(entities("Appelez le 06 36 79 70 29.")).toEqual([["PHONE", "06 36 79 70 29"]]);
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
