import { describe, expect, it } from "vitest";
import { resolveOverlaps } from "./overlap.js";
import type { Entity, Finding } from "./types.js";

const f = (entity: Entity, start: number, end: number, score: number, validator = "v"): Finding => ({
  entity,
  start,
  end,
  text: "x".repeat(end - start),
  score,
  validator,
});

describe("resolveOverlaps", () => {
  it("keeps the higher score, then the longer span, then the earlier start", () => {
    expect(resolveOverlaps([f("EMAIL", 0, 10, 0.9), f("URL_CREDENTIALS", 5, 8, 0.95)])).toEqual([
      f("URL_CREDENTIALS", 5, 8, 0.95),
    ]);
    expect(resolveOverlaps([f("IP_ADDRESS", 7, 18, 0.85), f("IP_ADDRESS", 0, 18, 0.85)])).toEqual([
      f("IP_ADDRESS", 0, 18, 0.85),
    ]);
    expect(resolveOverlaps([f("PHONE", 4, 10, 0.8), f("PHONE", 2, 8, 0.8)])).toEqual([f("PHONE", 2, 8, 0.8)]);
  });

  it("keeps touching spans (half-open) and sorts the result by start", () => {
    expect(resolveOverlaps([f("EMAIL", 5, 9, 0.9), f("PHONE", 0, 5, 0.8)])).toEqual([
      f("PHONE", 0, 5, 0.8),
      f("EMAIL", 5, 9, 0.9),
    ]);
  });

  it("is independent of input order, ties broken by entity name", () => {
    const a = f("JWT", 0, 4, 0.9);
    const b = f("EMAIL", 0, 4, 0.9);
    expect(resolveOverlaps([a, b])).toEqual([b]);
    expect(resolveOverlaps([b, a])).toEqual([b]);
  });

  it("drops a lower-ranked span that overlaps any kept span, even partly", () => {
    const kept = [f("IBAN", 0, 4, 0.95), f("IBAN", 6, 10, 0.95)];
    expect(resolveOverlaps([...kept, f("PHONE", 3, 7, 0.8)])).toEqual(kept);
  });
});
