import OpenAI, { APIError, AuthenticationError, BadRequestError, NotFoundError, RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, serveNode } from "./adapters/node/index.js";
import { createApp } from "./app.js";
import { sha256Hex } from "./middleware/auth/index.js";
import type { LogRecord } from "./middleware/logger/index.js";
import { type ScriptedBackend, scriptedBackend } from "./test/scripted-backend.js";

const KEY = "sk-edge-test-0123456789";
let server: RunningServer;
let backend: ScriptedBackend;
let client: OpenAI;
const logs: LogRecord[] = [];

beforeAll(async () => {
  backend = scriptedBackend();
  const app = createApp({
    backend,
    keys: [{ id: "key-1", policyId: "default", sha256: await sha256Hex(KEY) }],
    limits: { maxBodyBytes: 64 * 1024, maxChars: 10_000, maxTokens: 100 },
    logger: (r) => logs.push(r),
  });
  server = await serveNode(app, { port: 0 });
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...init.headers },
  });

describe("the official openai client against the Node server", () => {
  it("chat completion, non-streaming", async () => {
    const answer = await client.chat.completions.create({
      model: "gemma-test",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      temperature: 0.5,
      seed: 3,
    });
    expect(answer.choices[0]?.message.content).toBe("Hello, world!");
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect(answer.usage).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
    const sent = backend.requests.at(-1);
    expect(sent?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
    ]);
    expect(sent).toMatchObject({ temperature: 0.5, seed: 3, maxTokens: 100 });
  });

  it("chat completion, streaming with usage", async () => {
    const stream = await client.chat.completions.create({
      model: "gemma-test",
      messages: [{ role: "user", content: "Hi" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    const reasons: Array<string | null | undefined> = [];
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      reasons.push(chunk.choices[0]?.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Hello, world!");
    expect(reasons.filter(Boolean)).toEqual(["stop"]);
    expect(usage?.total_tokens).toBe(9);
  });

  it("max_tokens and stop sequences reach the backend and shape the answer", async () => {
    const short = await client.chat.completions.create({
      model: "gemma-test",
      messages: [{ role: "user", content: "x" }],
      max_tokens: 2,
    });
    expect(short.choices[0]).toMatchObject({ message: { content: "Hello," }, finish_reason: "length" });
    const stopped = await client.chat.completions.create({
      model: "gemma-test",
      messages: [{ role: "user", content: "x" }],
      stop: [" wor"],
    });
    expect(stopped.choices[0]?.message.content).toBe("Hello,");
  });

  it("text completions, plain and streamed", async () => {
    const done = await client.completions.create({ model: "gemma-test", prompt: "Say hi", max_tokens: 10 });
    expect(done.choices[0]?.text).toBe("Hello, world!");
    expect(backend.requests.at(-1)?.prompt).toBe("Say hi");
    const stream = await client.completions.create({ model: "gemma-test", prompt: "Say hi", stream: true });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe("Hello, world!");
  });

  it("lists models", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(["gemma-test"]);
  });

  it("maps our errors to the client's error classes", async () => {
    const message = [{ role: "user" as const, content: "x" }];
    await expect(client.chat.completions.create({ model: "nope", messages: message })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(client.chat.completions.create({ model: "gemma-test", messages: [] })).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(
      client.chat.completions.create({ model: "gemma-test", messages: message, max_tokens: 101 }),
    ).rejects.toMatchObject({
      status: 400,
      code: "max_tokens_too_large",
      param: "max_tokens",
    });
    const anonymous = new OpenAI({ apiKey: "sk-wrong", baseURL: `${server.url}/v1`, maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toBeInstanceOf(AuthenticationError);
    const error = await client.chat.completions
      .create({
        model: "gemma-test",
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 400, code: "unsupported_parameter", param: "messages[0].content[0]" });
  });
});

describe("raw HTTP: malformed and hostile input gets typed JSON errors", () => {
  const cases: Array<[string, RequestInit, number, string]> = [
    ["invalid JSON", { method: "POST", body: "{nope" }, 400, "invalid_json"],
    [
      "invalid UTF-8",
      { method: "POST", body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
      400,
      "invalid_encoding",
    ],
    [
      "a zod-invalid body",
      { method: "POST", body: JSON.stringify({ model: "gemma-test", messages: [{ role: "robot" }] }) },
      400,
      "invalid_request",
    ],
    [
      "a body over the limit",
      {
        method: "POST",
        body: JSON.stringify({ model: "x", messages: [{ role: "user", content: "a".repeat(70_000) }] }),
      },
      413,
      "request_too_large",
    ],
    [
      "10,000-deep JSON nesting",
      { method: "POST", body: "[".repeat(10_000) + "]".repeat(10_000) },
      400,
      "invalid_request",
    ],
    [
      "too many characters",
      {
        method: "POST",
        body: JSON.stringify({ model: "gemma-test", messages: [{ role: "user", content: "a".repeat(10_001) }] }),
      },
      400,
      "context_length_exceeded",
    ],
    ["the wrong method", { method: "GET" }, 405, "method_not_allowed"],
  ];
  it.each(cases)("%s", async (_name, init, status, code) => {
    const res = await raw("/v1/chat/completions", init);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("x-request-id")).toMatch(/./);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  });

  it("lists every zod issue with its path", async () => {
    const res = await raw("/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ messages: [{ role: "user" }], temperature: 9 }),
    });
    const body = (await res.json()) as { error: { issues: Array<{ param: string }> } };
    expect(body.error.issues.map((i) => i.param)).toEqual(
      expect.arrayContaining(["model", "messages[0].content", "temperature"]),
    );
  });

  it("unknown routes are 404 JSON, health needs no key, request ids echo back", async () => {
    expect((await raw("/v1/nothing-here")).status).toBe(404);
    const health = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "req-42" } });
    expect(await health.json()).toEqual({ status: "ok" });
    expect(health.headers.get("x-request-id")).toBe("req-42");
    const hostile = await fetch(`${server.url}/healthz`, { headers: { "x-request-id": "<script>" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("the access log", () => {
  it("records ids, status and timing, never the prompt or the answer", async () => {
    logs.length = 0;
    const secret = "my card is 4111 1111 1111 1111 and mail jane.doe@example.com";
    await client.chat.completions.create({ model: "gemma-test", messages: [{ role: "user", content: secret }] });
    await raw("/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ model: "gemma-test", messages: [{ role: "robot", content: secret }] }),
    });
    expect(logs).toHaveLength(3); // the generation-finished record, then each request's access log
    expect(logs[0]).toMatchObject({
      msg: "generation finished",
      key_id: "key-1",
      decision: "modify",
      policy_id: "default",
    });
    expect(logs[0]?.entities).toContain("CREDIT_CARD");
    expect(logs[1]).toMatchObject({
      level: "info",
      key_id: "key-1",
      method: "POST",
      path: "/v1/chat/completions",
      status: 200,
    });
    expect(logs[2]).toMatchObject({ level: "warn", status: 400 });
    const text = JSON.stringify(logs);
    for (const needle of ["4111", "jane.doe", "example.com", "Hello, world", KEY]) expect(text).not.toContain(needle);
  });
});

describe("rate limits", () => {
  it("an empty bucket answers 429 with Retry-After, which the client surfaces", async () => {
    let now = 0;
    const app = createApp({
      backend: scriptedBackend(),
      keys: [{ id: "k", policyId: "default", sha256: await sha256Hex("sk-rl") }],
      rateLimit: { capacity: 2, refillPerSecond: 0.5 },
      now: () => now,
      logger: () => {},
    });
    const call = () => app.request("/v1/models", { headers: { authorization: "Bearer sk-rl" } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const limited = await call();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    now += 2000;
    expect((await call()).status).toBe(200);
    const rl = await serveNode(app, { port: 0 });
    const c = new OpenAI({ apiKey: "sk-rl", baseURL: `${rl.url}/v1`, maxRetries: 0 });
    await expect(c.models.list()).rejects.toBeInstanceOf(RateLimitError);
    await rl.close();
  });

  it("a key's own rateLimit overrides the app's, and each key has its own bucket", async () => {
    const app = createApp({
      backend: scriptedBackend(),
      keys: [
        {
          id: "small",
          policyId: "default",
          sha256: await sha256Hex("sk-small"),
          rateLimit: { capacity: 1, refillPerSecond: 0.1 },
        },
        { id: "big", policyId: "default", sha256: await sha256Hex("sk-big") },
      ],
      rateLimit: { capacity: 3, refillPerSecond: 0.1 },
      now: () => 0,
      logger: () => {},
    });
    const call = (key: string) => app.request("/v1/models", { headers: { authorization: `Bearer ${key}` } });
    expect([(await call("sk-small")).status, (await call("sk-small")).status]).toEqual([200, 429]);
    expect((await call("sk-small")).headers.get("retry-after")).toBe("10");
    const big = [];
    for (let i = 0; i < 4; i++) big.push((await call("sk-big")).status);
    expect(big).toEqual([200, 200, 200, 429]);
  });
});
