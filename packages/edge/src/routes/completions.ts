/** `POST /v1/completions`: a raw prompt (no chat template), guarded as one user message. */
import { CompletionRequest } from "@gemma-edge/protocol";
import type { Handler } from "hono";
import { httpError } from "../errors.js";
import { checkChars, maxTokens, readBody, stopList } from "../request.js";
import type { RouteDeps } from "./deps.js";
import { generate } from "./generation.js";
import { guardRequest } from "./guard.js";
import { requireModel } from "./models.js";
import { sampling } from "./sampling.js";

export function completions({ backend, limits, policies, log, guard: options }: RouteDeps): Handler {
  return async function completions(c) {
    const body = await readBody(c, CompletionRequest);
    const prompts = typeof body.prompt === "string" ? [body.prompt] : body.prompt;
    const prompt = prompts[0];
    if (prompts.length !== 1 || typeof prompt !== "string") {
      throw httpError(400, {
        message: "Exactly one text prompt is supported (not a list, not token ids).",
        type: "invalid_request_error",
        code: "unsupported_parameter",
        param: "prompt",
      });
    }
    if ((body.n ?? 1) > 1 || body.echo || body.suffix || (body.logprobs ?? 0) > 0) {
      throw httpError(400, {
        message: "n > 1, echo, suffix and logprobs are not supported.",
        type: "invalid_request_error",
        code: "unsupported_parameter",
      });
    }
    checkChars(prompt.length, limits);
    await requireModel(backend, body.model);
    const { messages, guard } = await guardRequest(c, policies, log, [{ role: "user", content: prompt }], options);
    const guardedPrompt = typeof messages[0]?.content === "string" ? messages[0].content : prompt;
    const stop = stopList(body.stop);
    return generate(
      c,
      backend,
      {
        flavor: "text",
        stream: body.stream === true,
        includeUsage: body.stream_options?.include_usage === true,
        timeoutMs: limits.requestTimeoutMs,
        request: {
          model: body.model,
          prompt: guardedPrompt,
          maxTokens: maxTokens(body.max_tokens ?? 16, limits),
          ...sampling(body),
          ...(stop ? { stop } : {}),
        },
      },
      guard,
    );
  };
}
