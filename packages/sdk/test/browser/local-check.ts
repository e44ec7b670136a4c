/**
 * The page script of local/browser.test.ts: a local client whose engine runs in the package's own Web Worker, the
 * model fetched from the test server (then from the Cache API), a streamed and a plain answer, a redaction, an abort.
 */
import { createLocalClient, type LocalProgress } from "../../src/local/index.js";

const policy = { id: "browser-test", input: { entities: { EMAIL: "redact" } } };
const ask = {
  model: "gemma-local",
  messages: [{ role: "user" as const, content: "mail jane@example.com" }],
  max_tokens: 8,
  temperature: 0,
};

async function run() {
  const first: LocalProgress[] = [];
  const local = createLocalClient({
    model: "/models/tiny.gguf",
    policy,
    maxContext: 128,
    onProgress: (p) => first.push(p),
  });
  const info = await local.ready;
  const stream = await local.chat.completions.create({ ...ask, stream: true });
  let streamed = "";
  for await (const text of stream.textStream) streamed += text;
  const answer = await local.chat.completions.create(ask);
  const controller = new AbortController();
  const long = await local.chat.completions.create(
    { ...ask, max_tokens: 200, stream: true },
    { signal: controller.signal },
  );
  let chunks = 0;
  let aborted = false;
  try {
    for await (const _ of long) {
      chunks++;
      controller.abort();
    }
  } catch {
    aborted = true;
  }
  const afterAbort = await local.chat.completions.create(ask);
  local.close();

  const second: LocalProgress[] = [];
  const again = createLocalClient({
    model: "/models/tiny.gguf",
    policy,
    maxContext: 64,
    onProgress: (p) => second.push(p),
  });
  await again.ready;
  again.close();
  return {
    crossOriginIsolated,
    info: { backend: info.backend, threads: info.threads, architecture: info.architecture },
    firstStatuses: [...new Set(first.map((p) => p.status))],
    secondStatuses: [...new Set(second.map((p) => p.status))],
    streamed,
    text: answer.choices[0]?.message.content,
    findings: answer.gemma_edge?.findings.map((f) => `${f.stage}:${"entity" in f ? f.entity : ""}:${f.action}`),
    chunks,
    aborted,
    afterAbort: afterAbort.choices[0]?.finish_reason,
  };
}

const w = window as unknown as { result?: unknown };
run().then(
  (result) => {
    w.result = result;
  },
  (error: unknown) => {
    w.result = { error: String((error as Error)?.stack ?? error) };
  },
);
