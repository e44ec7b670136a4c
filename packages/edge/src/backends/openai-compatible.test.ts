import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serveNode } from "../adapters/node/index.js";
import { createApp } from "../app.js";
import { sha256Hex } from "../middleware/auth/index.js";
import { scriptedBackend } from "../test/scripted-backend.js";
import { openAICompatibleBackend } from "./openai-compatible.js";

// An edge in front of another edge: the upstream runs the scripted engine, the front forwards to it.
let upstream: RunningServer;
let front: RunningServer;
const engine = scriptedBackend({ deltas: ["Up", "stream", " says", " hi"], delayMs: 5 });

beforeAll(async () => {
  upstream = await serveNode(
    createApp({
      backend: engine,
      keys: [{ id: "front", policyId: "default", sha256: await sha256Hex("sk-up") }],
      logger: () => {},
    }),
    { port: 0 },
  );
  const backend = openAICompatibleBackend({ baseURL: `${upstream.url}/v1`, apiKey: "sk-up" });
  front = await serveNode(
    createApp({
      backend,
      keys: [{ id: "app", policyId: "default", sha256: await sha256Hex("sk-front") }],
      logger: () => {},
    }),
    { port: 0 },
  );
});
afterAll(async () => {
  await front.close();
  await upstream.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${front.url}/v1${path}`, {
    method: "POST",
    headers: { authorization: "Bearer sk-front", "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("openai-compatible backend", () => {
  it("lists the upstream's models as its own", async () => {
    const res = await fetch(`${front.url}/v1/models`, { headers: { authorization: "Bearer sk-front" } });
    const body = (await res.json()) as { data: Array<{ id: string; gemma_edge: { backend: string } }> };
    expect(body.data.map((m) => [m.id, m.gemma_edge.backend])).toEqual([["gemma-test", "openai-compatible"]]);
  });

  it("passes a chat stream through with sampling parameters and usage", async () => {
    const res = await post("/chat/completions", {
      model: "gemma-test",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_k: 20,
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const text = await res.text();
    const contents = [...text.matchAll(/"content":"([^"]*)"/g)].map((m) => m[1]).join("");
    expect(contents).toBe("Upstream says hi");
    expect(text).toContain('"finish_reason":"stop"');
    expect(text).toContain('"total_tokens":9');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(engine.requests.at(-1)).toMatchObject({ temperature: 0.3, topK: 20 });
  });

  it("text completions go to the upstream's /v1/completions", async () => {
    const res = await post("/completions", { model: "gemma-test", prompt: "p", max_tokens: 2 });
    const body = (await res.json()) as { choices: Array<{ text: string; finish_reason: string }> };
    expect(body.choices[0]).toEqual({ index: 0, text: "Upstream", logprobs: null, finish_reason: "length" });
  });

  it("an unreachable upstream is a 502 JSON error", async () => {
    const dead = openAICompatibleBackend({ baseURL: "http://127.0.0.1:9/v1" });
    const app = createApp({
      backend: dead,
      keys: [{ id: "a", policyId: "p", sha256: await sha256Hex("k") }],
      logger: () => {},
    });
    const res = await app.request("/v1/models", { headers: { authorization: "Bearer k" } });
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe("server_error");
  });

  it("a client that goes away aborts the generation upstream", async () => {
    const slow = scriptedBackend({ deltas: Array.from({ length: 2000 }, () => "word "), delayMs: 5 });
    const server = await serveNode(
      createApp({
        backend: slow,
        keys: [{ id: "a", policyId: "default", sha256: await sha256Hex("k") }],
        logger: () => {},
      }),
      { port: 0 },
    );
    const controller = new AbortController();
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer k", "content-type": "application/json" },
      body: JSON.stringify({
        model: "gemma-test",
        messages: [{ role: "user", content: "x" }],
        stream: true,
        max_tokens: 500,
      }),
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const atAbort = slow.delivered;
    controller.abort();
    await new Promise((r) => setTimeout(r, 300));
    expect(slow.aborted).toBe(1);
    // the engine stops within a token or two of the client leaving (the output guard reads a little ahead)
    expect(slow.delivered - atAbort).toBeLessThanOrEqual(2);
    expect(slow.delivered).toBeLessThan(2000);
    await server.close();
  });
});
