/**
 * The example as an operator ships it, inside workerd: `wrangler deploy --dry-run` bundles src/index.ts per
 * wrangler.jsonc, `scripts/put-policies.mjs --local` loads policies/*.json into a local POLICIES namespace (as for
 * `wrangler dev`), and Miniflare runs the bundle with wrangler.jsonc's own worker options (compatibility date, vars, the
 * KV namespace), the secrets as bindings, and a fake AI binding (test/fake-workers-ai.js) in place of Workers AI.
 * Workspace packages are bundled from their TypeScript sources; the kernels' wasm comes from kernels-wasm's `dist/`
 * and the script's policy check from safety's `dist/`, which turbo's test task builds first.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { sha256Hex } from "@gemma-edge/edge";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const root = fileURLToPath(new URL("..", import.meta.url));
const EMAIL = "jane.doe@example.com";
const VIOLENT = "here is the plan: I will kill you and then murder your whole family tonight";

const run = promisify(execFile);
const quiet = {
  ...process.env,
  NODE_OPTIONS: "",
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CI: "1",
};

let out: string;
let state: string;
let upload: string;
let mf: Miniflare;
let models: string[];
const logs: string[] = [];

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "gemma-edge-example-worker-"));
  state = await mkdtemp(join(tmpdir(), "gemma-edge-example-state-"));
  const wrangler = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  // Bundle the workspace packages from their TypeScript sources, as vitest resolves them (never a stale dist/).
  const build = { ...quiet, WRANGLER_BUILD_CONDITIONS: "@gemma-edge/source,workerd,worker,browser" };
  ({ stdout: upload } = await run(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", out], {
    cwd: root,
    env: build,
  }));
  await run(process.execPath, ["scripts/put-policies.mjs", "--local", "--persist-to", state], {
    cwd: root,
    env: quiet,
  });

  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.jsonc"));
  // Workers AI is remote even under `wrangler dev`; the fake takes its place.
  const { ai: _remote, ...options } = workerOptions;
  models = String(options.bindings?.WORKERS_AI_MODELS).split(",");
  const keys = [
    { id: "chat-app", policyId: "chat", sha256: await sha256Hex("sk-chat") },
    { id: "support-tool", policyId: "internal", sha256: await sha256Hex("sk-internal") },
  ];
  mf = new Miniflare({
    workers: [
      {
        ...options,
        name: "my-gemma-edge",
        modules: true,
        scriptPath: join(out, "index.js"),
        modulesRoot: out,
        bindings: {
          ...options.bindings,
          API_KEYS: JSON.stringify(keys),
          ADMIN_KEY_SHA256: await sha256Hex("sk-admin"),
        },
        wrappedBindings: {
          AI: { scriptName: "fake-ai", bindings: { MODELS: options.bindings?.WORKERS_AI_MODELS ?? "" } },
        },
      },
      { name: "fake-ai", modules: true, scriptPath: join(root, "test", "fake-workers-ai.js") },
    ],
    // `wrangler kv … --local --persist-to DIR` keeps KV under DIR/v3/kv, as `wrangler dev` does.
    kvPersist: join(state, "v3", "kv"),
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      stdout.on("data", (data: Buffer) => logs.push(...data.toString().split("\n").filter(Boolean)));
      stderr.resume();
    },
  });
  await mf.ready;
}, 180_000);

afterAll(async () => {
  await mf?.dispose();
  for (const dir of [out, state]) if (dir) await rm(dir, { recursive: true, force: true });
});

type Init = { method?: string; key?: string | null; body?: unknown };
async function call(path: string, { method, key = "sk-chat", body }: Init = {}) {
  const worker = (await mf.getWorker("my-gemma-edge")) as unknown as {
    fetch(url: string, init: RequestInit): Promise<Response>;
  };
  return worker.fetch(`https://my-gemma-edge.example.workers.dev${path}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

const chat = (content: string, extra: Record<string, unknown> = {}) => ({
  model: models[0],
  messages: [{ role: "user", content }],
  ...extra,
});

type Finding = { kind: string; entity?: string; category?: string; stage: string };
type Moderation = { policy_id: string; decision: string; findings: Finding[] };
type Completion = {
  choices: Array<{ message: { content: string }; finish_reason: string }>;
  usage: { prompt_tokens: number; completion_tokens: number };
  gemma_edge?: Moderation;
};
type ApiError = { error: { type: string; code: string; message: string; gemma_edge?: Moderation } };

/** The inputs the fake AI binding got, from its "#inputs" answer. */
const inputsSeen = (content: string) =>
  JSON.parse(Buffer.from(content, "base64").toString("utf8")) as { messages: Array<{ content: string }> };

/** The data events of an SSE response, parsed, and the text of their deltas. */
async function readSse(res: Response) {
  const events = (await res.text())
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice(6));
  const chunks = events.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e));
  return { events, chunks, content: chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join("") };
}

describe("the bundle", () => {
  it("builds with wrangler, without nodejs_compat, well under the 10 MB gzip limit, kernels as wasm modules", async () => {
    const gzipKiB = Number(upload.match(/Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/)?.[1]);
    expect(gzipKiB).toBeGreaterThan(0);
    expect(gzipKiB).toBeLessThan(10 * 1024);
    const files = await readdir(out);
    expect(files.filter((f) => f.endsWith(".wasm"))).toHaveLength(2);
    expect((await stat(join(out, "index.js"))).size).toBeLessThan(10 << 20);
    expect(await readFile(join(out, "index.js"), "utf8")).not.toMatch(/from "node:/);
  });
});

describe("the operator's additions", () => {
  it("answers / with the service's landing JSON, and /healthz from the edge app, without keys", async () => {
    const landing = await call("/", { key: null });
    expect(landing.status).toBe(200);
    expect(await landing.json()).toEqual({ service: "my-gemma-edge", api: "/v1", health: "/healthz" });
    const health = await call("/healthz", { key: null });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});

describe("Workers AI through the AI binding", () => {
  it("lists the models wrangler.jsonc configures, in order", async () => {
    const res = await call("/v1/models");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ id: string; gemma_edge: { backend: string } }> };
    expect(body.data.map((m) => m.id)).toEqual(["@cf/google/gemma-3-12b-it", "@cf/google/gemma-7b-it-lora"]);
    expect(body.data.every((m) => m.gemma_edge.backend === "workers-ai")).toBe(true);
  });

  it("answers a chat completion", async () => {
    const res = await call("/v1/chat/completions", { body: chat("Hello from the edge") });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Completion;
    expect(body.choices[0]?.message.content).toBe("Hello from the edge");
    expect(body.choices[0]?.finish_reason).toBe("stop");
    expect(body.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 4 });
  });

  it("streams a chat completion as SSE", async () => {
    const res = await call("/v1/chat/completions", {
      body: chat("one two three four five", { model: models[1], stream: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const { events, chunks, content } = await readSse(res);
    expect(content).toBe("one two three four five");
    expect(chunks.at(-1).choices[0].finish_reason).toBe("stop");
    expect(events.at(-1)).toBe("[DONE]");
  });
});

describe("the policies uploaded to KV", () => {
  it("chat (policies/chat.json): the model gets the prompt with the email redacted", async () => {
    const res = await call("/v1/chat/completions", { body: chat(`Write to ${EMAIL} about the invoice #inputs`) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Completion;
    const prompt = inputsSeen(body.choices[0]?.message.content ?? "").messages.at(-1)?.content;
    expect(prompt).toMatch(/^Write to \S+ about the invoice #inputs$/);
    expect(prompt).not.toContain(EMAIL);
    expect(body.gemma_edge?.policy_id).toBe("chat");
    expect(body.gemma_edge?.findings).toContainEqual(expect.objectContaining({ entity: "EMAIL", stage: "input" }));
  });

  it("chat blocks violence in a prompt: 400 content_filter with the policy's message and findings", async () => {
    const res = await call("/v1/chat/completions", { body: chat(VIOLENT) });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ApiError;
    expect(error).toMatchObject({ type: "content_filter_error", code: "content_filter" });
    expect(error.message).toBe("Sorry, I can't help with that.");
    expect(error.gemma_edge).toMatchObject({ policy_id: "chat", decision: "block" });
    expect(error.gemma_edge?.findings).toContainEqual(expect.objectContaining({ category: "violence" }));
  });

  it("internal (policies/internal.json): the model gets a pseudonym, the caller the real address back", async () => {
    const seen = await call("/v1/chat/completions", {
      key: "sk-internal",
      body: chat(`Summarize the ticket from ${EMAIL} #inputs`),
    });
    const prompt = inputsSeen(((await seen.json()) as Completion).choices[0]?.message.content ?? "").messages.at(-1);
    expect(prompt?.content).toMatch(/^Summarize the ticket from \S+ #inputs$/);
    expect(prompt?.content).not.toContain(EMAIL);
    const echoed = await call("/v1/chat/completions", { key: "sk-internal", body: chat(`Reply to ${EMAIL} today`) });
    const body = (await echoed.json()) as Completion;
    expect(body.choices[0]?.message.content).toBe(`Reply to ${EMAIL} today`);
    expect(body.gemma_edge?.policy_id).toBe("internal");
    // The same prompt under chat: redacted for the model, and so in the answer.
    const redacted = (await (
      await call("/v1/chat/completions", { body: chat(`Reply to ${EMAIL} today`) })
    ).json()) as Completion;
    expect(redacted.choices[0]?.message.content).not.toContain(EMAIL);
  });

  it("the admin key reads the policies from KV", async () => {
    const res = await call("/v1/policies/chat", { key: "sk-admin" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "chat", blockedMessage: "Sorry, I can't help with that." });
    expect((await call("/v1/policies/chat")).status).toBe(403);
  });
});

describe("errors are JSON", () => {
  it("a missing or wrong API key → 401", async () => {
    for (const [key, code] of [
      [null, "missing_api_key"],
      ["sk-wrong", "invalid_api_key"],
    ] as const) {
      const res = await call("/v1/chat/completions", { key, body: chat("hi") });
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as ApiError).error.code).toBe(code);
    }
  });

  it("a malformed body → 400", async () => {
    const broken = await call("/v1/chat/completions", { body: '{"model": "x", "messages": [' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiError).error.type).toBe("invalid_request_error");
    const invalid = await call("/v1/chat/completions", { body: { model: models[0], messages: "hi" } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as ApiError).error).toMatchObject({ type: "invalid_request_error" });
  });
});

describe("the operator's logger", () => {
  it("tags records with the service, skips health checks, and never logs a prompt", async () => {
    await call("/healthz", { key: null });
    await call("/v1/chat/completions", { body: chat(`${VIOLENT}, ${EMAIL}`) });
    const records = () => logs.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);
    const blocked = (r: Record<string, unknown>) =>
      r.key_id === "chat-app" && r.status === 400 && r.decision === "block";
    await expect
      .poll(() => records().filter(blocked))
      .toContainEqual(expect.objectContaining({ policy_id: "chat", categories: ["violence"], entities: ["EMAIL"] }));
    expect(records().every((r) => r.service === "my-gemma-edge")).toBe(true);
    expect(records().some((r) => r.path === "/healthz")).toBe(false);
    expect(logs.join("\n")).not.toContain(EMAIL);
    expect(logs.join("\n")).not.toContain("murder");
  });
});
