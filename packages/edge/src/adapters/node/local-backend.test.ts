import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tinyGemmaGguf } from "@gemma-edge/gemma";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app.js";
import { sha256Hex } from "../../middleware/auth/index.js";
import { type RunningServer, serveNode } from "./index.js";
import { type LocalBackend, localBackend } from "./local-backend.js";

// The engine in a worker thread, behind the real server, driven by the official client. The tiny model has a
// synthetic vocabulary: its text is `t123`-style pieces, which is all these tests need.
let backend: LocalBackend;
let server: RunningServer;
let client: OpenAI;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "gemma-edge-local-"));
  const modelPath = join(dir, "tiny.gguf");
  writeFileSync(modelPath, tinyGemmaGguf({ version: 2, format: "q8_0" }).bytes);
  backend = await localBackend({ modelPath, modelId: "tiny", queueLimit: 1, maxContext: 2048 });
  const app = createApp({
    backend,
    keys: [{ id: "k", policyId: "default", sha256: await sha256Hex("sk") }],
    logger: () => {},
  });
  server = await serveNode(app, { port: 0 });
  client = new OpenAI({ apiKey: "sk", baseURL: `${server.url}/v1`, maxRetries: 0 });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe("local backend (engine in a worker thread)", () => {
  it("serves the model and generates deterministically with a seed", async () => {
    expect((await client.models.list()).data.map((m) => m.id)).toEqual(["tiny"]);
    const ask = () =>
      client.completions.create({ model: "tiny", prompt: "t10 t11 t12", max_tokens: 12, temperature: 0.8, seed: 5 });
    const a = await ask();
    const b = await ask();
    expect(a.choices[0]?.text.length).toBeGreaterThan(0);
    expect(a.choices[0]?.text).toBe(b.choices[0]?.text);
    expect(a.usage?.completion_tokens).toBe(12);
  });

  it("the event loop stays free while the engine computes", async () => {
    const generation = client.completions.create({ model: "tiny", prompt: "t10", max_tokens: 120, temperature: 0 });
    const started = performance.now();
    let ticks = 0;
    while (performance.now() - started < 150) {
      await new Promise((r) => setTimeout(r, 5));
      ticks++;
    }
    expect(ticks).toBeGreaterThan(10); // a blocked loop would give ~1
    await generation;
  });

  it("past the queue limit a request gets 429 with Retry-After", async () => {
    const long = { model: "tiny", prompt: "t10", max_tokens: 200, temperature: 0 } as const;
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => client.completions.create(long)));
    const statuses = results.map((r) => (r.status === "fulfilled" ? 200 : (r.reason as { status: number }).status));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses).toContain(429);
  });

  it("a client that disconnects stops its generation and frees the engine", async () => {
    const before = backend.stats();
    const controller = new AbortController();
    const stream = await client.completions.create(
      { model: "tiny", prompt: "t10", max_tokens: 2000, temperature: 0, stream: true },
      { signal: controller.signal },
    );
    let n = 0;
    try {
      for await (const _ of stream) if (++n === 3) controller.abort();
    } catch {
      // the client's abort surfaces as an error here
    }
    const next = await client.completions.create({ model: "tiny", prompt: "t10", max_tokens: 4, temperature: 0 });
    expect(next.choices[0]?.finish_reason).toBe("length");
    // the engine runs one generation at a time, so the aborted one had finished before `next` ran: as an abort (the
    // disconnect reached the engine thread between two tokens), not by running out its 2000 tokens
    const after = backend.stats();
    expect(after.finished.abort - before.finished.abort).toBe(1);
    expect(after.finished.length - before.finished.length).toBe(1); // `next`
    expect(after.completionTokens - before.completionTokens).toBeLessThan(2000);
  }, 30_000); // a loaded CI machine may be slow; what this checks does not depend on time

  it("chat on a model whose vocabulary has no chat tokens is a 400, not a crash", async () => {
    const error = await client.chat.completions
      .create({ model: "tiny", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "invalid_conversation" });
  });

  it("a bad model file fails to start with a clear error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gemma-edge-bad-"));
    writeFileSync(join(dir, "bad.gguf"), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    await expect(localBackend({ modelPath: join(dir, "bad.gguf") })).rejects.toThrow(/BadMagicError/);
  });
});
