#!/usr/bin/env node
/// <reference types="node" />
/**
 * `npm start`: the edge server on Node with the local engine. Without `--model` it serves the demo tiny model
 * (generated on first start into ~/.cache/gemma-edge) under the default policy.
 *   node dist/adapters/node/main.js [--model PATH] [--port 8787] [--host 127.0.0.1] [--threads N] [--max-context N]
 * Keys: $GEMMA_EDGE_API_KEY (default: a printed demo key), $GEMMA_EDGE_ADMIN_KEY (default: a printed admin key).
 */
import { parseArgs } from "node:util";
import { demoModelPath } from "@gemma-edge/gemma/node";
import { createApp } from "../../app.js";
import { sha256Hex } from "../../middleware/auth/index.js";
import { serveNode } from "./index.js";
import { localBackend } from "./local-backend.js";

const { values } = parseArgs({
  options: {
    model: { type: "string" },
    port: { type: "string", default: "8787" },
    host: { type: "string", default: "127.0.0.1" },
    threads: { type: "string", default: "1" },
    "max-context": { type: "string" },
  },
});

const apiKey = process.env.GEMMA_EDGE_API_KEY ?? "sk-gemma-edge-demo";
const adminKey = process.env.GEMMA_EDGE_ADMIN_KEY ?? "sk-gemma-edge-admin";
const demo = values.model === undefined;
if (demo) process.stderr.write("No --model given: serving the demo tiny Gemma (random weights) …\n");
const modelPath = values.model ?? demoModelPath();
let last = -1;
const backend = await localBackend({
  modelPath,
  ...(demo ? { modelId: "gemma-edge-demo" } : {}),
  threads: Number(values.threads),
  ...(values["max-context"] ? { maxContext: Number(values["max-context"]) } : {}),
  onProgress: (p) => {
    if (p.status !== "progress" || !process.stderr.isTTY) return;
    const pct = Math.floor((100 * p.loaded) / p.total);
    if (pct !== last) process.stderr.write(`\rloading ${pct}%`);
    last = pct;
  },
});
if (process.stderr.isTTY) process.stderr.write("\r");
const app = createApp({
  backend,
  keys: [{ id: "demo", policyId: "default", sha256: await sha256Hex(apiKey) }],
  adminKeySha256: await sha256Hex(adminKey),
});
const server = await serveNode(app, { hostname: values.host, port: Number(values.port) });
const [model] = await backend.listModels();
console.log(`gemma-edge is listening on ${server.url}
  model:     ${model?.id} (${backend.info.architecture}, ${Object.keys(backend.info.formats).join("+")}, ${backend.info.threads} thread(s))
  API key:   ${apiKey}${process.env.GEMMA_EDGE_API_KEY ? " (from $GEMMA_EDGE_API_KEY)" : " (demo key; set $GEMMA_EDGE_API_KEY)"}
  admin key: ${process.env.GEMMA_EDGE_ADMIN_KEY ? "(from $GEMMA_EDGE_ADMIN_KEY)" : `${adminKey} (set $GEMMA_EDGE_ADMIN_KEY)`}
  policy:    default

  curl ${server.url}/v1/chat/completions \\
    -H "Authorization: Bearer ${apiKey}" -H "Content-Type: application/json" \\
    -d '{"model":"${model?.id}","messages":[{"role":"user","content":"Hello!"}],"max_tokens":32}'
`);

const stop = async () => {
  await server.close();
  await backend.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
