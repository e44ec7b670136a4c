import { describe, expect, it } from "vitest";
import { createRegistry, defaultDetectors } from "./registry.js";
import { HOSTILE, realisticText } from "./testing/corpus.js";
import { ENTITIES } from "./types.js";

const registry = createRegistry();

describe("createRegistry", () => {
  it("covers every entity with at least one detector", () => {
    const covered = new Set(defaultDetectors().flatMap((d) => d.entities));
    expect([...covered].sort()).toEqual([...ENTITIES].sort());
  });

  it("finds several entities in one text, sorted by start, with spans that index the text", () => {
    const text =
      "Mail jane@example.com, card 4111-1111-1111-1111, ip 10.0.0.1 and key AKIAIOSFODNN7EXAMPLE; call +1 415-555-2671.";
    const found = registry.detect(text);
    expect(found.map((f) => [f.entity, f.text, f.validator])).toEqual([
      ["EMAIL", "jane@example.com", "email-syntax"],
      ["CREDIT_CARD", "4111-1111-1111-1111", "luhn"],
      ["IP_ADDRESS", "10.0.0.1", "ipv4"],
      ["AWS_ACCESS_KEY", "AKIAIOSFODNN7EXAMPLE", "prefix"],
      ["PHONE", "+1 415-555-2671", "libphonenumber"],
    ]);
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it("runs only the chosen entities", () => {
    const text = "jane@example.com 10.0.0.1";
    expect(registry.detect(text, { entities: ["IP_ADDRESS"] }).map((f) => f.entity)).toEqual(["IP_ADDRESS"]);
    expect(registry.detect(text, { entities: [] })).toEqual([]);
  });

  it("resolves overlaps between detectors: URL credentials win over the e-mail inside them", () => {
    const text = "postgres://admin:s3cr3tPa55@db.example.com/app";
    expect(registry.detect(text).map((f) => [f.entity, f.text])).toEqual([["URL_CREDENTIALS", "admin:s3cr3tPa55"]]);
    expect(registry.detect(text, { keepOverlaps: true }).map((f) => f.entity)).toEqual(["URL_CREDENTIALS", "EMAIL"]);
  });

  it("an IPv6 address with an IPv4 tail is one finding, not two", () => {
    expect(registry.detect("from ::ffff:192.0.2.128:").map((f) => f.text)).toEqual(["::ffff:192.0.2.128"]);
  });

  it("a JWT in a secret assignment is reported as the JWT", () => {
    const jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    expect(registry.detect(`token=${jwt}`).map((f) => f.entity)).toEqual(["JWT"]);
  });

  it("does not throw on lone surrogates and still finds entities around them", () => {
    const text = "\uD800 jane@example.com \uDC00 4111111111111111 \uDBFF";
    expect(registry.detect(text).map((f) => f.entity)).toEqual(["EMAIL", "CREDIT_CARD"]);
    expect(registry.detect("\uD800".repeat(1000) + "\uDC00".repeat(1000))).toEqual([]);
  });

  it("finds the sprinkled entities of realistic text and no look-alikes", () => {
    const found = registry.detect(realisticText(20_000, 7));
    const entities = new Set(found.map((f) => f.entity));
    expect([...entities].sort()).toEqual([
      "AWS_ACCESS_KEY",
      "CREDIT_CARD",
      "CRYPTO_WALLET",
      "EMAIL",
      "IBAN",
      "IP_ADDRESS",
      "PHONE",
    ]);
    const texts = new Set(found.map((f) => f.text));
    for (const lookalike of ["1234567890123", "1.2.3.4", "20240115.1", "1700000000000", "2024-01-15", "12:30:45"]) {
      expect(texts.has(lookalike)).toBe(false);
    }
  });
});

describe("hostile inputs (100 KB of near-matches) finish and find nothing", () => {
  for (const [name, make] of Object.entries(HOSTILE)) {
    it(name, () => {
      const text = make(100_000);
      expect(text).toHaveLength(100_000);
      expect(registry.detect(text)).toEqual([]);
    });
  }
});
