/**
 * The provider with the real `ai` package against a real edge server on loopback (scripted backend, the default policy
 * and a strict one that blocks an SSN on input and violence on output).
 */
import { APICallError, NoSuchModelError, UnsupportedFunctionalityError } from "@ai-sdk/provider";
import { createApp, memoryPolicyStore, sha256Hex } from "@gemma-edge/edge";
import { type RunningServer, serveNode } from "@gemma-edge/edge/node";
import { type ScriptedBackend, scriptedBackend } from "@gemma-edge/edge/test";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ContentFilterError } from "../errors.js";
import { createGemmaEdge, gemmaEdge, moderationOf } from "./index.js";

const DELTAS = ["Hello", ", ", "jane@example.com", " — I will kill you and murder everyone ", "tonight."];

let backend: ScriptedBackend;
let slow: ScriptedBackend;
let server: RunningServer;
let slowServer: RunningServer;
/** What the edge received: the JSON body and the headers of every request. */
const sent: Array<{ body: Record<string, unknown>; headers: Headers }> = [];

async function serve(b: ScriptedBackend): Promise<RunningServer> {
  const policies = memoryPolicyStore([
    {
      id: "strict",
      input: { entities: { US_SSN: "block" } },
      output: { entities: { EMAIL: "redact" }, categories: { violence: { threshold: 0.5, action: "block" } } },
    },
  ]);
  const keys = [
    { id: "app", policyId: "default", sha256: await sha256Hex("sk-app") },
    { id: "strict", policyId: "strict", sha256: await sha256Hex("sk-strict") },
  ];
  return serveNode(createApp({ backend: b, keys, policies, logger: () => {} }), { port: 0 });
}

beforeAll(async () => {
  backend = scriptedBackend({ model: "gemma-test", deltas: DELTAS });
  slow = scriptedBackend({ model: "gemma-test", deltas: Array.from({ length: 200 }, (_, i) => `w${i} `), delayMs: 10 });
  [server, slowServer] = await Promise.all([serve(backend), serve(slow)]);
});
afterAll(async () => {
  await Promise.all([server.close(), slowServer.close()]);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const provider = (apiKey = "sk-app", url = server.url) =>
  createGemmaEdge({
    baseURL: `${url}/v1`,
    apiKey,
    fetch: async (input, init) => {
      sent.push({ body: JSON.parse(String(init?.body ?? "{}")), headers: new Headers(init?.headers) });
      return fetch(input, init);
    },
  });

describe("generateText", () => {
  it("returns the text, usage, finish reason and response metadata", async () => {
    const result = await generateText({ model: provider()("gemma-test"), prompt: "hi", maxOutputTokens: 2 });
    expect(result.text).toBe("Hello, ");
    expect(result.finishReason).toBe("length");
    expect(result.rawFinishReason).toBe("length");
    expect(result.usage).toMatchObject({ inputTokens: 5, outputTokens: 2, totalTokens: 7 });
    expect(result.warnings).toEqual([]);
    expect(result.providerMetadata).toBeUndefined();
    expect(result.response.id).toMatch(/^chatcmpl-/);
    expect(result.response.modelId).toBe("gemma-test");
    expect(result.response.timestamp).toBeInstanceOf(Date);
    expect(result.response.headers?.["x-request-id"]).toMatch(/./);
  });

  it("an answer stopped by the output guard finishes with content-filter and the findings", async () => {
    const result = await generateText({ model: provider("sk-strict")("gemma-test"), prompt: "hi" });
    expect(result.finishReason).toBe("content-filter");
    expect(result.rawFinishReason).toBe("content_filter");
    expect(result.text).not.toContain("murder");
    const report = moderationOf(result.providerMetadata);
    expect(report).toMatchObject({ policy_id: "strict", decision: "block" });
    expect(report?.findings.map((f) => (f.kind === "category" ? f.category : f.entity))).toContain("violence");
    expect(result.providerMetadata?.gemmaEdge).toEqual(report);
  });

  it("a refused input is a non-retryable APICallError carrying the findings, and never reaches the model", async () => {
    const before = backend.requests.length;
    const error = await generateText({ model: provider("sk-strict")("gemma-test"), prompt: "my ssn is 123-45-6789" })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    const e = error as APICallError;
    expect(e).toMatchObject({ statusCode: 400, isRetryable: false, url: `${server.url}/v1/chat/completions` });
    expect(e.cause).toBeInstanceOf(ContentFilterError);
    expect(moderationOf(e)?.findings[0]).toMatchObject({ kind: "entity", entity: "US_SSN", stage: "input" });
    expect(JSON.parse(e.responseBody ?? "{}")).toMatchObject({ error: { code: "content_filter" } });
    expect(e.requestBodyValues).toMatchObject({ model: "gemma-test" });
    expect(backend.requests.length).toBe(before);
  });

  it("a server that cannot be reached is a retryable APICallError", async () => {
    const gone = await serve(scriptedBackend());
    await gone.close();
    const error = await generateText({ model: provider("sk-app", gone.url)("gemma-test"), prompt: "hi", maxRetries: 0 })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ isRetryable: true });
  });
});

describe("streamText", () => {
  it("streams text pieces that concatenate to the whole answer, then usage and finish reason", async () => {
    const whole = await generateText({ model: provider()("gemma-test"), prompt: "hi" });
    const result = streamText({ model: provider()("gemma-test"), prompt: "hi" });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join("")).toBe(whole.text);
    expect(pieces.join("")).toBe(DELTAS.join(""));
    expect(await result.finishReason).toBe("stop");
    expect(await result.usage).toMatchObject({ inputTokens: 5, outputTokens: 5, totalTokens: 10 });
    expect((await result.response).modelId).toBe("gemma-test");
    expect(sent.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it("a stream stopped by the output guard finishes with content-filter and the findings", async () => {
    const result = streamText({ model: provider("sk-strict")("gemma-test"), prompt: "hi" });
    let text = "";
    for await (const piece of result.textStream) text += piece;
    expect(text).not.toContain("murder");
    expect(text).not.toContain("jane@example.com");
    expect(await result.finishReason).toBe("content-filter");
    const report = moderationOf(await result.providerMetadata);
    expect(report?.decision).toBe("block");
    expect(report?.findings.map((f) => (f.kind === "category" ? f.category : f.entity))).toEqual(
      expect.arrayContaining(["EMAIL", "violence"]),
    );
  });

  it("a refused input arrives as an error part holding the APICallError", async () => {
    const errors: unknown[] = [];
    const result = streamText({
      model: provider("sk-strict")("gemma-test"),
      prompt: "my ssn is 123-45-6789",
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) parts.push(part.type);
    expect(parts).toContain("error");
    expect(errors).toHaveLength(1);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect(moderationOf(errors[0])?.findings[0]).toMatchObject({ entity: "US_SSN" });
  });

  it("abortSignal stops the stream and the generation on the server", async () => {
    const controller = new AbortController();
    const result = streamText({
      model: provider("sk-app", slowServer.url)("gemma-test"),
      prompt: "hi",
      abortSignal: controller.signal,
    });
    const parts: string[] = [];
    for await (const part of result.fullStream) {
      parts.push(part.type);
      if (part.type === "text-delta") controller.abort();
    }
    expect(parts.filter((t) => t === "text-delta")).toHaveLength(1);
    expect(parts).toContain("abort");
    expect(parts).not.toContain("finish");
    await vi.waitFor(() => expect(slow.aborted).toBe(1));
    expect(slow.delivered).toBeLessThan(200);
  });

  it("cancelling the model's stream cancels the request", async () => {
    const { stream } = await provider(
      "sk-app",
      slowServer.url,
    )("gemma-test").doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    });
    const reader = stream.getReader();
    const seen: string[] = [];
    while (!seen.includes("text-delta")) seen.push(((await reader.read()).value as { type: string }).type);
    expect(seen).toEqual(["stream-start", "response-metadata", "text-start", "text-delta"]);
    await reader.cancel();
    await vi.waitFor(() => expect(slow.aborted).toBe(2));
  });

  it("an error event after the first chunk is an error part, then finish with reason error", async () => {
    const chunk = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m" };
    const events = [
      { ...chunk, choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] },
      { error: { message: "The generation failed.", type: "server_error", code: "backend_error", param: null } },
    ];
    const body = `${events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n`;
    const model = createGemmaEdge({
      baseURL: "http://edge.test/v1",
      fetch: async () => new Response(body, { headers: { "content-type": "text/event-stream" } }),
    })("m");
    const { stream } = await model.doStream({
      prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      includeRawChunks: true,
    });
    const parts: Array<{ type: string }> = [];
    for await (const part of stream as unknown as AsyncIterable<{ type: string }>) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual([
      "stream-start",
      "raw",
      "response-metadata",
      "text-start",
      "text-delta",
      "error",
      "text-end",
      "finish",
    ]);
    expect(parts.at(-1)).toMatchObject({ finishReason: { unified: "error", raw: undefined } });
    expect(parts[5]).toMatchObject({ error: { message: "The generation failed." } });
  });
});

describe("call options and prompt", () => {
  it("map to the chat request the edge receives", async () => {
    const model = provider()("gemma-test", { user: "from-settings", minP: 0.01 });
    const result = await generateText({
      model,
      system: "Be brief.",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello!" },
        {
          role: "user",
          content: [
            { type: "text", text: "and " },
            { type: "text", text: "again" },
          ],
        },
      ],
      maxOutputTokens: 10,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      stopSequences: ["jane"],
      headers: { "x-trace": "t-1" },
      providerOptions: { gemmaEdge: { user: "u-1", repetitionPenalty: 1.1 } },
    });
    expect(result.text).toBe("Hello, ");
    expect(result.finishReason).toBe("stop");
    expect(sent.at(-1)?.body).toEqual({
      model: "gemma-test",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello!" },
        {
          role: "user",
          content: [
            { type: "text", text: "and " },
            { type: "text", text: "again" },
          ],
        },
      ],
      max_tokens: 10,
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      seed: 7,
      stop: ["jane"],
      min_p: 0.01,
      repetition_penalty: 1.1,
      user: "u-1",
      stream: false,
    });
    expect(sent.at(-1)?.headers.get("x-trace")).toBe("t-1");
    expect(sent.at(-1)?.headers.get("authorization")).toBe("Bearer sk-app");
    expect(backend.requests.at(-1)).toMatchObject({
      maxTokens: 10,
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      minP: 0.01,
      repetitionPenalty: 1.1,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      stop: ["jane"],
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "and again" },
      ],
    });
  });

  it("warns about tools and a JSON response format, and leaves them out of the request", async () => {
    const result = await generateText({
      model: provider()("gemma-test"),
      prompt: "hi",
      maxOutputTokens: 1,
      tools: { weather: tool({ description: "Weather", inputSchema: jsonSchema({ type: "object", properties: {} }) }) },
    });
    expect(result.text).toBe("Hello");
    expect(result.warnings).toEqual([expect.objectContaining({ type: "unsupported", feature: "tools" })]);
    expect(sent.at(-1)?.body).not.toHaveProperty("tools");
    const direct = await provider()("gemma-test").doGenerate({
      prompt: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      toolChoice: { type: "required" },
      responseFormat: { type: "json" },
      maxOutputTokens: 1,
    });
    expect(direct.warnings).toEqual([
      expect.objectContaining({ type: "unsupported", feature: "toolChoice" }),
      expect.objectContaining({ type: "unsupported", feature: "responseFormat" }),
    ]);
    expect(sent.at(-1)?.body).not.toHaveProperty("tool_choice");
    expect(sent.at(-1)?.body).not.toHaveProperty("response_format");
  });

  it("refuses a file part in a user message before sending anything", async () => {
    const before = sent.length;
    const error = await generateText({
      model: provider()("gemma-test"),
      messages: [
        { role: "user", content: [{ type: "image", image: new Uint8Array([1, 2, 3]), mediaType: "image/png" }] },
      ],
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
    expect(sent.length).toBe(before);
  });
});

describe("the provider", () => {
  it("is callable, has languageModel and chat, and serves no other model types", () => {
    const p = provider();
    for (const model of [p("m"), p.languageModel("m"), p.chat("m")]) {
      expect(model).toMatchObject({ specificationVersion: "v3", provider: "gemma-edge.chat", modelId: "m" });
    }
    expect(p.specificationVersion).toBe("v3");
    expect(() => p.embeddingModel("m")).toThrow(NoSuchModelError);
    expect(() => p.imageModel("m")).toThrow(NoSuchModelError);
  });

  it("the default instance reads GEMMA_EDGE_BASE_URL and GEMMA_EDGE_API_KEY at call time", async () => {
    vi.stubEnv("GEMMA_EDGE_BASE_URL", `${server.url}/v1/`);
    vi.stubEnv("GEMMA_EDGE_API_KEY", "sk-app");
    const result = await generateText({ model: gemmaEdge("gemma-test"), prompt: "hi", maxOutputTokens: 1 });
    expect(result.text).toBe("Hello");
  });
});
