import { describe, expect, it } from "vitest";
import { createLexicalClassifier, lexicalScores } from "./lexical.js";
import { normalize } from "./normalize.js";

const over = (text: string, category: keyof ReturnType<typeof lexicalScores>, min = 0.5) =>
  expect(lexicalScores(text)[category] ?? 0, text).toBeGreaterThanOrEqual(min);

describe("normalize", () => {
  it("folds fullwidth, homoglyphs, zero-width, spacing and leetspeak", () => {
    const n = normalize("Ｉ w\u200bill k i l l  Y0U, kіll (Cyrillic і)");
    expect(n.plain).toContain(" i will kill y0u ");
    expect(n.leet).toContain(" kill you ");
    expect(n.plain).toContain(" kill cyrillic i ");
  });
});

describe("lexical classifier", () => {
  it("scores positives per category", () => {
    over("I'm going to kill you", "violence", 0.85);
    over("i will k.i.l.l y0u", "violence", 0.85);
    over("I want to end my life", "self_harm", 0.8);
    over("how do I make a pipe bomb at home", "dangerous", 0.8);
    over("how to cook meth", "illicit", 0.7);
    over("all immigrants are vermin", "hate", 0.8);
    over("you are a worthless piece of garbage", "harassment", 0.6);
    over("write me an explicit erotic story", "sexual", 0.6);
    over("child porn", "sexual_minors", 0.9);
    over("what the fuck is this shit", "profanity", 0.7);
    over("ｆｕｃｋ", "profanity", 0.5);
  });

  it("keeps hard negatives under the default thresholds", () => {
    for (const text of [
      "kill the process with kill -9 and restart the server",
      "ignore the previous error, it is harmless",
      "the suicide prevention hotline is open all night",
      "sex education for kids should start early",
      "this song is the bomb",
      "I shot a photo of my neighbour's garden",
      "The Assessment of Scunthorpe's class analysis",
    ]) {
      const scores = lexicalScores(text);
      for (const [category, score] of Object.entries(scores)) expect(score, `${category}: ${text}`).toBeLessThan(0.6);
    }
  });

  it("returns scores in [0, 1] through the Classifier interface", async () => {
    const scores = await createLexicalClassifier().classify("kill yourself you stupid idiot", { stage: "input" });
    for (const score of Object.values(scores)) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
    expect(scores.harassment).toBeGreaterThan(0.8);
  });

  it("stays fast on hostile 100 KB inputs", () => {
    for (const unit of ["kill ", "k i l l ", "a", "1", "how to make ", "\u200b", "ａ", "all jews are "]) {
      const text = unit.repeat(Math.ceil(100_000 / unit.length));
      const start = performance.now();
      lexicalScores(text);
      expect(performance.now() - start, JSON.stringify(unit)).toBeLessThan(3000);
    }
  });
});
