/**
 * A backend for tests: serves one model and answers every generation with scripted text deltas, recording what it
 * was asked. Honors maxTokens (one delta per "token"), stop sequences and the abort signal like a real engine.
 */
import type { Backend, GeneratePart, GenerateRequest } from "../backends/types.js";

export interface ScriptedBackend extends Backend {
  readonly requests: GenerateRequest[];
  /** Generations that ended with their signal aborted (the client went away or timed out). */
  aborted: number;
  /** Text deltas handed out, over all generations. */
  delivered: number;
}

export interface ScriptOptions {
  model?: string;
  /** The deltas of every answer. @default ["Hello", ",", " world", "!"] */
  deltas?: string[];
  /** Wait between deltas, ms. @default 0 */
  delayMs?: number;
}

export function scriptedBackend({
  model = "gemma-test",
  deltas = ["Hello", ",", " world", "!"],
  delayMs = 0,
}: ScriptOptions = {}): ScriptedBackend {
  const backend: ScriptedBackend = {
    kind: "local",
    requests: [],
    aborted: 0,
    delivered: 0,
    async listModels() {
      return [{ id: model, object: "model", created: 0, owned_by: "gemma-edge", gemma_edge: { backend: "local" } }];
    },
    async *generate(request): AsyncIterable<GeneratePart> {
      backend.requests.push(request);
      try {
        yield* script(request);
      } finally {
        if (request.signal.aborted) backend.aborted++;
      }
    },
  };
  async function* script(request: GenerateRequest): AsyncIterable<GeneratePart> {
    let emitted = 0;
    let text = "";
    for (const delta of deltas) {
      if (request.signal.aborted) {
        yield { type: "finish", reason: "abort" };
        return;
      }
      if (emitted >= request.maxTokens) {
        yield { type: "finish", reason: "length", usage: { promptTokens: 5, completionTokens: emitted } };
        return;
      }
      const stop = request.stop?.find((s) => (text + delta).includes(s));
      if (stop) {
        const cut = (text + delta).indexOf(stop) - text.length;
        if (cut > 0) yield { type: "text-delta", text: delta.slice(0, cut) };
        yield { type: "finish", reason: "stop", usage: { promptTokens: 5, completionTokens: emitted + 1 } };
        return;
      }
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      text += delta;
      emitted++;
      backend.delivered++;
      yield { type: "text-delta", text: delta };
    }
    yield { type: "finish", reason: "stop", usage: { promptTokens: 5, completionTokens: emitted } };
  }
  return backend;
}
