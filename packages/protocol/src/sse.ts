/**
 * Reading server-sent events in the OpenAI streaming shape (`data: <json>` events, `data: [DONE]` at the end): shared
 * by the SDK's stream reader and the edge's upstream backends. A zod-free subpath (`@gemma-edge/protocol/sse`), so
 * clients that import it do not bundle the schemas.
 */

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
