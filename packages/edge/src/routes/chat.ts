/** `POST /v1/chat/completions`: validated ▸ input guard ▸ backend ▸ output guard. */
import { ChatCompletionRequest } from "@gemma-edge/protocol";
import type { Handler } from "hono";
import { httpError } from "../errors.js";
import { maxTokens, readBody, stopList, textMessages } from "../request.js";
import type { RouteDeps } from "./deps.js";
import { generate } from "./generation.js";
import { guardRequest } from "./guard.js";
import { requireModel } from "./models.js";
import { sampling } from "./sampling.js";

export function chatCompletions({ backend, limits, policies, log, guard: options }: RouteDeps): Handler {
  return async function chatCompletions(c) {
    const body = await readBody(c, ChatCompletionRequest);
    if ((body.n ?? 1) > 1) {
      throw httpError(400, {
        message: "n > 1 is not supported.",
        type: "invalid_request_error",
        code: "unsupported_parameter",
        param: "n",
      });
    }
    if (body.tools?.length || body.functions?.length) {
      throw httpError(400, {
        message: "Tool calling is not supported by this server.",
        type: "invalid_request_error",
        code: "unsupported_parameter",
        param: body.tools?.length ? "tools" : "functions",
      });
    }
    textMessages(body.messages, limits); // rejects what no backend can read before the guard runs
    await requireModel(backend, body.model);
    const { messages, guard } = await guardRequest(c, policies, log, body.messages, options);
    const stop = stopList(body.stop);
    return generate(
      c,
      backend,
      {
        flavor: "chat",
        stream: body.stream === true,
        includeUsage: body.stream_options?.include_usage === true,
        timeoutMs: limits.requestTimeoutMs,
        request: {
          model: body.model,
          messages: textMessages(messages, limits),
          maxTokens: maxTokens(body.max_completion_tokens ?? body.max_tokens, limits),
          ...sampling(body),
          ...(stop ? { stop } : {}),
        },
      },
      guard,
    );
  };
}
