import { describe, expect, it } from "vitest";
import { BackendError, type GeneratePart, type GenerateRequest } from "./types.js";
import { StopSequences, type WorkersAiBinding, workersAiBackend, workersAiError } from "./workers-ai.js";

const MODEL = "@cf/google/gemma-7b-it-lora";

/** A byte stream of the given SSE text, cut into pieces of `size` bytes (events split across chunks). */
function sse(text: string, size = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

function events(texts: string[], usage?: object): string {
  const all = [...texts.map((t) => ({ response: t })), ...(usage ? [{ response: "", usage }] : [])];
  return `${all.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("")}data: [DONE]\n\n`;
}

function fakeAi(answer: (inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
  const ai: WorkersAiBinding = {
    async run(model, inputs) {
      calls.push({ model, inputs });
      return answer(inputs);
    },
  };
  return { ai, calls };
}

async function collect(parts: AsyncIterable<GeneratePart>) {
  const all: GeneratePart[] = [];
  for await (const p of parts) all.push(p);
  const text = all.map((p) => (p.type === "text-delta" ? p.text : "")).join("");
  return { text, finish: all.at(-1) };
}

const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  model: MODEL,
  messages: [{ role: "user", content: "hi" }],
  maxTokens: 16,
  signal: new AbortController().signal,
  ...over,
});

const { messages: _, ...textRequest } = request();

describe("workersAiBackend", () => {
  it("streams `response` texts from Workers AI's SSE, with usage, and calls ai.run with streaming inputs", async () => {
    const { ai, calls } = fakeAi(() =>
      sse(events(["Hel", "lo ", "wörld"], { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 })),
    );
    const backend = workersAiBackend(ai, { models: [MODEL] });
    expect((await backend.listModels()).map((m) => m.id)).toEqual([MODEL]);
    const { text, finish } = await collect(backend.generate(request({ temperature: 0.2 })));
    expect(text).toBe("Hello wörld");
    expect(finish).toEqual({ type: "finish", reason: "stop", usage: { promptTokens: 4, completionTokens: 3 } });
    expect(calls[0]).toEqual({
      model: MODEL,
      inputs: { messages: [{ role: "user", content: "hi" }], stream: true, max_tokens: 16, temperature: 0.2 },
    });
  });

  it("reports length when the model used every token, and sends a raw prompt for text completions", async () => {
    const { ai, calls } = fakeAi(() => sse(events(["a", "b"], { prompt_tokens: 1, completion_tokens: 2 })));
    const backend = workersAiBackend(ai, { models: [MODEL] });
    const { finish } = await collect(backend.generate({ ...textRequest, prompt: "x", maxTokens: 2 }));
    expect(finish).toMatchObject({ reason: "length" });
    expect(calls[0]?.inputs).toMatchObject({ prompt: "x", raw: true });
  });

  it("applies stop sequences across chunk boundaries", async () => {
    const { ai } = fakeAi(() => sse(events(["one tw", "o ST", "OP three"])));
    const { text, finish } = await collect(
      workersAiBackend(ai, { models: [MODEL] }).generate(request({ stop: ["STOP"] })),
    );
    expect(text).toBe("one two ");
    expect(finish).toMatchObject({ reason: "stop" });
  });

  it("stops reading and cancels the stream when the request is aborted", async () => {
    let cancelled = false;
    const controller = new AbortController();
    const ai: WorkersAiBinding = {
      async run() {
        let n = 0;
        return new ReadableStream({
          pull(c) {
            c.enqueue(new TextEncoder().encode(`data: {"response":"t${n++} "}\n\n`));
          },
          cancel() {
            cancelled = true;
          },
        });
      },
    };
    const parts = workersAiBackend(ai, { models: [MODEL] }).generate(request({ signal: controller.signal }));
    const seen: GeneratePart[] = [];
    for await (const part of parts) {
      seen.push(part);
      if (seen.length === 3) controller.abort();
    }
    expect(seen.at(-1)).toEqual({ type: "finish", reason: "abort" });
    expect(seen.length).toBe(4);
    expect(cancelled).toBe(true);
  });

  it("maps binding errors and bad streams to BackendErrors; unknown models are 404 without a call", async () => {
    expect(workersAiError(new Error("3040: Out of capacity"))).toMatchObject({ status: 429, retryAfter: 5 });
    expect(workersAiError(new Error("AiError: 5007: No such model"))).toMatchObject({ status: 404 });
    expect(workersAiError(new Error("InferenceUpstreamError: oops"))).toMatchObject({ status: 502 });
    const { ai, calls } = fakeAi(() => sse("data: {not json\n\n"));
    const backend = workersAiBackend(ai, { models: [MODEL] });
    await expect(collect(backend.generate(request({ model: "other" })))).rejects.toMatchObject({ status: 404 });
    expect(calls).toHaveLength(0);
    const error = await collect(backend.generate(request())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ status: 502 });
  });

  it("accepts a non-streamed answer object", async () => {
    const { ai } = fakeAi(() => ({ response: "whole answer" }));
    expect((await collect(workersAiBackend(ai, { models: [MODEL] }).generate(request()))).text).toBe("whole answer");
  });
});

describe("StopSequences", () => {
  it("holds back only what could begin a stop sequence", () => {
    const stops = new StopSequences(["</s>", "\n\n"]);
    expect(stops.push("abc<")).toEqual({ release: "abc", hit: false });
    expect(stops.push("/")).toEqual({ release: "", hit: false });
    expect(stops.push("x\n")).toEqual({ release: "</x", hit: false });
    expect(stops.flush()).toBe("\n");
    expect(stops.push("\n\nlater")).toEqual({ release: "", hit: true });
    expect(new StopSequences([]).push("anything")).toEqual({ release: "anything", hit: false });
  });
});
