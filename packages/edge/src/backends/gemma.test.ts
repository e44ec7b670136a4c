import { loadModel, tinyGemmaGguf } from "@gemma-edge/gemma";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { sha256Hex } from "../middleware/auth/index.js";
import { gemmaBackend } from "./gemma.js";

describe("gemmaBackend (the engine in this thread, as in workerd)", () => {
  it("generates through the app, 404s other models, 400s a conversation the vocabulary cannot template", async () => {
    const model = await loadModel(tinyGemmaGguf({ version: 3 }).bytes, { maxContext: 64 });
    const app = createApp({
      backend: gemmaBackend(model, { modelId: "tiny3" }),
      keys: [{ id: "k", policyId: "default", sha256: await sha256Hex("sk") }],
      logger: () => {},
    });
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: "POST",
        headers: { authorization: "Bearer sk", "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const ok = await post("/v1/completions", { model: "tiny3", prompt: "t5 t6", max_tokens: 5, temperature: 0 });
    const body = (await ok.json()) as {
      choices: Array<{ text: string; finish_reason: string }>;
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]?.finish_reason).toBe("length");
    expect(body.usage.completion_tokens).toBe(5);
    expect(body.choices[0]?.text).toMatch(/t\d+/);
    expect((await post("/v1/completions", { model: "other", prompt: "x" })).status).toBe(404);
    const chat = await post("/v1/chat/completions", { model: "tiny3", messages: [{ role: "user", content: "hi" }] });
    expect(chat.status).toBe(400);
    expect(((await chat.json()) as { error: { code: string } }).error.code).toBe("invalid_conversation");
    model.dispose();
  });
});
