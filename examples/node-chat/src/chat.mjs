#!/usr/bin/env node
// A terminal chat with a gemma-edge server (start one with `npm start` at the repository root).
//   GEMMA_EDGE_URL=http://127.0.0.1:8787/v1 GEMMA_EDGE_API_KEY=sk-gemma-edge-demo npm start -w @gemma-edge/example-node-chat
// Each line you type is sent with the conversation so far; the answer streams back. Ctrl-C during an answer stops it;
// Ctrl-C at the prompt (or end of input) quits. Refusals by the server's policy are shown with their findings.
import { createInterface } from "node:readline";
import { ContentFilterError, createClient } from "@gemma-edge/sdk";

const client = createClient({
  baseURL: process.env.GEMMA_EDGE_URL ?? "http://127.0.0.1:8787/v1",
  apiKey: process.env.GEMMA_EDGE_API_KEY ?? "sk-gemma-edge-demo",
});
const model = process.env.GEMMA_EDGE_MODEL ?? (await client.models.list())[0]?.id;
const out = (text) => process.stdout.write(text);
const rl = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true });
const messages = [];
let current; // the stream being read, if any

rl.on("SIGINT", () => {
  if (current) current.abort();
  else rl.close();
});
out(`chatting with ${model} — type a message, Ctrl-C to stop an answer or quit\n> `);
for await (const line of rl) {
  if (line.trim() === "") {
    out("> ");
    continue;
  }
  messages.push({ role: "user", content: line });
  try {
    current = await client.chat.completions.create({
      model,
      messages,
      stream: true,
      max_tokens: Number(process.env.MAX_TOKENS ?? 128),
    });
    let answer = "";
    for await (const text of current.textStream) {
      answer += text;
      out(text);
    }
    if (current.finishReason === "content_filter") out(`\n[stopped by policy: ${findingsOf(current.moderation)}]`);
    messages.push({ role: "assistant", content: answer });
  } catch (error) {
    if (error instanceof ContentFilterError) out(`[refused by policy: ${findingsOf(error.moderation)}]`);
    else if (error?.name === "AbortError") out("[stopped]");
    else out(`[error: ${error.message}]`);
    messages.pop();
  } finally {
    current = undefined;
  }
  out("\n> ");
}
out("\n");

function findingsOf(moderation) {
  return (
    (moderation?.findings ?? []).map((f) => (f.kind === "entity" ? f.entity : f.category)).join(", ") || "no details"
  );
}
