/** `POST /v1/chat/completions`. */
import { ChatCompletionRequest } from "@gemma-edge/protocol";
import type { Handler } from "hono";
import type { Backend } from "../backends/types.js";
import { httpError } from "../errors.js";
import type { Limits } from "../options.js";
import { maxTokens, readBody, stopList, textMessages } from "../request.js";
import { generate } from "./generation.js";
import { requireModel } from "./models.js";
import { sampling } from "./sampling.js";

export function chatCompletions(backend: Backend, limits: Limits): Handler {
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
    const messages = textMessages(body.messages, limits);
    await requireModel(backend, body.model);
    const stop = stopList(body.stop);
    return generate(c, backend, {
      flavor: "chat",
      stream: body.stream === true,
      includeUsage: body.stream_options?.include_usage === true,
      timeoutMs: limits.requestTimeoutMs,
      request: {
        model: body.model,
        messages,
        maxTokens: maxTokens(body.max_completion_tokens ?? body.max_tokens, limits),
        ...sampling(body),
        ...(stop ? { stop } : {}),
      },
    });
  };
}
