/**
 * The worker inside workerd (Cloudflare Workers' runtime) through Miniflare: the bundle `wrangler deploy --dry-run`
 * builds from wrangler.jsonc (wasm imported as modules), run as several workers with different bindings — Workers AI
 * (a fake binding that streams Workers AI's SSE format), an upstream (an in-process gemma-edge behind the worker's
 * outbound fetch), a tiny Gemma in-isolate (its GGUF in an R2 bucket), and a worker with a missing secret.
 * Workspace packages are bundled from their sources; only the kernels' wasm comes from kernels-wasm's `dist/`, which
 * turbo's test task builds first.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { loadModel, tinyGemmaGguf } from "@gemma-edge/gemma";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app.js";
import { gemmaBackend } from "../../backends/gemma.js";
import { sha256Hex } from "../../middleware/auth/index.js";
import { scriptedBackend } from "../../test/scripted-backend.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const AI_MODEL = "@cf/google/gemma-7b-it-lora";
const VIOLENT = "here is the plan: I will kill you and then murder your whole family tonight";
const STRICT = {
  id: "strict",
  input: { entities: { US_SSN: "block" } },
  output: { categories: { violence: { threshold: 0.5, action: "block" } } },
};

// Miniflare's binding types assume @cloudflare/workers-types; these are the slices the tests use.
type Kv = { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<void> };
type Bucket = { put(key: string, value: Uint8Array): Promise<unknown> };
type Fetcher = { fetch(url: string, init?: RequestInit): Promise<Response> };
const kv = async () => (await mf.getKVNamespace("POLICIES", "ai")) as unknown as Kv;
const fetcherOf = async (name: string) => (await mf.getWorker(name)) as unknown as Fetcher;

let out: string;
let mf: Miniflare;
const tiny = tinyGemmaGguf({ version: 3 });

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "gemma-edge-worker-"));
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  await promisify(execFile)(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], {
    cwd: root,
    // Bundle the workspace packages from their TypeScript sources, as vitest resolves them (never a stale dist/).
    env: {
      ...process.env,
      WRANGLER_BUILD_CONDITIONS: "@gemma-edge/source,workerd,worker,browser",
      WRANGLER_SEND_METRICS: "false",
      CI: "1",
    },
  });
  const keys = JSON.stringify([
    { id: "app", policyId: "default", sha256: await sha256Hex("sk-app") },
    { id: "strict", policyId: "strict", sha256: await sha256Hex("sk-strict") },
  ]);
  const upstream = createApp({
    backend: scriptedBackend({ model: "gemma-upstream", deltas: ["from", " the", " upstream"] }),
    keys: [{ id: "edge", policyId: "default", sha256: await sha256Hex("sk-upstream") }],
    logger: () => {},
  });
  const worker = {
    modules: true,
    scriptPath: join(out, "entry.js"),
    modulesRoot: out,
    modulesRules: [{ type: "CompiledWasm" as const, include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
  };
  mf = new Miniflare({
    workers: [
      {
        ...worker,
        name: "ai",
        bindings: { API_KEYS: keys, ADMIN_KEY_SHA256: await sha256Hex("sk-admin"), BACKEND: "workers-ai" },
        kvNamespaces: ["POLICIES"],
        wrappedBindings: { AI: { scriptName: "fake-ai", bindings: { DELAY_MS: 10 } } },
      },
      {
        ...worker,
        name: "upstream",
        bindings: { API_KEYS: keys, UPSTREAM_URL: "http://upstream.test/v1", UPSTREAM_API_KEY: "sk-upstream" },
        outboundService: (request: Request) => upstream.fetch(request),
      },
      {
        ...worker,
        name: "local",
        bindings: { API_KEYS: keys, BACKEND: "local", LOCAL_MODEL_KEY: "tiny3.gguf", LOCAL_MAX_CONTEXT: "64" },
        r2Buckets: ["MODELS"],
      },
      {
        ...worker,
        name: "limited",
        bindings: { API_KEYS: keys, BACKEND: "workers-ai", RATE_LIMIT_PERIOD: "10" },
        wrappedBindings: { AI: { scriptName: "fake-ai", bindings: { DELAY_MS: 1 } } },
        ratelimits: { RATE_LIMITER: { simple: { limit: 3, period: 10 } } },
      },
      { ...worker, name: "broken", bindings: { BACKEND: "upstream" } },
      { name: "fake-ai", modules: true, scriptPath: join(root, "test", "fake-workers-ai.js") },
    ],
  });
  await mf.ready;
  await (await kv()).put("policy:strict", JSON.stringify(STRICT));
  await ((await mf.getR2Bucket("MODELS", "local")) as unknown as Bucket).put("tiny3.gguf", tiny.bytes);
}, 120_000);
afterAll(async () => {
  await mf?.dispose();
  if (out) await rm(out, { recursive: true, force: true });
});

type Init = { method?: string; key?: string; body?: unknown; headers?: Record<string, string> };
async function call(worker: string, path: string, { method, key = "sk-app", body, headers = {} }: Init = {}) {
  const fetcher = await fetcherOf(worker);
  return fetcher.fetch(`http://worker.test${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

/** Reads an SSE response, noting when each chunk arrived. */
async function readStream(res: { body: ReadableStream<Uint8Array> | null }) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const start = performance.now();
  const arrivals: Array<{ at: number; text: string }> = [];
  for (let r = await reader.read(); !r.done; r = await reader.read())
    arrivals.push({ at: performance.now() - start, text: decoder.decode(r.value, { stream: true }) });
  const text = arrivals.map((a) => a.text).join("");
  const events = text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice(6));
  const chunks = events.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e));
  return { arrivals, events, chunks, content: chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("") };
}

describe("the bundle", () => {
  it("wrangler builds it without nodejs_compat, well under 10 MB gzip, with the kernels as wasm modules", async () => {
    const js = await stat(join(out, "entry.js"));
    expect(js.size).toBeLessThan(10 << 20);
    const source = await readFile(join(out, "entry.js"), "utf8");
    expect(source).toMatch(/from "\.\/[0-9a-f]+-kernels-simd\.wasm"/);
    expect(source).not.toMatch(/from "node:/);
  });
});

describe("Workers AI backend inside workerd", () => {
  it("lists the configured models", async () => {
    const res = await call("ai", "/v1/models");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ id: string; gemma_edge: { backend: string } }> };
    expect(body.data.map((m) => [m.id, m.gemma_edge.backend])).toEqual([[AI_MODEL, "workers-ai"]]);
  });

  it("streams a chat completion as SSE: chunks arrive while the model is still generating", async () => {
    const words = Array.from({ length: 150 }, (_, i) => `word${i}`);
    const res = await call("ai", "/v1/chat/completions", {
      headers: { "accept-encoding": "gzip, deflate, br" },
      body: { model: AI_MODEL, stream: true, messages: [{ role: "user", content: words.join(" ") }] },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { arrivals, events, chunks, content } = await readStream(res);
    expect(content).toBe(words.join(" "));
    expect(events.at(-1)).toBe("[DONE]");
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
    // 150 words at 10 ms take 1.5 s; the output guard holds back up to 256 characters (an entity could still be
    // growing), so text starts after about 40 words — and must then reach the client well before the end, in pieces.
    const firstContent = arrivals.find((a) => a.text.includes("word0"));
    const total = arrivals.at(-1)?.at ?? 0;
    expect(firstContent?.at).toBeLessThan(total - 300);
    expect(arrivals.filter((a) => a.text.includes('"content"')).length).toBeGreaterThan(2);
  });

  it("passes sampling options to ai.run and answers non-streamed completions", async () => {
    const res = await call("ai", "/v1/completions", {
      body: { model: AI_MODEL, prompt: "inputs?", max_tokens: 9, temperature: 0.5, top_p: 0.9, seed: 3 },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ text: string }>; usage: { prompt_tokens: number } };
    expect(JSON.parse(body.choices[0]?.text ?? "")).toEqual({
      prompt: "inputs?",
      raw: true,
      stream: true,
      max_tokens: 9,
      temperature: 0.5,
      top_p: 0.9,
      seed: 3,
    });
    expect(body.usage.prompt_tokens).toBe(7);
  });

  it("blocks an input per the key's policy read from KV: 400 content_filter with findings", async () => {
    const res = await call("ai", "/v1/chat/completions", {
      key: "sk-strict",
      body: { model: AI_MODEL, messages: [{ role: "user", content: "my ssn is 123-45-6789" }] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; gemma_edge: { decision: string; findings: Array<{ entity?: string }> } };
    };
    expect(body.error.code).toBe("content_filter");
    expect(body.error.gemma_edge.decision).toBe("block");
    expect(body.error.gemma_edge.findings.map((f) => f.entity)).toContain("US_SSN");
    // The default policy (no KV entry: the built-in default) only redacts an SSN.
    const ok = await call("ai", "/v1/chat/completions", {
      body: { model: AI_MODEL, messages: [{ role: "user", content: "my ssn is 123-45-6789" }] },
    });
    expect(ok.status).toBe(200);
  });

  it("stops a streamed output that turns violent: finish_reason content_filter with findings", async () => {
    const res = await call("ai", "/v1/chat/completions", {
      key: "sk-strict",
      body: { model: AI_MODEL, stream: true, messages: [{ role: "user", content: VIOLENT }] },
    });
    expect(res.status).toBe(200);
    const { chunks, content } = await readStream(res);
    const last = chunks.at(-1);
    expect(last.choices[0].finish_reason).toBe("content_filter");
    expect(last.gemma_edge.findings).toContainEqual(
      expect.objectContaining({ category: "violence", stage: "output_stream" }),
    );
    expect(content).not.toContain("murder");
  });

  it("writes policies to KV through the admin routes", async () => {
    const policy = { id: "calm", input: { entities: { EMAIL: "block" } } };
    expect((await call("ai", "/v1/policies/calm", { method: "PUT", key: "sk-admin", body: policy })).status).toBe(200);
    const stored = await (await kv()).get("policy:calm");
    expect(JSON.parse(stored ?? "{}")).toMatchObject({ id: "calm" });
    expect((await call("ai", "/v1/policies/strict", { key: "sk-admin" })).status).toBe(200);
    expect((await call("ai", "/v1/policies/strict", { key: "sk-app" })).status).toBe(403);
  });

  it("rejects missing and unknown keys with 401 JSON errors", async () => {
    const fetcher = await fetcherOf("ai");
    const none = await fetcher.fetch("http://worker.test/v1/models");
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("missing_api_key");
    const wrong = await call("ai", "/v1/models", { key: "sk-wrong" });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
  });

  it("maps Workers AI errors: out of capacity → 429 with Retry-After, unknown model → 404", async () => {
    const busy = await call("ai", "/v1/chat/completions", {
      body: { model: AI_MODEL, messages: [{ role: "user", content: "capacity" }] },
    });
    expect(busy.status).toBe(429);
    expect(busy.headers.get("retry-after")).toBe("5");
    const other = await call("ai", "/v1/chat/completions", {
      body: { model: "@cf/other", messages: [{ role: "user", content: "hi" }] },
    });
    expect(other.status).toBe(404);
  });
});

describe("other backends inside workerd", () => {
  it("forwards to an OpenAI-compatible upstream with its API key", async () => {
    const res = await call("upstream", "/v1/chat/completions", {
      body: { model: "gemma-upstream", stream: true, messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.status).toBe(200);
    expect((await readStream(res)).content).toBe("from the upstream");
  });

  it("runs a tiny Gemma in the isolate on the wasm kernels, greedy tokens equal to Node's", async () => {
    const models = (await (await call("local", "/v1/models")).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(["tiny3.gguf"]);
    const request = { model: "tiny3.gguf", prompt: "t5 t6 t7", max_tokens: 6, temperature: 0 };
    const res = await call("local", "/v1/completions", { body: request });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ text: string; finish_reason: string }> };
    expect(body.choices[0]?.finish_reason).toBe("length");

    const model = await loadModel(tiny.bytes, { maxContext: 64 });
    const app = createApp({
      backend: gemmaBackend(model, { modelId: "tiny3.gguf" }),
      keys: [{ id: "k", policyId: "default", sha256: await sha256Hex("sk") }],
      logger: () => {},
    });
    const node = await app.request("/v1/completions", {
      method: "POST",
      headers: { authorization: "Bearer sk", "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    expect(body.choices[0]?.text).toBe(((await node.json()) as typeof body).choices[0]?.text);
    model.dispose();

    const streamed = await call("local", "/v1/completions", { body: { ...request, stream: true } });
    const { events } = await readStream(streamed);
    expect(events.at(-1)).toBe("[DONE]");
  }, 60_000);

  it("a worker without its API_KEYS secret answers 500 naming the binding, not a stack", async () => {
    const res = await call("broken", "/v1/models");
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "worker_misconfigured" });
    expect(body.error.message).toContain("API_KEYS");
  });
});

describe("rate limits shared across isolates (the Workers Rate Limiting binding)", () => {
  it("counts every request of a key in the binding and answers 429 with Retry-After past its limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call("limited", "/v1/models")).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call("limited", "/v1/models");
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
    // another key has its own counter
    expect((await call("limited", "/v1/models", { key: "sk-strict" })).status).toBe(200);
  });
});
