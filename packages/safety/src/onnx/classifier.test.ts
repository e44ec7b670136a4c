import type { ChatMessage } from "@gemma-edge/protocol";
import { describe, expect, it } from "vitest";
import type { Category } from "../classifiers/taxonomy.js";
import { guardInput } from "../pipeline/guard-input.js";
import { parsePolicy } from "../policy/schema.js";
import { activate, createOnnxClassifier, type OnnxClassifierOptions } from "./classifier.js";
import { OnnxClassifierError, OnnxConfigError, OnnxModelError } from "./errors.js";
import {
  buildTinyClassifier,
  TINY_BERT_TOKENIZER,
  TINY_ROBERTA_TOKENIZER,
  TINY_ROBERTA_VOCAB,
  TINY_TOXIC_CONFIG,
  TOXIC_LABELS,
  tinyToxicClassifier,
} from "./testing.js";
import { createTokenizer } from "./tokenizer/index.js";

/** toxic-bert's labels as a deployment would map them. */
const TOXIC_MAP = {
  toxic: "harassment",
  severe_toxic: "harassment",
  obscene: "profanity",
  threat: "violence",
  insult: "harassment",
  identity_hate: "hate",
} as const;

const tiny = tinyToxicClassifier();
const base: OnnxClassifierOptions = {
  model: tiny.model,
  tokenizer: TINY_BERT_TOKENIZER,
  config: TINY_TOXIC_CONFIG,
  labels: TOXIC_MAP,
};
const firstStarted = performance.now();
const toxic = await createOnnxClassifier(base);
/** The first session of the process: ORT compiles its 13.6 MiB wasm, then loads the model. */
const firstSession = performance.now() - firstStarted;
const input = { stage: "input" } as const;

/** What the classifier must report for `text`: the JavaScript graph's logits → sigmoid → max per category. */
function expected(text: string): Partial<Record<Category, number>> {
  const { ids, typeIds } = createTokenizer(TINY_BERT_TOKENIZER).encode(text, { maxTokens: 512 });
  const probabilities = activate(tiny.logits(ids, typeIds), "sigmoid");
  const out: Partial<Record<Category, number>> = {};
  TOXIC_LABELS.forEach((label, i) => {
    const category = TOXIC_MAP[label];
    out[category] = Math.max(out[category] ?? 0, probabilities[i] ?? 0);
  });
  return out;
}

function closeTo(actual: Partial<Record<Category, number>>, wanted: Partial<Record<Category, number>>) {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(wanted).sort());
  for (const [category, p] of Object.entries(wanted)) expect(actual[category as Category], category).toBeCloseTo(p, 5);
}

describe("the ONNX classifier on a tiny BERT-style model (Node)", () => {
  it("scores the words that drive a label high on its categories and neutral text low", async () => {
    const threat = await toxic.classify("I will kill you", input);
    expect(threat.violence).toBeGreaterThan(0.9);
    expect(threat.harassment).toBeGreaterThan(0.9);
    expect(threat.hate).toBeLessThan(0.1);
    expect((await toxic.classify("I HATE them all", input)).hate).toBeGreaterThan(0.9);
    expect((await toxic.classify("you idiot", input)).harassment).toBeGreaterThan(0.9);
    expect((await toxic.classify("damn", input)).profanity).toBeGreaterThan(0.9);
    const calm = await toxic.classify("What a nice day, the cats play in the park.", input);
    for (const p of Object.values(calm)) expect(p).toBeLessThan(0.1);
    expect(toxic.name).toBe("onnx");
  });

  it("equals the graph computed in JavaScript: tokenizer ids → ORT → sigmoid → categories", async () => {
    for (const text of [
      "I will kill you",
      "Unbelievable café 你好!",
      "the idiot hates [SEP] dogs",
      "ΣΣ 😀 \u0000",
      "a",
    ]) {
      closeTo(await toxic.classify(text, input), expected(text));
    }
  });

  it("answers overlapping calls as if they were one after another", async () => {
    const texts = ["I will kill you", "nice day", "you stupid idiot", "damn it", "hello world"];
    const together = await Promise.all(texts.map((t) => toxic.classify(t, input)));
    for (const [i, text] of texts.entries()) closeTo(together[i] ?? {}, expected(text));
  });

  it("never throws on hostile strings and scores nothing for blank text", async () => {
    for (const text of [
      "\ud800",
      "\udc00kill\ud800",
      "a".repeat(100_000),
      "kill ".repeat(20_000),
      "\u0000".repeat(1000),
    ]) {
      const scores = await toxic.classify(text, input);
      for (const p of Object.values(scores)) expect(p).toBeGreaterThanOrEqual(0);
    }
    expect(await toxic.classify("  \n", input)).toEqual({});
  });

  it("scores only the first maxTokens unless more windows are allowed", async () => {
    const text = `${"the ".repeat(20)}kill`;
    const short = await createOnnxClassifier({ ...base, maxTokens: 8 });
    expect((await short.classify(text, input)).violence).toBeLessThan(0.1);
    const windowed = await createOnnxClassifier({ ...base, maxTokens: 8, maxWindows: 4 });
    expect((await windowed.classify(text, input)).violence).toBeGreaterThan(0.9);
  });

  it("takes an ArrayBuffer, a name, and an activation override", async () => {
    const buffer = new ArrayBuffer(tiny.model.byteLength);
    new Uint8Array(buffer).set(tiny.model);
    const named = await createOnnxClassifier({ ...base, model: buffer, name: "toxic-bert", activation: "softmax" });
    expect(named.name).toBe("toxic-bert");
    const scores = await named.classify("I will kill you", input);
    const { ids, typeIds } = createTokenizer(TINY_BERT_TOKENIZER).encode("I will kill you");
    const softmax = activate(tiny.logits(ids, typeIds), "softmax");
    expect(scores.violence).toBeCloseTo(softmax[TOXIC_LABELS.indexOf("threat")] ?? -1, 5);
  });
});

describe("a float16 export", () => {
  it("reads float16 logits (raw half bits from ORT) like float32 ones", async () => {
    const half = tinyToxicClassifier({ float16Logits: true });
    const onnx = await createOnnxClassifier({ ...base, model: half.model });
    for (const text of ["I will kill you", "nice day"]) {
      const scores = await onnx.classify(text, input);
      for (const [category, p] of Object.entries(expected(text))) {
        expect(Math.abs((scores[category as Category] ?? -1) - p), category).toBeLessThan(2e-3);
      }
    }
  });
});

describe("a RoBERTa-style single-label model (no token_type_ids, softmax, a null label)", () => {
  const id = (token: string) => TINY_ROBERTA_VOCAB.indexOf(token);
  const model = buildTinyClassifier({
    vocabSize: TINY_ROBERTA_VOCAB.length,
    labels: 2,
    triggers: new Map([
      [id("Ġkill"), new Map([[1, 40]])],
      [id("kill"), new Map([[1, 40]])],
      [id("Ġnice"), new Map([[0, 20]])],
      [id("Ġday"), new Map([[0, 20]])],
    ]),
    tokenTypeIds: false,
    bias: 0,
  });
  const config = { model_type: "roberta", id2label: { 0: "neutral", 1: "toxic" }, max_position_embeddings: 514 };

  it("feeds only the inputs the model has and reports the softmax of the mapped label", async () => {
    const onnx = await createOnnxClassifier({
      model: model.model,
      tokenizer: TINY_ROBERTA_TOKENIZER,
      config,
      labels: { neutral: null, toxic: ["violence", "harassment"] },
    });
    const scores = await onnx.classify("I will kill the idiot", input);
    const { ids } = createTokenizer(TINY_ROBERTA_TOKENIZER).encode("I will kill the idiot");
    const p = activate(model.logits(ids), "softmax")[1] ?? -1;
    expect(Object.keys(scores).sort()).toEqual(["harassment", "violence"]);
    expect(scores.violence).toBeCloseTo(p, 5);
    expect(scores.violence).toBeGreaterThan(0.9);
    expect((await onnx.classify("a nice day", input)).violence).toBeLessThan(0.1);
  });
});

describe("configuration and model errors", () => {
  const rejects = async (
    options: Partial<OnnxClassifierOptions>,
    type: typeof OnnxClassifierError,
    message?: RegExp,
  ) => {
    const promise = createOnnxClassifier({ ...base, ...options });
    await expect(promise).rejects.toBeInstanceOf(type);
    if (message !== undefined) await expect(promise).rejects.toThrow(message);
  };

  it("requires every label mapped, to known names and real categories", async () => {
    const { identity_hate: _, ...missing } = TOXIC_MAP;
    await rejects({ labels: missing }, OnnxConfigError, /identity_hate/);
    await rejects({ labels: { ...TOXIC_MAP, neutral: null } }, OnnxConfigError, /neutral/);
    await rejects({ labels: { ...TOXIC_MAP, obscene: "rude" as Category } }, OnnxConfigError, /rude/);
  });

  it("rejects a config whose id2label does not fit the model's output", async () => {
    const five = Object.fromEntries(TOXIC_LABELS.slice(0, 5).map((label, i) => [String(i), label]));
    const { identity_hate: _, ...labels } = TOXIC_MAP;
    await rejects({ config: { ...TINY_TOXIC_CONFIG, id2label: five }, labels }, OnnxConfigError, /5 labels.*outputs 6/);
    await rejects({ config: {} }, OnnxConfigError, /id2label/);
    await rejects({ config: { id2label: { 0: "toxic", 5: "threat" } } }, OnnxConfigError, /bad entry/);
  });

  it("turns corrupt model bytes into a typed error, and ORT stays usable after it", async () => {
    await rejects({ model: new Uint8Array([1, 2, 3, 4, 5]) }, OnnxModelError, /could not load/);
    await rejects({ model: tiny.model.slice(0, tiny.model.length >> 1) }, OnnxModelError);
    const after = await createOnnxClassifier(base);
    expect((await after.classify("kill", input)).violence).toBeGreaterThan(0.9);
  });

  it("rejects an unsupported tokenizer before loading the model", async () => {
    await rejects({ tokenizer: { model: { type: "Unigram" } } }, OnnxClassifierError, /Unigram/);
  });
});

describe("in the pipeline", () => {
  it("blocks through a policy that selects it by name", async () => {
    const policy = parsePolicy({
      input: {
        classifiers: { onnx: 1 },
        categories: { violence: { threshold: 0.8, action: "block" }, harassment: { threshold: 0.8, action: "flag" } },
      },
    });
    const user = (content: string) => ({ role: "user", content }) as ChatMessage;
    const blocked = await guardInput([user("hello"), user("I will kill you")], policy, { classifiers: [toxic] });
    expect(blocked.decision).toBe("block");
    expect(blocked.findings).toContainEqual(expect.objectContaining({ category: "violence", classifier: "onnx" }));
    const allowed = await guardInput([user("what a nice day")], policy, { classifiers: [toxic] });
    expect(allowed.decision).toBe("allow");
  });
});

describe("latency", () => {
  it("reports session creation and classify times on the tiny model", async () => {
    let started = performance.now();
    const fresh = await createOnnxClassifier(base);
    const created = performance.now() - started;
    const text = "I will kill you, you stupid idiot. What a nice day in the park!";
    await fresh.classify(text, input);
    started = performance.now();
    const runs = 50;
    for (let i = 0; i < runs; i++) await fresh.classify(text, input);
    const each = (performance.now() - started) / runs;
    console.info(
      `Node: first session ${firstSession.toFixed(0)} ms (wasm compile + model), later ${created.toFixed(1)} ms; classify ${each.toFixed(2)} ms`,
    );
    expect(each).toBeLessThan(100);
  });
});
