/**
 * Property: the stream guard's output does not depend on how the text was chunked. Realistic prose with
 * entities (and context-dependent ones: SSNs after "SSN") run whole, one character at a time, and in
 * random splits must give the same text and the same finish part.
 */
import { expect, it } from "vitest";
import { Vault } from "../actions/vault.js";
import { parsePolicy } from "../policy/schema.js";
import { realisticText } from "../testing/corpus.js";
import { fromChunks, randomChunks } from "../testing/pipeline.js";
import { ENTITIES } from "../types.js";
import { collectOutput, guardOutputStream } from "./guard-output-stream.js";

const policy = parsePolicy({
  output: {
    entities: Object.fromEntries(ENTITIES.map((e) => [e, "redact"])),
    categories: { violence: { threshold: 0.5, action: "block" }, profanity: { threshold: 0.5, action: "block" } },
    classifiers: { lexical: 1, injection: 1 },
  },
  streaming: { windowTokens: 3 },
});
const TAIL =
  " SSN 123 45 6789 and ssn: 123456789, jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end";

it("gives the same output for any chunking of realistic text", async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const text = realisticText(1200, seed) + TAIL + (seed % 3 === 0 ? " and then I will kill you." : "");
    const whole = await collectOutput(guardOutputStream(fromChunks([text]), policy, new Vault()));
    for (const chunks of [Array.from(text), randomChunks(text, seed, 5), randomChunks(text, seed * 7, 50)]) {
      const got = await collectOutput(guardOutputStream(fromChunks(chunks), policy, new Vault()));
      expect(got.text).toBe(whole.text);
      expect(got.finish).toEqual(whole.finish);
    }
  }
}, 60_000);

it("gives the same output for any chunking when only character-class entities are held (the short tail path)", async () => {
  const dynamic = parsePolicy({
    output: {
      entities: Object.fromEntries(
        ENTITIES.filter((e) => e !== "PRIVATE_KEY" && e !== "SECRET_ASSIGNMENT").map((e) => [e, "redact"]),
      ),
      classifiers: {},
    },
  });
  for (let seed = 1; seed <= 12; seed++) {
    const text = realisticText(1200, seed) + TAIL;
    const whole = await collectOutput(guardOutputStream(fromChunks([text]), dynamic, new Vault()));
    expect(whole.finish.moderation.findings.length).toBeGreaterThan(0);
    for (const chunks of [Array.from(text), randomChunks(text, seed, 5), randomChunks(text, seed * 7, 50)]) {
      const got = await collectOutput(guardOutputStream(fromChunks(chunks), dynamic, new Vault()));
      expect(got.text).toBe(whole.text);
      expect(got.finish).toEqual(whole.finish);
    }
  }
}, 60_000);
