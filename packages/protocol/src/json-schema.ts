/**
 * JSON Schema (draft 2020-12) of the request bodies, for clients and gateways that validate without
 * zod. The schemas describe the accepted input: optional fields may be absent or `null`.
 * `npm run build` also writes them to `dist/json-schema/<name>.json`.
 */
import { z } from "zod";
import { ChatCompletionRequest } from "./chat.js";
import { CompletionRequest } from "./completions.js";
import { ModerationRequest } from "./moderation.js";

export const REQUEST_SCHEMAS = {
  "chat-completion-request": ChatCompletionRequest,
  "completion-request": CompletionRequest,
  "moderation-request": ModerationRequest,
} as const;
export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

/**
 * The JSON Schema of one request body.
 * @example requestJsonSchema("chat-completion-request").required // ["model", "messages"]
 */
export function requestJsonSchema(name: RequestSchemaName): Record<string, unknown> {
  return z.toJSONSchema(REQUEST_SCHEMAS[name], { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
}
