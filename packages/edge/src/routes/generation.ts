/**
 * Runs a guarded backend generation for chat or text completions and answers in the OpenAI shape: one JSON object,
 * or SSE chunks with a final `finish_reason` chunk, an optional usage chunk and `[DONE]`. The backend's text goes
 * through the policy's output guard (cross-chunk redaction, pseudonyms restored, classifier windows); a block stops
 * the backend and ends with `finish_reason: "content_filter"` and the findings in `gemma_edge`. Failures before the
 * first part become HTTP errors; after it, an SSE error event (the status line is already sent).
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  Completion,
  CompletionChunk,
  ErrorType,
  FinishReason,
  GemmaEdgeModeration,
} from "@gemma-edge/protocol";
import { type GuardOptions, guardOutputStream, type OutputPart, type Policy, type Vault } from "@gemma-edge/safety";
import type { Context } from "hono";
import { type Backend, BackendError, type GeneratePart, type GenerateRequest, type Usage } from "../backends/types.js";
import { httpError } from "../errors.js";
import { SSE_DONE, SSE_HEADERS, sseEvent } from "../sse.js";

export type Flavor = "chat" | "text";

export interface Guard {
  policy: Policy;
  vault: Vault;
  /** What the input stage decided (merged with the output stage's findings in the answer). */
  input: GemmaEdgeModeration;
  /** The user prompt as sent to the model (judges such as ShieldGemma score the answer against it). */
  prompt?: string | undefined;
  /** Extra classifiers, hash keys and detectors (the app's `guard` option). */
  options: GuardOptions;
  /** Called with the whole request's moderation once the answer is complete (for the log). */
  onFinish(moderation: GemmaEdgeModeration): void;
}

interface Run {
  flavor: Flavor;
  stream: boolean;
  includeUsage: boolean;
  request: Omit<GenerateRequest, "signal">;
  timeoutMs: number;
}

type Finish = Extract<GeneratePart, { type: "finish" }>;

/** How a backend's failure reads over HTTP, by its status. */
const BACKEND_ERRORS: Record<BackendError["status"], { type: ErrorType; code: string }> = {
  400: { type: "invalid_request_error", code: "invalid_conversation" },
  404: { type: "not_found_error", code: "model_not_found" },
  429: { type: "rate_limit_error", code: "engine_busy" },
  500: { type: "server_error", code: "backend_error" },
  502: { type: "server_error", code: "backend_error" },
  503: { type: "server_error", code: "backend_error" },
  504: { type: "server_error", code: "backend_error" },
};

function toHttp(error: unknown): never {
  if (error instanceof BackendError) {
    throw httpError(error.status, {
      message: error.message,
      ...BACKEND_ERRORS[error.status],
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

/** Input and output findings as one report; the stricter decision wins. */
function merge(input: GemmaEdgeModeration, output: GemmaEdgeModeration | undefined): GemmaEdgeModeration {
  if (!output) return input;
  const rank = { allow: 0, modify: 1, block: 2 } as const;
  const decision = rank[output.decision] > rank[input.decision] ? output.decision : input.decision;
  return { ...input, decision, findings: [...input.findings, ...output.findings] };
}

export async function generate(c: Context, backend: Backend, run: Run, guard: Guard): Promise<Response> {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, c.req.raw.signal, AbortSignal.timeout(run.timeoutMs)]);
  let finish: Finish = { type: "finish", reason: "stop" };
  const backendParts = backend.generate({ ...run.request, signal });
  async function* texts(): AsyncIterable<string> {
    for await (const part of backendParts) {
      if (part.type === "text-delta") yield part.text;
      else finish = part;
    }
  }
  const guarded = guardOutputStream(texts(), guard.policy, guard.vault, {
    ...guard.options,
    stage: run.stream ? "output_stream" : "output",
    prompt: guard.prompt,
  });
  let first: IteratorResult<OutputPart>;
  try {
    first = await guarded.next();
  } catch (error) {
    toHttp(error);
  }
  const id = `${run.flavor === "chat" ? "chatcmpl" : "cmpl"}-${crypto.randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = run.request.model;
  /** The finish reason and the report once the guard's finish part is in. */
  const close = (part: Extract<OutputPart, { type: "finish" }> | undefined) => {
    const moderation = merge(guard.input, part?.moderation);
    guard.onFinish(moderation);
    const filtered = part?.reason === "content_filter";
    if (filtered) controller.abort();
    const reason: FinishReason = filtered ? "content_filter" : finish.reason === "length" ? "length" : "stop";
    const report = moderation.decision !== "allow" || moderation.findings.length > 0 ? { gemma_edge: moderation } : {};
    return { reason, report, aborted: finish.reason === "abort" && !filtered };
  };

  if (!run.stream) {
    let text = "";
    let end: Extract<OutputPart, { type: "finish" }> | undefined;
    try {
      for (let r = first; !r.done; r = await guarded.next()) {
        if (r.value.type === "text-delta") text += r.value.text;
        else end = r.value;
      }
    } catch (error) {
      toHttp(error);
    }
    const { reason, report } = close(end);
    const usage = usageBody(finish.usage);
    if (run.flavor === "chat") {
      const body: ChatCompletion = {
        id,
        object: "chat.completion",
        created,
        model,
        choices: [{ index: 0, message: { role: "assistant", content: text }, logprobs: null, finish_reason: reason }],
        ...(usage ? { usage } : {}),
        ...report,
      };
      return c.json(body);
    }
    const body: Completion = {
      id,
      object: "text_completion",
      created,
      model,
      choices: [{ index: 0, text, logprobs: null, finish_reason: reason }],
      ...(usage ? { usage } : {}),
      ...report,
    };
    return c.json(body);
  }

  const envelope = { id, created, model };
  const chunk = (
    text: string | undefined,
    reason: FinishReason | null,
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
              finish_reason: reason,
            },
          ],
        }
      : {
          ...envelope,
          object: "text_completion",
          choices: [{ index: 0, text: text ?? "", logprobs: null, finish_reason: reason }],
        };

  // Pull-based: one guarded part per read, so a slow reader slows the engine and a reader that goes away (cancel)
  // aborts the generation within one token. Every pull enqueues something or closes the stream.
  const encoder = new TextEncoder();
  let next: IteratorResult<OutputPart> | undefined = first;
  let opened = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(out) {
      const send = (s: string) => out.enqueue(encoder.encode(s));
      try {
        if (!opened && run.flavor === "chat") send(sseEvent(chunk("", null, true)));
        opened = true;
        let r = next ?? (await guarded.next());
        next = undefined;
        while (!r.done && r.value.type === "text-delta" && r.value.text === "") r = await guarded.next();
        if (!r.done && r.value.type === "text-delta") {
          send(sseEvent(chunk(r.value.text, null)));
          return;
        }
        const { reason, report, aborted } = close(r.done || r.value.type !== "finish" ? undefined : r.value);
        if (!aborted) {
          send(sseEvent({ ...chunk(undefined, reason), ...report }));
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
      await guarded.return(undefined);
    },
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
