import { GemmaEdgeModeration } from "@gemma-edge/protocol";
import { describe, expect, it } from "vitest";
import { Vault } from "../actions/vault.js";
import { DEFAULT_POLICY, SHADOW_ROLLOUT_POLICY, STRICT_CONSUMER_POLICY } from "../policy/examples.js";
import { type PolicyInput, parsePolicy } from "../policy/schema.js";
import { fromChunks, PII, PII_TEXT, randomChunks } from "../testing/pipeline.js";
import { collectOutput, guardOutput, guardOutputStream, type OutputPart } from "./guard-output-stream.js";
import { tailHoldBack } from "./hold-back.js";

const REDACT_ALL = parsePolicy({
  output: {
    entities: {
      EMAIL: "redact",
      PHONE: "mask",
      CREDIT_CARD: "redact",
      IBAN: "redact",
      US_SSN: "redact",
      AWS_ACCESS_KEY: "redact",
      IP_ADDRESS: "pseudonymize",
    },
    categories: { violence: { threshold: 0.8, action: "block" } },
    classifiers: { lexical: 1 },
  },
  streaming: { windowTokens: 4 },
} satisfies PolicyInput);

async function run(chunks: readonly string[], policy = REDACT_ALL, vault = new Vault()) {
  const parts: OutputPart[] = [];
  for await (const part of guardOutputStream(fromChunks(chunks), policy, vault)) parts.push(part);
  return parts;
}

function chunkings(text: string): string[][] {
  const out: string[][] = [[text], Array.from(text), randomChunks(text, 1, 3), randomChunks(text, 2, 40)];
  for (let seed = 3; seed < 12; seed++) out.push(randomChunks(text, seed, 1 + seed * 3));
  return out;
}

describe("guardOutputStream", () => {
  it("redacts entities split across chunks, with spans into the emitted text", async () => {
    const { text, finish } = await collectOutput(
      guardOutputStream(fromChunks(Array.from(PII_TEXT)), REDACT_ALL, new Vault()),
    );
    for (const value of [PII.email, PII.card, PII.iban, PII.ssn, PII.aws, PII.ip]) expect(text).not.toContain(value);
    expect(text).toContain("[EMAIL]");
    expect(text).toContain("[CREDIT_CARD]");
    expect(text).toContain("*0958");
    expect(finish.reason).toBe("stop");
    expect(finish.moderation.decision).toBe("modify");
    for (const f of finish.moderation.findings) {
      if (f.kind !== "entity") continue;
      const shown = text.slice(f.span.start, f.span.end);
      expect(shown.startsWith("[") || shown.includes("*"), shown).toBe(true);
    }
  });

  it("gives the same output for every chunking of the same text", async () => {
    const texts = [
      PII_TEXT,
      `Reach [EMAIL_1] or call [PHONE_1]. ${"Lorem ipsum dolor sit amet. ".repeat(6)}Card: ${PII.card}.`,
      `Sure! ${"Here is a long harmless paragraph about gardening. ".repeat(5)} I will kill you now. More text after.`,
      "[[EMAIL_1]] [EMAIL_9] [NOT A PLACEHOLDER ] [EMAIL_",
      // decided by words after the value: an SSN, a version (not an address), an address
      "Could you check 536221849? Dana says it is the SSN from ticket #12. And 5.14.124.78? That one is the build.",
      "Ping 10.2.3.4 now; order 536221849 shipped.",
    ];
    for (const text of texts) {
      const vault = () => {
        const v = new Vault();
        v.pseudonym("EMAIL", "amy@example.org");
        v.pseudonym("PHONE", "+1 202 555 0143");
        return v;
      };
      const whole = await run([text], REDACT_ALL, vault());
      const wholeText = whole.flatMap((p) => (p.type === "text-delta" ? [p.text] : [])).join("");
      const wholeFinish = whole.at(-1);
      for (const chunks of chunkings(text)) {
        const parts = await run(chunks, REDACT_ALL, vault());
        expect(parts.flatMap((p) => (p.type === "text-delta" ? [p.text] : [])).join("")).toBe(wholeText);
        expect(parts.at(-1)).toEqual(wholeFinish);
      }
    }
  });

  it("restores pseudonyms, including placeholders split across chunks", async () => {
    const vault = new Vault();
    vault.pseudonym("EMAIL", "amy@example.org");
    const chunks = ["Write to [EM", "AIL", "_1", "] today; [EMAIL_2] is unknown."];
    const { text, finish } = await collectOutput(guardOutputStream(fromChunks(chunks), DEFAULT_POLICY, vault));
    expect(text).toBe("Write to amy@example.org today; [EMAIL_2] is unknown.");
    expect(finish.moderation.decision).toBe("allow");
  });

  it("stops with content_filter and emits nothing after the violating window", async () => {
    const harmless = "Here is a harmless answer about gardening and tomatoes. ".repeat(4);
    const after = " AFTER-THE-VIOLATION and much more text that must never be seen. ".repeat(3);
    const text = `${harmless}I am going to kill you.${after}`;
    for (const chunks of [[text], Array.from(text), randomChunks(text, 7, 9)]) {
      const parts = await run(chunks);
      const emitted = parts.flatMap((p) => (p.type === "text-delta" ? [p.text] : [])).join("");
      const finish = parts.at(-1);
      expect(finish?.type === "finish" && finish.reason).toBe("content_filter");
      expect(emitted).not.toContain("AFTER-THE-VIOLATION");
      expect(emitted).not.toContain("kill you"); // released only after its window passed
      expect(harmless.startsWith(emitted.slice(0, harmless.length))).toBe(true);
      if (finish?.type !== "finish") throw new Error("no finish");
      expect(finish.moderation.decision).toBe("block");
      const violence = finish.moderation.findings.find((f) => f.kind === "category" && f.category === "violence");
      expect(violence).toMatchObject({ action: "block", stage: "output_stream" });
    }
  });

  it("stops before a blocked entity", async () => {
    const policy = parsePolicy({ output: { entities: { CREDIT_CARD: "block" }, classifiers: {} } });
    const parts = await run(Array.from(`Your card: ${PII.card} - keep it safe.`), policy);
    const emitted = parts.flatMap((p) => (p.type === "text-delta" ? [p.text] : [])).join("");
    expect(emitted).toBe("Your card: ");
    expect(parts.at(-1)).toMatchObject({ type: "finish", reason: "content_filter", moderation: { decision: "block" } });
  });

  it("lets everything through in shadow mode but reports the decision", async () => {
    const text = `Sure, ${PII.email}. I will kill you. Bye.`;
    const { text: emitted, finish } = await guardOutput(text, SHADOW_ROLLOUT_POLICY);
    expect(emitted).toBe(text);
    expect(finish.reason).toBe("stop");
    expect(finish.moderation.decision).toBe("block");
    expect(finish.moderation.findings.every((f) => f.stage === "output")).toBe(true);
    const email = finish.moderation.findings.find((f) => f.kind === "entity");
    expect(email?.kind === "entity" && emitted.slice(email.span.start, email.span.end)).toBe(PII.email);
  });

  it("never carries raw PII in the finish part", async () => {
    for (const policy of [REDACT_ALL, STRICT_CONSUMER_POLICY, SHADOW_ROLLOUT_POLICY]) {
      const { finish } = await guardOutput(PII_TEXT, policy);
      expect(GemmaEdgeModeration.safeParse(finish.moderation).success).toBe(true);
      const logged = JSON.stringify(finish);
      for (const value of Object.values(PII)) expect(logged).not.toContain(value);
    }
  });

  it("handles an empty stream and a long stream in bounded steps", async () => {
    const empty = await run([]);
    expect(empty).toEqual([
      { type: "finish", reason: "stop", moderation: expect.objectContaining({ decision: "allow" }) },
    ]);
    const long = "All good here, nothing to see. ".repeat(2000);
    const start = performance.now();
    const { text } = await collectOutput(
      guardOutputStream(fromChunks(randomChunks(long, 5, 8)), REDACT_ALL, new Vault()),
    );
    expect(text).toBe(long);
    expect(performance.now() - start).toBeLessThan(20_000);
  });
});

describe("first-token latency of the entity guard", () => {
  it("holds back only what could still grow into an entity, not the whole 256-character email bound", async () => {
    const policy = parsePolicy({ output: { entities: { EMAIL: "redact", CREDIT_CARD: "redact" }, classifiers: {} } });
    const words =
      "Sure, here is a short answer for you about the weather today and tomorrow. ".repeat(3).match(/\S+\s*/g) ?? [];
    let fed = 0;
    let firstAt = -1;
    async function* tokens() {
      for (const w of words) {
        fed += w.length;
        yield w;
      }
      yield "Write to jane.doe@example.com soon.";
    }
    let text = "";
    for await (const part of guardOutputStream(tokens(), policy, new Vault())) {
      if (part.type !== "text-delta") continue;
      if (firstAt < 0) firstAt = fed;
      text += part.text;
    }
    expect(firstAt).toBeGreaterThan(0);
    expect(firstAt).toBeLessThan(40); // the first words go out after a few tokens (was ≥ 288 characters)
    expect(text.endsWith("Write to [EMAIL] soon.")).toBe(true);
  });

  it("tailHoldBack measures the trailing run of each entity's characters", () => {
    expect(tailHoldBack("write to me at jane.d", ["EMAIL"])).toBe(6);
    expect(tailHoldBack("write to me at ", ["EMAIL"])).toBe(0);
    expect(tailHoldBack("card 4111 1111 11", ["CREDIT_CARD"])).toBe(13);
    expect(tailHoldBack("no digits here", ["CREDIT_CARD", "US_SSN"])).toBe(0);
    expect(tailHoldBack("x".repeat(1000), ["EMAIL"])).toBe(256);
    expect(tailHoldBack("x".repeat(1000), ["EMAIL"], 64)).toBe(64);
    expect(tailHoldBack("my password = hunter", ["SECRET_ASSIGNMENT"])).toBe(6); // the value's run
    expect(tailHoldBack("the key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow", ["PRIVATE_KEY"])).toBe(38); // from BEGIN
    expect(tailHoldBack("the key: -----BEGIN RS", ["PRIVATE_KEY"])).toBe(13); // from BEGIN
    expect(tailHoldBack("the key: -----BEG", ["PRIVATE_KEY"])).toBe(9); // a BEGIN still being written
    expect(tailHoldBack("nothing to hold.", ["PRIVATE_KEY", "SECRET_ASSIGNMENT"])).toBe(5);
    expect(tailHoldBack("anything", ["PRIVATE_KEY", "US_SSN"], 0)).toBe(0);
    // nine digits or a dotted quad wait for the words after them, which may say what they are
    expect(tailHoldBack("check 536221849? It's", ["US_SSN"])).toBe(15);
    expect(tailHoldBack(`check 536221849?${" word".repeat(30)}`, ["US_SSN"])).toBe(0);
    expect(tailHoldBack("check 5.14.124.78 and", ["IP_ADDRESS"])).toBe(15);
    // a dashed SSN whose right context is not complete yet is held whole, also near the end of its reach
    expect(tailHoldBack(`id 536-22-1849${" word".repeat(20)}ab`, ["US_SSN"])).toBe(11 + 102);
  });
});

describe("first-token latency of the classifier windows", () => {
  const words =
    "The weather will be mild today with a light breeze and some sun later on. ".repeat(4).match(/\S+\s*/g) ?? [];
  async function firstRelease(streaming: PolicyInput["streaming"]) {
    const policy = parsePolicy({
      output: { categories: { violence: { threshold: 0.5, action: "block" } }, classifiers: { lexical: 1 } },
      streaming,
    });
    let fed = 0;
    async function* tokens() {
      for (const w of words) {
        fed += w.length;
        yield w;
      }
    }
    let first = -1;
    let text = "";
    for await (const part of guardOutputStream(tokens(), policy, new Vault())) {
      if (part.type !== "text-delta") continue;
      if (first < 0) first = fed;
      text += part.text;
    }
    return { first, text };
  }

  it("scores and releases the opening after firstWindowTokens, then in doubling windows up to windowTokens", async () => {
    const early = await firstRelease({ windowTokens: 16 });
    const fixed = await firstRelease({ windowTokens: 16, firstWindowTokens: 16 });
    expect(early.first).toBeLessThanOrEqual(4 * 4 + 12); // 4 tokens of 4 characters, plus the word that crossed it
    expect(fixed.first).toBeGreaterThanOrEqual(16 * 4);
    expect(early.text).toBe(words.join(""));
    expect(fixed.text).toBe(words.join(""));
  });
});
