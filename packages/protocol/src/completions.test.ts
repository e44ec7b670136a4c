import { describe, expect, it } from "vitest";
import { capturingClient } from "../test/openai-capture.js";
import { Completion, CompletionChunk, CompletionRequest } from "./completions.js";
import { invalidRequestBody } from "./errors.js";

const envelope = { id: "cmpl-1", created: 1_764_000_000, model: "gemma-2-2b" } as const;

describe("CompletionRequest", () => {
  it("accepts the body the openai client sends, and the client reads our response", async () => {
    const answer = Completion.parse({
      ...envelope,
      object: "text_completion",
      choices: [{ index: 0, text: " world", logprobs: null, finish_reason: "length" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    const { client, requests } = capturingClient({ json: answer });
    const result = await client.completions.create({
      model: "gemma-2-2b",
      prompt: "Hello",
      max_tokens: 1,
      temperature: 0,
      echo: false,
      logprobs: 2,
      stop: "\n",
      suffix: "!",
      best_of: 1,
      seed: 7,
    });
    expect(result.choices[0]?.text).toBe(" world");
    const parsed = CompletionRequest.safeParse(requests[0]?.body);
    expect(parsed.error).toBeUndefined();
    expect(parsed.data).toEqual(requests[0]?.body);
  });

  it("accepts every prompt form OpenAI documents", () => {
    for (const prompt of ["a", ["a", "b"], [1, 2, 3], [[1], [2, 3]]]) {
      expect(CompletionRequest.safeParse({ model: "g", prompt }).error).toBeUndefined();
    }
  });

  it.each([
    ["no prompt", { model: "g" }, "prompt"],
    ["empty prompt list", { model: "g", prompt: [] }, "prompt"],
    ["negative token id", { model: "g", prompt: [1, -2] }, "prompt[1]"],
    ["logprobs above 5", { model: "g", prompt: "a", logprobs: 6 }, "logprobs"],
  ])("rejects %s at %s", (_name, body, param) => {
    const result = CompletionRequest.safeParse(body);
    expect(invalidRequestBody(result.error ?? expect.fail("should fail")).error.param).toBe(param);
  });

  it("streams chunks the openai client reassembles", async () => {
    const piece = (text: string, finish: "stop" | null) =>
      CompletionChunk.parse({
        ...envelope,
        object: "text_completion",
        choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
      });
    const { client } = capturingClient({ events: [piece("Hel", null), piece("lo", null), piece("", "stop")] });
    const stream = await client.completions.create({ model: "gemma-2-2b", prompt: "x", stream: true });
    let text = "";
    for await (const part of stream) text += part.choices[0]?.text ?? "";
    expect(text).toBe("Hello");
  });
});
