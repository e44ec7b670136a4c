// Load test on loopback only, bounded: N concurrent streaming chat requests against the Node server with the local
// engine (the demo tiny Gemma), each with a deadline. Every request must complete or get 429; none may hang or be
// lost. Prints p50/p99 time-to-first-token and total time.
//   npm run loadtest -w @gemma-edge/edge [-- --requests=100 --max-tokens=16 --queue=8]
import { demoModelPath } from "@gemma-edge/gemma/node";
import { serveNode } from "../dist/adapters/node/index.js";
import { localBackend } from "../dist/adapters/node/local-backend.js";
import { createApp, sha256Hex } from "../dist/index.js";

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const N = arg("requests", 100);
const maxTokens = arg("max-tokens", 16);
const DEADLINE_MS = 120_000;

const backend = await localBackend({
  modelPath: demoModelPath(),
  modelId: "demo",
  queueLimit: arg("queue", 8),
  maxContext: 256,
});
const app = createApp({
  backend,
  keys: [{ id: "load", policyId: "default", sha256: await sha256Hex("sk-load") }],
  rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  logger: () => {},
});
const server = await serveNode(app, { hostname: "127.0.0.1", port: 0 });

async function one(i) {
  const start = performance.now();
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer sk-load", "content-type": "application/json" },
    body: JSON.stringify({
      model: "demo",
      messages: [{ role: "user", content: `request ${i}: hello!` }],
      max_tokens: maxTokens,
      stream: true,
    }),
    signal: AbortSignal.timeout(DEADLINE_MS),
  });
  if (res.status === 429) {
    await res.body?.cancel();
    return { status: 429, retryAfter: res.headers.get("retry-after") };
  }
  let ttft;
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    text += decoder.decode(chunk, { stream: true });
    if (ttft === undefined && /"content":"[^"]/.test(text)) ttft = performance.now() - start;
  }
  return { status: res.status, ttft, total: performance.now() - start, done: text.trimEnd().endsWith("data: [DONE]") };
}

const started = performance.now();
const results = await Promise.allSettled(Array.from({ length: N }, (_, i) => one(i)));
const wall = performance.now() - started;
await server.close();
await backend.close();

const ok = results
  .filter((r) => r.status === "fulfilled" && r.value.status === 200 && r.value.done)
  .map((r) => r.value);
const limited = results.filter((r) => r.status === "fulfilled" && r.value.status === 429);
const failed = results.filter(
  (r) => r.status === "rejected" || (r.value.status !== 429 && !(r.value.status === 200 && r.value.done)),
);
const pct = (xs, p) =>
  xs.length ? xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(0) : "-";
const ttfts = ok.map((r) => r.ttft).filter((x) => x !== undefined);
const totals = ok.map((r) => r.total);
console.log(`${N} concurrent streaming requests, ${maxTokens} tokens each, wall ${(wall / 1000).toFixed(2)} s`);
console.log(
  `  completed: ${ok.length}   429 (with Retry-After ${limited[0]?.value.retryAfter ?? "-"} s): ${limited.length}   failed/hung/lost: ${failed.length}`,
);
console.log(`  time to first token ms  p50 ${pct(ttfts, 50)}  p99 ${pct(ttfts, 99)}`);
console.log(`  total ms                p50 ${pct(totals, 50)}  p99 ${pct(totals, 99)}`);
if (failed.length > 0) {
  for (const f of failed.slice(0, 3)) console.error(f.status === "rejected" ? f.reason : f.value);
  process.exit(1);
}
