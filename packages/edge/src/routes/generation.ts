/**
 * Runs a backend generation for chat or text completions and answers in the OpenAI shape: one JSON object, or SSE
 * chunks with a final `finish_reason` chunk, an optional usage chunk and `[DONE]`. Failures before the first token
 * become HTTP errors; failures after it become an SSE error event (the status line is already sent).
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  Completion,
  CompletionChunk,
  FinishReason,
} from "@gemma-edge/protocol";
import type { Context } from "hono";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest, type Usage } from "../backends/types.js";
import { httpError } from "../errors.js";
import { SSE_DONE, SSE_HEADERS, sseEvent } from "../sse.js";

export type Flavor = "chat" | "text";

interface Run {
  flavor: Flavor;
  stream: boolean;
  includeUsage: boolean;
  request: Omit<GenerateRequest, "signal">;
  timeoutMs: number;
}

function toHttp(error: unknown): never {
  if (error instanceof BackendError) {
    throw httpError(error.status === 404 ? 404 : error.status, {
      message: error.message,
      type: error.status === 404 ? "not_found_error" : error.status === 429 ? "rate_limit_error" : "server_error",
      code: error.status === 429 ? "engine_busy" : error.status === 404 ? "model_not_found" : "backend_error",
      ...(error.retryAfter ? { headers: { "retry-after": String(error.retryAfter) } } : {}),
    });
  }
  throw error;
}

const usageBody = (u: Usage | undefined) =>
  u
    ? {
        prompt_tokens: u.promptTokens,
        completion_tokens: u.completionTokens,
        total_tokens: u.promptTokens + u.completionTokens,
      }
    : undefined;

const finishReason = (part: Extract<GeneratePart, { type: "finish" }>): FinishReason =>
  part.reason === "length" ? "length" : "stop";

export async function generate(c: Context, backend: Backend, run: Run): Promise<Response> {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, c.req.raw.signal, AbortSignal.timeout(run.timeoutMs)]);
  const parts = backend.generate({ ...run.request, signal })[Symbol.asyncIterator]();
  let first: IteratorResult<GeneratePart>;
  try {
    first = await parts.next();
  } catch (error) {
    toHttp(error);
  }
  const id = `${run.flavor === "chat" ? "chatcmpl" : "cmpl"}-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = run.request.model;

  if (!run.stream) {
    let text = "";
    let finish: Extract<GeneratePart, { type: "finish" }> = { type: "finish", reason: "stop" };
    try {
      for (let r = first; !r.done; r = await parts.next()) {
        if (r.value.type === "text-delta") text += r.value.text;
        else finish = r.value;
      }
    } catch (error) {
      toHttp(error);
    }
    const usage = usageBody(finish.usage);
    if (run.flavor === "chat") {
      const body: ChatCompletion = {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: text },
            logprobs: null,
            finish_reason: finishReason(finish),
          },
        ],
        ...(usage ? { usage } : {}),
      };
      return c.json(body);
    }
    const body: Completion = {
      id,
      object: "text_completion",
      created,
      model,
      choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason(finish) }],
      ...(usage ? { usage } : {}),
    };
    return c.json(body);
  }

  const envelope = { id, created, model };
  const chunk = (
    text: string | undefined,
    finish: FinishReason | null,
    role = false,
  ): ChatCompletionChunk | CompletionChunk =>
    run.flavor === "chat"
      ? {
          ...envelope,
          object: "chat.completion.chunk",
          choices: [
            {
              index: 0,
              delta: {
                ...(role ? { role: "assistant" as const } : {}),
                ...(text !== undefined ? { content: text } : {}),
              },
              finish_reason: finish,
            },
          ],
        }
      : {
          ...envelope,
          object: "text_completion",
          choices: [{ index: 0, text: text ?? "", logprobs: null, finish_reason: finish }],
        };

  // Pull-based: one backend part per read, so a slow reader slows the engine and a reader that goes away
  // (cancel) aborts the generation within one token.
  const encoder = new TextEncoder();
  let next: IteratorResult<GeneratePart> | undefined = first;
  let finish: Extract<GeneratePart, { type: "finish" }> = { type: "finish", reason: "stop" };
  let opened = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(out) {
      const send = (s: string) => out.enqueue(encoder.encode(s));
      try {
        if (!opened && run.flavor === "chat") send(sseEvent(chunk("", null, true)));
        opened = true;
        // every pull enqueues something (or closes): a pull that enqueues nothing is not repeated
        let r = next ?? (await parts.next());
        next = undefined;
        while (!r.done && r.value.type === "finish") {
          finish = r.value;
          r = await parts.next();
        }
        if (!r.done && r.value.type === "text-delta") {
          send(sseEvent(chunk(r.value.text, null)));
          return;
        }
        if (finish.reason !== "abort") {
          send(sseEvent(chunk(undefined, finishReason(finish))));
          const usage = usageBody(finish.usage);
          if (run.includeUsage && usage)
            send(sseEvent({ ...envelope, object: chunk("", null).object, choices: [], usage }));
        }
        send(SSE_DONE);
        out.close();
      } catch (error) {
        const message = error instanceof BackendError ? error.message : "The generation failed.";
        send(sseEvent({ error: { message, type: "server_error", code: "backend_error", param: null } }));
        send(SSE_DONE);
        out.close();
      }
    },
    async cancel() {
      controller.abort();
      await parts.return?.();
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
