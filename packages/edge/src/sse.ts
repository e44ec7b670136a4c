/**
 * Server-sent events in the OpenAI streaming shape: `data: <json>\n\n` per chunk and `data: [DONE]\n\n` at the end.
 * Parsing (`readSse`) lives in `@gemma-edge/protocol/sse`, shared with the SDK.
 */

export function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

export const SSE_DONE = "data: [DONE]\n\n";

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  "x-accel-buffering": "no",
} as const;

export { readSse } from "@gemma-edge/protocol/sse";
