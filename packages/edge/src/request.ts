/**
 * Reading and checking a request body: strict UTF-8, JSON, the zod schema, then the limits of this server. Every
 * failure is a 4xx with a JSON error body; nothing here throws anything else.
 */
import { type ChatCompletionRequest, invalidRequestBody } from "@gemma-edge/protocol";
import type { Context } from "hono";
import type { z } from "zod";
import type { TextMessage } from "./backends/types.js";
import { httpError } from "./errors.js";
import type { Limits } from "./options.js";

/** Parses the body with `schema`, or throws a 400 naming what is wrong. */
export async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    throw httpError(400, {
      message: "The request body is not valid UTF-8.",
      type: "invalid_request_error",
      code: "invalid_encoding",
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw httpError(400, {
      message: "The request body is not valid JSON.",
      type: "invalid_request_error",
      code: "invalid_json",
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const body = invalidRequestBody(parsed.error).error;
    throw httpError(400, { ...body, type: "invalid_request_error", extra: body.issues ? { issues: body.issues } : {} });
  }
  return parsed.data;
}

const unsupported = (param: string, message: string) =>
  httpError(400, { message, type: "invalid_request_error", code: "unsupported_parameter", param });

/** The messages as text turns; Gemma text models read only text parts. */
export function textMessages(messages: ChatCompletionRequest["messages"], limits: Limits): TextMessage[] {
  if (messages.length > limits.maxMessages) {
    throw httpError(400, {
      message: `At most ${limits.maxMessages} messages are accepted, got ${messages.length}.`,
      type: "invalid_request_error",
      code: "too_many_messages",
      param: "messages",
    });
  }
  let chars = 0;
  const out = messages.map((m, i): TextMessage => {
    const role = m.role === "developer" ? "system" : m.role;
    if (role !== "system" && role !== "user" && role !== "assistant") {
      throw unsupported(`messages[${i}].role`, `Messages with role "${m.role}" (tool calling) are not supported.`);
    }
    let content = "";
    if (typeof m.content === "string") content = m.content;
    else if (Array.isArray(m.content)) {
      m.content.forEach((part, j) => {
        if (part.type !== "text")
          throw unsupported(
            `messages[${i}].content[${j}]`,
            `Content parts of type "${part.type}" are not supported: Gemma text models read text only.`,
          );
        content += part.text;
      });
    }
    chars += content.length;
    return { role, content };
  });
  checkChars(chars, limits);
  return out;
}

export function checkChars(chars: number, limits: Limits): void {
  if (chars > limits.maxChars) {
    throw httpError(400, {
      message: `The input has ${chars} characters; this server accepts at most ${limits.maxChars}.`,
      type: "invalid_request_error",
      code: "context_length_exceeded",
      param: "messages",
    });
  }
}

export function maxTokens(requested: number | null | undefined, limits: Limits): number {
  if (requested == null) return Math.min(limits.defaultMaxTokens, limits.maxTokens);
  if (requested > limits.maxTokens) {
    throw httpError(400, {
      message: `max_tokens is ${requested}; this server allows at most ${limits.maxTokens}.`,
      type: "invalid_request_error",
      code: "max_tokens_too_large",
      param: "max_tokens",
    });
  }
  return requested;
}

export function stopList(stop: string | string[] | null | undefined): string[] | undefined {
  if (stop == null) return undefined;
  return (typeof stop === "string" ? [stop] : stop).filter((s) => s !== "");
}
