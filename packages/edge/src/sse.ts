/**
 * Server-sent events in the OpenAI streaming shape: `data: <json>\n\n` per chunk and `data: [DONE]\n\n` at the end.
 * Parsing is used by the OpenAI-compatible backend to read an upstream stream.
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

/** Reads `data:` payloads from an SSE byte stream (events split across chunks are reassembled). */
export async function* readSse(body: ReadableStream<Uint8Array>, maxEventBytes = 1 << 20): AsyncIterable<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.search(/\r?\n\r?\n/);
      while (end >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        const data = event
          .split(/\r?\n/)
          .filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, ""))
          .join("\n");
        if (data !== "") yield data;
        end = buffer.search(/\r?\n\r?\n/);
      }
      if (buffer.length > maxEventBytes) throw new Error(`an upstream SSE event exceeds ${maxEventBytes} bytes`);
    }
  } finally {
    reader.releaseLock();
  }
}
