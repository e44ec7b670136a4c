import { SyncRedactor } from "redact-pii";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "./corpus.js";
import { openRedactionEngine, oursEngine, redactPiiEngine } from "./engines.js";

describe("redactPiiEngine", () => {
  it("derives the input spans behind redact-pii's placeholders", () => {
    const text = "Mail jane@example.com or call 415-555-2671 from 10.1.2.3, card 4111 1111 1111 1111.";
    expect(new SyncRedactor().redact(text)).toBe(
      "Mail EMAIL_ADDRESS or call PHONE_NUMBER from IP_ADDRESS, card CREDIT_CARD_NUMBER.",
    );
    const spans = redactPiiEngine().spans(text, "US") as { entity: string; start: number; end: number }[];
    expect(spans.map((s) => [s.entity, text.slice(s.start, s.end)])).toEqual([
      ["EMAIL", "jane@example.com"],
      ["PHONE", "415-555-2671"],
      ["IP_ADDRESS", "10.1.2.3"],
      ["CREDIT_CARD", "4111 1111 1111 1111"],
    ]);
  });

  it("replays the same output as SyncRedactor.redact on generated text", () => {
    const engine = redactPiiEngine();
    for (const s of generateCorpus({ samplesPerLocale: 10 })) engine.spans(s.text, s.region);
    expect(engine.mismatches).toBe(0);
  });
});

describe("openRedactionEngine and oursEngine", () => {
  it("map findings to spans of our entity names", async () => {
    const text = "Contact jane.doe@example.com, IBAN DE89 3704 0044 0532 0130 00.";
    const theirs = await openRedactionEngine().spans(text, "DE");
    expect(theirs.map((s) => [s.entity, text.slice(s.start, s.end)])).toContainEqual([
      "IBAN",
      "DE89 3704 0044 0532 0130 00",
    ]);
    const ours = await oursEngine().spans(text, "DE");
    expect(ours.map((s) => [s.entity, text.slice(s.start, s.end)])).toEqual([
      ["EMAIL", "jane.doe@example.com"],
      ["IBAN", "DE89 3704 0044 0532 0130 00"],
    ]);
  });
});
