// The engine thread of the Node server (plain JS: Node runs it as-is). Loads the GGUF into a GemmaModel and runs the
// generations the main thread posts, one at a time, posting each part back; an "abort" message stops a generation
// within one token. Protocol (see local-backend.ts): in  {generate, id, request} | {abort, id};
// out {ready, info} | {progress, progress} | {part, id, part} | {error, id, message, status} | {end, id} | {fatal, message}.
import { parentPort, workerData } from "node:worker_threads";
import { ChatTemplateError, loadModel, TokenizerError } from "@gemma-edge/gemma";
import { fileSource } from "@gemma-edge/gemma/node";

const { modelPath, threads, maxContext } = workerData;
let model;
try {
  const source = await fileSource(modelPath);
  model = await loadModel(source, {
    threads,
    maxContext,
    onProgress: (progress) => parentPort.postMessage({ type: "progress", progress }),
  });
  await source.close?.();
} catch (error) {
  parentPort.postMessage({
    type: "fatal",
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  process.exit(1);
}

const controllers = new Map();
parentPort.on("message", async (msg) => {
  if (msg.type === "abort") {
    controllers.get(msg.id)?.abort();
    return;
  }
  if (msg.type !== "generate") return;
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  const { messages, prompt, maxTokens, stop, ...sampling } = msg.request;
  try {
    const request = {
      ...(messages ? { messages } : { prompt: prompt ?? "" }),
      maxTokens,
      signal: controller.signal,
      ...(stop ? { stop } : {}),
      ...sampling,
    };
    for await (const part of model.generate(request)) {
      if (part.type === "text-delta") {
        if (part.text !== "")
          parentPort.postMessage({ type: "part", id: msg.id, part: { type: "text-delta", text: part.text } });
      } else {
        const usage = { promptTokens: part.usage.promptTokens, completionTokens: part.usage.completionTokens };
        parentPort.postMessage({ type: "part", id: msg.id, part: { type: "finish", reason: part.reason, usage } });
      }
    }
  } catch (error) {
    // a conversation this model cannot take (turn order, no chat tokens in its vocabulary) is the caller's to fix
    const status = ChatTemplateError.isInstance(error) || TokenizerError.isInstance(error) ? 400 : 500;
    parentPort.postMessage({
      type: "error",
      id: msg.id,
      status,
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    controllers.delete(msg.id);
    parentPort.postMessage({ type: "end", id: msg.id });
  }
});
parentPort.postMessage({ type: "ready", info: model.info });
